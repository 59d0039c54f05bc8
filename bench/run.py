"""Benchmarks: print figures and ratios against the budgets; assert nothing.

.venv/bin/python bench/run.py            # the model, the Monte Carlo's accuracy, AppTest reruns
.venv/bin/python bench/run.py --browser  # also key presses and cold starts in headless Chromium

Each figure is printed beside its budget: an absolute budget's ratio is the figure over the
budget (at most 1.00 is within it); a budget relative to the reference app gives the app's
figure over the reference's, "app / reference", within it up to the multiple named.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from planner.data import load
from planner.forecast import project
from planner.risk import simulate

ROOT = Path(__file__).resolve().parents[1]
DATASET = load()
ZONE = DATASET.zone("sez")
SCENARIO = DATASET.scenario("sez")


def timed(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` runs, in milliseconds, after one warm-up run."""
    action()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def monte_carlo(draws: int) -> Callable[[], object]:
    scenario = SCENARIO.with_values(DATASET.registry, {"draws": min(draws, 200_000)})
    if draws > 200_000:  # beyond the app's range: call the model with a bigger count directly
        from dataclasses import replace

        scenario = replace(scenario, values=tuple((k, float(draws) if k == "draws" else v) for k, v in scenario.values))
    return lambda: simulate(ZONE, scenario, DATASET.registry, ZONE.goal("floor_area"), ZONE.goal("new_jobs"))


def peak_memory_mb(draws: int) -> tuple[float, float]:
    """Peak resident memory (VmHWM) of a fresh process after imports, and after a run."""
    code = f"""
import sys
sys.path.insert(0, {str(ROOT / "bench")!r})
from run import monte_carlo
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
run = monte_carlo({draws})
before = hwm()
run()
print(before, hwm())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    before, after = map(float, out.split())
    return before, after


def app_reruns(moves: dict[str, tuple[Path, str, list[float], dict[str, object]]], rounds: int) -> dict[str, float]:
    """Median time of a full AppTest rerun after a slider move, for several apps at once.

    `moves` names, per benchmark, the script, the slider, values not seen before (so nothing
    the app caches by scenario can be reused) and the session state to set first, as a user
    would open a sidebar group or a tab. The apps take turns, one move each per round, so a
    slow spell of the machine weighs on all of them alike and their ratios hold.
    """
    from streamlit.testing.v1 import AppTest

    apps = {}
    for name, (script, key, values, state) in moves.items():
        at = AppTest.from_file(str(script), default_timeout=120)
        at.run()
        if state:
            for field, value in state.items():
                at.session_state[field] = value
            at.run()
        at.slider(key=key).set_value(values[0]).run()  # warm-up move
        apps[name] = (at, key, iter(values[1:]))
    times: dict[str, list[float]] = {name: [] for name in moves}
    for _ in range(rounds):
        for name, (at, key, values) in apps.items():
            slider = at.slider(key=key).set_value(next(values))
            gc.collect()
            start = time.perf_counter()
            slider.run()
            times[name].append((time.perf_counter() - start) * 1000)
            if at.exception:
                raise RuntimeError(f"{name}: {at.exception[0].message}")
    return {name: statistics.median(values) for name, values in times.items()}


def fresh(start: float, step: float, n: int) -> list[float]:
    return [round(start + step * i, 2) for i in range(n)]


HEAVY = {"horizon": 2035, "uncertainty": 100, "growth": 30}


def heavy_link_ms() -> tuple[float, float]:
    """The heaviest link a user can open: at the host's default cap, and uncapped."""
    from planner.hosting import within_limits

    heavy = SCENARIO.with_values(DATASET.registry, {**HEAVY, "draws": 200_000})
    capped = within_limits(DATASET.registry, heavy)

    def run(scenario: object) -> Callable[[], object]:
        return lambda: simulate(ZONE, scenario, DATASET.registry, ZONE.goal("floor_area"), ZONE.goal("new_jobs"))

    return timed(run(capped), 3), timed(run(heavy), 2)


def concurrent_heavy(sessions: int = 20) -> dict[str, float]:
    """`sessions` heavy links opened at once on one server (threads, as Streamlit runs its
    sessions), each with its own seed so no cache helps, while a light user moves a slider
    every 50 ms: how long the heavy ones take together and how long the light user waits."""
    import threading

    from planner.ui import cache

    registry = DATASET.registry
    reading = ZONE.goal("new_jobs").reading
    heavy = [SCENARIO.with_values(registry, {**HEAVY, "draws": 200_000, "seed": 7 + i}) for i in range(sessions)]
    light_waits: list[float] = []
    done = threading.Event()

    def light_user() -> None:
        growth = 20.0
        while not done.is_set():
            growth += 0.013
            scenario = SCENARIO.with_values(registry, {"growth": round(growth, 3)})
            start = time.perf_counter()
            cache.outlook(DATASET, "sez", scenario, reading)
            cache.risk(DATASET, "sez", scenario, reading)
            light_waits.append((time.perf_counter() - start) * 1000)
            time.sleep(0.05)

    workers = [threading.Thread(target=cache.risk, args=(DATASET, "sez", s, reading)) for s in heavy]
    watcher = threading.Thread(target=light_user)
    watcher.start()
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    total = time.perf_counter() - start
    done.set()
    watcher.join()
    light_waits.sort()
    return {
        "heavy_20_total_s": total,
        "light_wait_median_ms": statistics.median(light_waits),
        "light_wait_max_ms": light_waits[-1],
    }


def _reruns(rounds: int) -> dict[str, float]:
    from planner.i18n import text
    from planner.ui.state import DEFAULT_OPEN_SECTIONS, OPEN_SECTIONS, TAB

    app, reference = ROOT / "app.py", ROOT / "bench" / "reference_app.py"
    risk_tab = {TAB: text("tab_risk", "ru")}
    economics = {OPEN_SECTIONS: (*DEFAULT_OPEN_SECTIONS, "economics")}
    return app_reruns(
        {
            "rerun_reference_ms": (reference, "growth", fresh(20, 0.07, rounds + 1), {}),
            # The growth moves the projection and redraws the Monte Carlo.
            "rerun_app_ms": (app, "growth", fresh(20, 0.07, rounds + 1), {}),
            "rerun_app_risk_ms": (app, "growth", fresh(20.03, 0.07, rounds + 1), risk_tab),
            # A control outside the Monte Carlo's inputs: the draws come from the cache.
            "rerun_app_capex_ms": (app, "capex", fresh(200, 3, rounds + 1), economics),
        },
        rounds,
    )


def _print_accuracy(rows: list[dict[str, object]], chosen: int | None) -> None:
    print("Goal probabilities, percentage points: answer (1,000,000 Sobol' points); RMSE over runs; mean SE shown")
    print(f"  {'zone, scenario':34} {'sampling':>15}   {'P(area)':>22} {'P(jobs)':>22} {'P(both)':>22}")
    for row in rows:
        cells = [
            f"{a:6.2f} {e:6.3f} {s:6.3f}"
            for a, e, s in zip(row["answer_pp"], row["rmse_pp"], row["shown_se_pp"], strict=True)  # type: ignore[call-overload]
        ]
        where = f"{row['zone']}, {row['scenario']}"
        print(f"  {where:34} {row['method']:>8} {row['points']:>6}   " + " ".join(f"{c:>22}" for c in cells))
    print(f"  smallest Sobol' count no worse than 10,000 random draws everywhere: {chosen}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--browser", action="store_true", help="also measure key presses and cold starts in Chromium")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--rounds", type=int, default=40, help="slider moves per app under AppTest")
    args = parser.parse_args()

    import accuracy

    points = int(SCENARIO.number("draws"))
    rows = accuracy.measure()
    chosen = accuracy.chosen(rows)
    figures: dict[str, float] = {"chosen_points": float(chosen or 0), "app_points": float(points)}
    figures["projection_ms"] = timed(lambda: project(ZONE, SCENARIO), 300)
    figures["mc_app_ms"] = timed(monte_carlo(points), 15)
    figures["mc_1m_rss_before_mb"], figures["mc_1m_rss_peak_mb"] = peak_memory_mb(1_000_000)
    figures["mc_1m_s"] = timed(monte_carlo(1_000_000), 1) / 1000
    figures.update(_reruns(args.rounds))
    figures["heavy_capped_ms"], figures["heavy_uncapped_ms"] = heavy_link_ms()
    figures.update(concurrent_heavy())
    if args.browser:
        import browser

        figures.update(browser.measure())

    if args.json:
        print(json.dumps({"figures": figures, "accuracy": rows}, indent=2))
        return
    _print_accuracy(rows, chosen)
    f = figures
    ref = f["rerun_reference_ms"]
    # (what, the figure, the budget in words, the figure against it, the most it may be)
    rows_out: list[tuple[str, str, str, float | None, float]] = [
        ("points in the app (default)", f"{points:,}", f"≥ {chosen or 0:,}", (chosen or 0) / points, 1),
        ("deterministic projection", f"{f['projection_ms']:.3f} ms", "1 ms", f["projection_ms"] / 1, 1),
        (f"Monte Carlo, {points:,} points", f"{f['mc_app_ms']:.1f} ms", "50 ms", f["mc_app_ms"] / 50, 1),
        ("Monte Carlo, 1,000,000 draws", f"{f['mc_1m_s']:.2f} s", "", None, 1),
        ("  peak memory (VmHWM)", f"{f['mc_1m_rss_peak_mb']:.0f} MB", "1024 MB", f["mc_1m_rss_peak_mb"] / 1024, 1),
        ("  of which before the run", f"{f['mc_1m_rss_before_mb']:.0f} MB", "", None, 1),
        ("reference app rerun (AppTest)", f"{ref:.1f} ms", "", None, 1),
    ]
    for name, key in (
        ("growth", "rerun_app_ms"),
        ("growth, Risk tab", "rerun_app_risk_ms"),
        ("capex", "rerun_app_capex_ms"),
    ):
        rows_out.append((f"app rerun, {name}", f"{f[key]:.1f} ms", "2× reference", f[key] / ref, 2))
    rows_out += [
        ("heaviest link, default cap", f"{f['heavy_capped_ms']:.0f} ms", "500 ms", f["heavy_capped_ms"] / 500, 1),
        ("heaviest link, uncapped", f"{f['heavy_uncapped_ms']:.0f} ms", "", None, 1),
        ("20 heavy links at once", f"{f['heavy_20_total_s']:.2f} s", "report", None, 1),
        ("  light user's wait, median", f"{f['light_wait_median_ms']:.0f} ms", "report", None, 1),
        ("  light user's wait, longest", f"{f['light_wait_max_ms']:.0f} ms", "report", None, 1),
    ]
    if args.browser:
        for tab, budget in (("trajectory", 1.5), ("risk", 2.0)):
            for stat in ("median", "p90"):
                app_ms, ref_ms = f[f"press_{tab}_app_{stat}_ms"], f[f"press_{tab}_reference_{stat}_ms"]
                shown = f"{app_ms:.0f} / {ref_ms:.0f} ms"
                rows_out.append(
                    (f"key press → painted, {tab}, {stat}", shown, f"{budget:g}× reference", app_ms / ref_ms, budget)
                )
        cold = f"{f['cold_app_s']:.2f} / {f['cold_reference_s']:.2f} s"
        rows_out.append(
            ("cold start to first chart", cold, "1.3× reference", f["cold_app_s"] / f["cold_reference_s"], 1.3)
        )
    print()
    print(f"{'':40} {'figure':>16}   {'budget':>14}   {'ratio':>6}")
    for name, value, budget, ratio, most in rows_out:
        shown = f"{ratio:.2f}" if ratio is not None else ""
        verdict = "" if ratio is None else ("within" if ratio <= most else "OVER")
        print(f"{name:40} {value:>16}   {budget:>14}   {shown:>6}   {verdict}")


if __name__ == "__main__":
    main()

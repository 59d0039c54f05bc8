"""The team library with 10,000 entries, on an SQLite file and on a real PostgreSQL:
the time of a save, a listing, a search and an open. Prints figures; asserts nothing.

.venv/bin/python bench/library.py [--entries 10000]
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.pgserver starts the PostgreSQL server

from planner.data import load  # noqa: E402
from planner.library import engine as engines  # noqa: E402
from planner.library import ids  # noqa: E402
from planner.library.records import Draft, Identity  # noqa: E402
from planner.library.scenarios import draft  # noqa: E402
from planner.library.store import Library, Limits  # noqa: E402
from planner.library.tables import entries, versions  # noqa: E402
from planner.library.texts import folded  # noqa: E402
from planner.links import default_link  # noqa: E402
from planner.outlook import assess  # noqa: E402
from planner.summary import summarise  # noqa: E402
from planner.versions import MODEL_VERSION  # noqa: E402
from tests import pgserver  # noqa: E402

REPEAT = 40
AUTHORS = 50


def scenario_draft() -> Draft:
    dataset = load()
    link = default_link(dataset)
    outlook = assess(dataset, link.zone, link.scenario, link.jobs_goal)
    return draft(dataset, link, summarise(dataset, outlook, None, link.scenario))


def fill(library: Library, saved: Draft, count: int) -> list[str]:
    """`count` entries of one version each, written in bulk (the saves are timed apart)."""
    now = datetime.datetime.now(datetime.UTC)
    version_ids = []
    with library.engine.begin() as connection:
        for start in range(0, count, 1000):
            entry_rows, version_rows = [], []
            for n in range(start, min(start + 1000, count)):
                entry_id, version_id = ids.new_id(), ids.new_id()
                author = f"Аналитик {n % AUTHORS}"
                name = f"Сценарий {n}: рост {10 + n % 20} %"
                moment = now - datetime.timedelta(minutes=count - n)
                entry_rows.append(
                    {
                        "id": entry_id,
                        "name": name,
                        "name_key": name.casefold(),
                        "owner": f"name:{author.casefold()}",
                        "author": author,
                        "zone": saved.zone,
                        "created_at": moment,
                        "updated_at": moment,
                        "version_count": 1,
                        "latest_version_id": version_id,
                        "archived": n % 10 == 0,
                        "search_text": folded(name, author, f"заметка {n}"),
                    }
                )
                version_rows.append(
                    {
                        "id": version_id,
                        "entry_id": entry_id,
                        "number": 1,
                        "author": author,
                        "owner": f"name:{author.casefold()}",
                        "created_at": moment,
                        "note": f"заметка {n}",
                        "zone": saved.zone,
                        "preset": saved.preset,
                        "data_version": saved.data_version,
                        "model_version": MODEL_VERSION,
                        "app_version": "bench",
                        "scenario": saved.scenario,
                        "results": saved.results,
                        "zone_file": None,
                    }
                )
                version_ids.append(version_id)
            connection.execute(entries.insert(), entry_rows)
            connection.execute(versions.insert(), version_rows)
    return version_ids


def timed(action: Callable[[int], object]) -> tuple[float, float]:
    """Median and 90th percentile of REPEAT runs, in milliseconds, after a warm-up."""
    action(-1)
    times = []
    for n in range(REPEAT):
        start = time.perf_counter()
        action(n)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def measure(name: str, url: str, count: int, saved: Draft) -> None:
    library = Library(engines.engine_for(url), Limits(entries_per_owner=count + 1000))
    started = time.perf_counter()
    version_ids = fill(library, saved, count)
    if library.engine.dialect.name == "postgresql":  # what autovacuum does a minute after a bulk load
        with library.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
    print(f"\n{name}: {count:,} entries written in {time.perf_counter() - started:.1f} s")
    who = Identity("name:bench", "bench", verified=False)
    entry_id = library.save(who, "bench entry", "", saved).head.entry_id
    figures = {
        "save a new entry": lambda n: library.save(who, f"new {n}", "a note", saved),
        "save the next version of an entry": lambda n: library.save(who, "", f"v {n}", saved, entry_id=entry_id),
        "list the newest 20": lambda n: library.entries(limit=20),
        "list page 100 (offset 1,980)": lambda n: library.entries(limit=20, offset=1980),
        "search «РОСТ 17» (any case)": lambda n: library.entries(query="РОСТ 17", limit=20),
        "filter one author's": lambda n: library.entries(owner="name:аналитик 7", limit=20),
        "open a version by its id": lambda n: library.version(version_ids[(n * 7919) % len(version_ids)]),
        "an entry's versions": lambda n: library.versions(entry_id),
    }
    for label, action in figures.items():
        median, p90 = timed(action)
        print(f"  {label:<36} median {median:7.2f} ms   p90 {p90:7.2f} ms")
    print(f"  (each scenario stored is {len(saved.scenario.encode()):,} bytes of JSON)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    count = parser.parse_args().entries
    saved = scenario_draft()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/library.sqlite3"
        measure("SQLite file", url, count, saved)
        engines.forget(url)
    with pgserver.server() as server, pgserver.database(server) as url:
        measure("PostgreSQL (local server, fsync off)", url, count, saved)
        engines.forget(url)


if __name__ == "__main__":
    main()

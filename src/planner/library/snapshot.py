"""The headline's numbers kept with a saved version, so the library can show the result then
beside the result now, when the data or the model has moved since.

Stored as JSON and read back as untrusted (a database is edited by people too): every value
is checked to be a finite number, a year or absent; a stored snapshot that is not is shown
as unknown rather than trusted.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields

from planner.summary import Summary

FORMAT = 1


@dataclass(frozen=True)
class Snapshot:
    area_value: float  # the floor area's multiple of its base in the target year
    area_target: float
    area_year_met: float | None
    jobs_value: float  # jobs in the reading's unit in the target year
    jobs_target: float
    jobs_year_met: float | None
    p_area: float | None  # the Monte Carlo's probabilities, when it ran
    p_jobs: float | None
    p_both: float | None


def of_summary(summary: Summary) -> Snapshot:
    odds = summary.odds
    return Snapshot(
        area_value=summary.area.value,
        area_target=summary.area.target,
        area_year_met=summary.area.year_met,
        jobs_value=summary.jobs.value,
        jobs_target=summary.jobs.target,
        jobs_year_met=summary.jobs.year_met,
        p_area=None if odds is None else odds.area,
        p_jobs=None if odds is None else odds.jobs,
        p_both=None if odds is None else odds.both,
    )


def to_json(snapshot: Snapshot) -> str:
    return json.dumps({"format": FORMAT, **asdict(snapshot)}, allow_nan=False)


def _number(value: object, optional: bool) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("not a finite number")
    return float(value)


def from_json(content: str) -> Snapshot | None:
    """The stored snapshot, or None when it cannot be trusted to mean what it says."""
    try:
        raw = json.loads(content)
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            return None
        values = {f.name: _number(raw.get(f.name), "None" in str(f.type)) for f in fields(Snapshot)}
    except (ValueError, RecursionError):
        return None
    return Snapshot(**values)  # type: ignore[arg-type]

"""Cross-session isolation: a result computed from one session's upload is never served to
another session, even when the upload is built to look like the bundled data (same zone key,
same short version shown to people)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from planner.data import Dataset, load
from planner.outlook import assess
from planner.ui import cache
from planner.ui.own_zone import OWN
from planner.zonefile import load_zone_csv, template_csv
from tests.conftest import APP, metric_values, open_link

BUNDLED = load()


def _clear() -> None:
    for entry in (cache.outlook, cache._solve, cache.risk, cache.sensitivity):
        entry.cache_clear()


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    _clear()
    yield
    _clear()


def look_alike() -> Dataset:
    """An upload that keeps the SEZ's key but a quarter of its jobs and half its floor area,
    with a digest forced to share the bundled data's short version — what brute force over
    eight hex digits finds in minutes."""
    text = template_csv(BUNDLED, "sez").replace("jobs,22100", "jobs,5525").replace("1600000", "800000")
    upload = load_zone_csv(text.encode(), "zone.csv", BUNDLED)
    forged = dataclasses.replace(upload, digest=BUNDLED.digest[:8] + upload.digest[8:])
    assert forged.version == BUNDLED.version and forged.digest != BUNDLED.digest
    assert forged.zones[0].key == "sez"
    return forged


def test_the_short_version_is_for_people_and_the_digest_is_whole() -> None:
    assert len(BUNDLED.digest) == 64 and BUNDLED.version == BUNDLED.digest[:8]
    with pytest.raises(ValueError, match="digest"):
        dataclasses.replace(BUNDLED, digest=BUNDLED.version)


@pytest.mark.parametrize("order", ["upload_first", "bundled_first"])
def test_every_cache_keeps_a_look_alike_upload_apart(order: str) -> None:
    forged = look_alike()
    plan = BUNDLED.scenario("sez")
    forged_plan = forged.scenario("sez")
    reading = BUNDLED.zone("sez").goal("new_jobs").reading
    lone = assess(BUNDLED, "sez", plan, reading)

    def served(dataset: Dataset, scenario) -> tuple:
        outlook = cache.outlook(dataset, "sez", scenario, reading)
        risk = cache.risk(dataset, "sez", scenario, reading)
        swings = cache.sensitivity(dataset, "sez", scenario)
        needed = cache.requirements(dataset, "sez", scenario, reading)
        return outlook, risk, swings, needed

    if order == "upload_first":
        theirs = served(forged, forged_plan)
        ours = served(BUNDLED, plan)
    else:
        ours = served(BUNDLED, plan)
        theirs = served(forged, forged_plan)
    assert ours[0].jobs.value == pytest.approx(lone.jobs.value, rel=1e-12)
    assert ours[0].area.value == pytest.approx(lone.area.value, rel=1e-12)
    assert theirs[0].jobs.value != pytest.approx(ours[0].jobs.value, rel=1e-3)
    for mine, other in zip(ours, theirs, strict=True):
        assert mine is not other
    assert ours[3] != theirs[3]
    assert dict(ours[0].jobs.required) == dict(lone.jobs.required)


def _session() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize("link", [{}, {"growth": "20"}, {"delivery": "90", "density": "9"}])
def test_a_second_session_sees_its_own_numbers_after_a_look_alike_upload(link: dict[str, str]) -> None:
    alone = metric_values(open_link(link))
    _clear()
    attacker = _session()
    attacker.session_state[OWN] = look_alike()
    attacker.run()
    assert not attacker.exception
    # The attacker's own screen shows the upload's numbers …
    assert metric_values(attacker) != alone
    # … and nobody else's does, on the same link or any other.
    assert metric_values(open_link(link)) == alone

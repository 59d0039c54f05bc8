"""Shared fixtures for the test suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.data import Dataset, load
from planner.i18n import text
from planner.scenario import GROUPS, Scenario
from planner.ui.state import OPEN_SECTIONS
from planner.zone import Zone


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The bundled data, loaded once (it is an immutable value)."""
    return load()


@pytest.fixture(scope="session")
def sez(dataset: Dataset) -> Zone:
    return dataset.zone("sez")


def everywhere(dataset: Dataset, zone_key: str, **values: object) -> Scenario:
    """The zone's plan with `values` set; for zones together, set in every part (a test's
    way to give both zones one growth rate, which the app does not offer)."""
    zone = dataset.zone(zone_key)
    if not zone.parts:
        return dataset.scenario(zone_key).with_values(dataset.registry, values)
    parts = tuple((part.key, everywhere(dataset, part.key, **values)) for part in zone.parts)
    return Scenario.combined(dataset.registry, parts)


APP = str(Path(__file__).resolve().parents[1] / "app.py")


def metric_values(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def open_groups(at: AppTest) -> AppTest:
    """Open every parameter group in the sidebar, as a user would to reach all controls
    (a closed group builds no widgets)."""
    at.session_state[OPEN_SECTIONS] = GROUPS
    at.run()
    return at


def link_notices(at: AppTest) -> list[str]:
    """The notices about a link's dropped parts (sanity warnings are warnings too)."""
    prefixes = tuple(text("link_notice", lang) for lang in ("ru", "en"))
    return [w.value for w in at.warning if w.value.startswith(prefixes)]


NORTH = """\
table,key,field,value,source
zone,north,name_ru,Северный технопарк,
zone,north,name_en,North technopark,assumption: an example zone
zone,north,occupancy_pct,90,assumption: example figure
cluster,software,name_ru,Программное обеспечение,
cluster,software,name_en,Software,
cluster,software,base_share_pct,60,assumption: example split
cluster,software,density_jobs_per_1000m2,40,assumption: offices
cluster,robotics,name_ru,Робототехника,
cluster,robotics,name_en,Robotics,
cluster,robotics,base_share_pct,40,assumption: example split
cluster,robotics,density_jobs_per_1000m2,20,assumption: workshops
goal,floor_area,basis,multiple,
goal,floor_area,value,2,assumption: the park's own plan
goal,floor_area,year,2031,assumption: the park's own plan
goal,floor_area,base_year,2025,assumption: the plan counts from the last full year
goal,floor_area,is_default,TRUE,
goal,floor_area,label_ru,площадь ×2,
goal,floor_area,label_en,floor area ×2,
goal,new_jobs:plan,basis,new,
goal,new_jobs:plan,value,15000,assumption: the park's own plan
goal,new_jobs:plan,year,2031,assumption: the park's own plan
goal,new_jobs:plan,base_year,2025,assumption: the plan counts from the last full year
goal,new_jobs:plan,is_default,true,
goal,new_jobs:plan,label_ru,15 тыс. новых рабочих мест,
goal,new_jobs:plan,label_en,"15,000 new jobs",
actual,2025,floor_area_m2,500000,assumption: example figure
actual,2025,jobs,12000,assumption: example figure
actual,2025,companies,150,assumption: example figure
default,occupancy,value,85,"assumption: new space fills more slowly than the old, 85 %"
"""


def open_link(query: dict[str, str | list[str]] | None = None) -> AppTest:
    """A fresh session opened on a link (its query parameters), run once without an error."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    assert not at.exception
    return at


# -- the library's databases: an SQLite file and a real PostgreSQL server ------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """One PostgreSQL server for the whole run, started on first use."""
    from tests import pgserver

    with pgserver.server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def library_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty library database of each kind the library supports."""
    from planner.library import engine

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'library.sqlite3'}"
        yield url
        engine.forget(url)
        return
    from tests import pgserver

    with pgserver.database(request.getfixturevalue("postgres_server")) as url:
        yield url
        engine.forget(url)


@pytest.fixture(autouse=True)
def own_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test's app and CLI use a library file of their own, never the user's."""
    monkeypatch.setenv("PLANNER_LIBRARY_URL", f"sqlite:///{tmp_path / 'own-library.sqlite3'}")

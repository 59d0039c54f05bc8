"""AppTest for the finished screens: the open tab across a language switch, the uploaded
zone's banner, the share box's warning, probabilities in Compare."""

from __future__ import annotations

from planner.i18n import text
from planner.ui.sharing import SHARE_OPEN
from tests.conftest import open_link
from tests.test_app_library import open_tab


def test_the_open_tab_is_kept_across_a_language_switch() -> None:
    at = open_tab(open_link(), "risk")
    at.radio(key="lang").set_value("en").run()
    assert at.session_state["tab"] == text("tab_risk", "en")
    assert at.tabs[3].label == text("tab_risk", "en")


def test_an_uploaded_zone_says_so_and_the_share_box_warns() -> None:
    from planner.ui.state import DEFAULT_OPEN_SECTIONS
    from tests.test_app_own_zone import OPEN_SECTIONS, SECTION, own_zone_file, upload

    at = open_link()
    assert not [i for i in at.info if "north.csv" in i.value]
    at.session_state[SHARE_OPEN] = True  # the share box open, as a user reads its warning
    at.session_state[OPEN_SECTIONS] = (*DEFAULT_OPEN_SECTIONS, SECTION)
    at.run()
    upload(at, own_zone_file(), "north.csv")
    (banner,) = [i.value for i in at.info if "north" in i.value]
    assert "загруженном файле" in banner
    assert [w for w in at.sidebar.warning if w.value == text("share_needs_file", "ru")]
    # Saved to the library, the short link carries the file: no warning, and it reopens the zone.
    from tests.test_app_library import save

    version_id = save(at, "Северная")
    assert not [w for w in at.sidebar.warning if w.value == text("share_needs_file", "ru")]
    other = open_link({"s": version_id})
    assert other.selectbox(key="zone").value == "north"
    assert [i for i in other.info if "north" in i.value]


def test_compare_shows_each_pin_probabilities() -> None:
    at = open_link({"growth": "30"})
    open_tab(at, "compare")
    (pin,) = [b for b in at.button if b.label == text("pin", "ru")]
    pin.click().run()
    (table,) = at.dataframe
    rows = list(table.value.index)
    for key in ("library_p_area", "library_p_jobs", "library_p_both"):
        assert text(key, "ru") in rows
    assert table.value.loc[text("library_p_area", "ru")].iloc[0].endswith("%")

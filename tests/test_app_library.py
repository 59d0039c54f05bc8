"""AppTest for the team library: save, short links, versions, owners, pins, a database down."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from planner.data import load
from planner.i18n import text
from planner.library import engine as engines
from planner.library.store import Library
from planner.links import default_link, to_file
from planner.ui import library_tab
from planner.ui.library_access import AUTHOR
from planner.ui.sharing import plain
from tests.conftest import APP, link_notices, metric_values, open_link


def open_tab(at: AppTest, name: str) -> AppTest:
    at.session_state["tab"] = text(f"tab_{name}", at.session_state["lang"])
    at.run()
    assert not at.exception
    return at


def save(at: AppTest, name: str, note: str = "", author: str = "Анна") -> str:
    """Save through the Library tab; returns the short link's id from the address bar."""
    open_tab(at, "library")
    at.text_input(key=AUTHOR).input(author).run()
    at.text_input(key=library_tab.NAME).input(name).run()
    at.text_area(key=library_tab.NOTE).input(note).run()
    at.button(key=library_tab.SAVE).click().run()
    assert not at.exception
    assert [s.value for s in at.success], [e.value for e in at.error]
    return at.query_params["s"]


def library() -> Library:
    return Library.open(engines.library_url())


def test_a_saved_scenario_opens_exactly_by_its_short_link() -> None:
    at = open_link({"growth": "19.37", "density": "27.7", "lang": "en"})
    shown = metric_values(at)
    version_id = save(at, "Board case", "for the board")
    assert len(version_id) == 12
    saved = library().version(version_id)
    assert (saved.entry_name, saved.head.note, saved.head.author) == ("Board case", "for the board", "Анна")
    other = open_link({"s": version_id, "lang": "en"})  # another analyst, another session
    assert metric_values(other) == shown
    assert other.session_state["growth"] == pytest.approx(19.37)
    assert other.query_params["s"] == version_id
    assert not link_notices(other)
    other.slider(key="growth").set_value(20).run()  # a change: the full link again
    assert "s" not in other.query_params
    assert other.query_params["growth"] == "20"


def test_saving_again_is_a_new_version_never_an_overwrite() -> None:
    at = open_link({"growth": "21"})
    first = save(at, "Рост")
    at.slider(key="growth").set_value(23).run()
    open_tab(at, "library")
    entry_id = library().version(first).head.entry_id
    assert at.radio(key=library_tab.TARGET).options == [
        text("library_target_new", "ru"),
        text("library_target_version", "ru", name="Рост"),
    ]
    at.radio(key=library_tab.TARGET).set_value(entry_id).run()
    at.button(key=library_tab.SAVE).click().run()
    assert not at.exception and at.success
    second = at.query_params["s"]
    assert library().version(second).head.number == 2
    assert library().version(first).scenario != library().version(second).scenario
    assert '"growth": 21' in library().version(first).scenario.replace("21.0", "21")


def test_no_name_no_save_and_the_reason_is_said() -> None:
    at = open_tab(open_link(), "library")
    assert at.button(key=library_tab.SAVE).disabled
    assert text("library_who_first", "ru") in [c.value for c in at.caption]


def test_a_bad_name_is_refused_and_what_was_typed_stays() -> None:
    at = open_tab(open_link(), "library")
    at.text_input(key=AUTHOR).input("Анна").run()
    at.text_area(key=library_tab.NOTE).input("важный комментарий").run()
    at.button(key=library_tab.SAVE).click().run()  # no name
    assert [e.value for e in at.error] == [
        plain(text("library_text_empty", "ru", field=text("library_field_name", "ru")))
    ]
    assert at.text_area(key=library_tab.NOTE).value == "важный комментарий"
    open_tab(at, "trajectory")  # the tab closed and opened again: still there
    open_tab(at, "library")
    assert at.text_area(key=library_tab.NOTE).value == "важный комментарий"
    assert at.text_input(key=AUTHOR).value == "Анна"


def test_the_planner_works_with_the_database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_LIBRARY_URL", "postgresql://planner@127.0.0.1:1/library")
    at = open_link({"growth": "20"})
    shown = metric_values(at)
    open_tab(at, "library")
    assert [w.value for w in at.warning if w.value == plain(text("library_unavailable", "ru"))]
    at.text_input(key=AUTHOR).input("Анна").run()
    at.text_input(key=library_tab.NAME).input("не потеряется").run()
    assert at.text_input(key=library_tab.NAME).value == "не потеряется"
    assert metric_values(at) == shown
    at.slider(key="growth").set_value(22).run()
    assert not at.exception and metric_values(at) != shown
    assert at.text_input(key=library_tab.NAME).value == "не потеряется"
    opened = open_link({"s": "abcdefghjkmn", "growth": "21"})  # a short link while the database is down
    assert any(plain(text("library_unavailable", "ru")) in n for n in link_notices(opened))
    assert opened.session_state["growth"] == 21  # the rest of the link still applies
    engines.forget("postgresql://planner@127.0.0.1:1/library")


def test_a_short_link_to_nothing_is_a_notice() -> None:
    for bad in ("abcdefghjkmn", "<script>", "' OR 1=1"):
        at = open_link({"s": bad})
        assert any(plain(text("library_not_found", "ru")) in n for n in link_notices(at))
        assert metric_values(at)


def test_a_link_made_with_other_data_says_both_versions() -> None:
    at = open_link({"growth": "20", "data": "00000000", "model": "3"})
    (notice,) = [i.value for i in at.info if "00000000" in i.value]
    assert "модели 3" in notice and at.session_state["growth"] == 20
    fresh = open_link({"growth": "20"})
    assert not [i for i in fresh.info if "00000000" in i.value]


def test_library_text_is_shown_as_plain_text() -> None:
    at = open_link()
    save(at, "[клик](javascript:alert(1)) **жирно**", "<img src=x onerror=alert(1)>", author="<b>Мэллори</b>")
    open_tab(at, "library")
    library_id = library().entries().entries[0].id
    at.session_state[library_tab.ANNOTATION] = "![x](http://evil.example/x.png)"
    at.run()
    (annotate,) = [b for b in at.button if b.label == text("library_annotate_button", "ru")]
    annotate.click().run()
    markup = " ".join(m.value for m in [*at.markdown, *at.caption])
    assert "](javascript" not in markup and "](http" not in markup and "<b>" not in markup
    assert library().annotations(library_id)[0].text == "![x](http://evil.example/x.png)"


def test_owner_renames_annotates_and_archives() -> None:
    at = open_link()
    save(at, "Черновик")
    (rename,) = [b for b in at.button if b.label == text("library_rename_button", "ru")]
    at.text_input(key=library_tab.RENAME).input("Итог").run()
    rename.click().run()
    assert library().entries().entries[0].name == "Итог"
    (archive,) = [b for b in at.button if b.label == text("library_archive_button", "ru")]
    archive.click().run()
    assert library().entries().total == 0
    assert library().entries(archived=True).total == 1


def test_someone_else_sees_no_change_controls() -> None:
    at = open_link()
    save(at, "Моё")
    other = open_tab(open_link(), "library")
    other.text_input(key=AUTHOR).input("Борис").run()
    assert not [b for b in other.button if b.label == text("library_rename_button", "ru")]
    assert library().entries().total == 1


def test_pins_are_library_entries_that_survive_a_reload() -> None:
    at = open_link({"growth": "21"})
    open_tab(at, "library")
    at.text_input(key=AUTHOR).input("Анна").run()
    open_tab(at, "compare")
    (pin,) = [b for b in at.button if b.label == text("pin", "ru")]
    pin.click().run()
    assert not at.exception
    pinned = at.query_params["pins"]
    assert library().version(pinned).head.note == text("pin_note", "ru")
    reloaded = open_link(dict(at.query_params))
    open_tab(reloaded, "compare")
    assert [b for b in reloaded.button if b.label == text("pin_remove", "ru")]
    assert reloaded.query_params["pins"] == pinned


def test_a_library_version_is_added_to_the_comparison() -> None:
    at = open_link({"growth": "21"})
    version_id = save(at, "Для сравнения")
    (add,) = [b for b in at.button if b.label == text("library_compare", "ru")]
    add.click().run()
    assert at.query_params["pins"] == version_id


AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-secret-for-tests",
        "client_id": "planner",
        "client_secret": "x",
        "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
    }
}


def signed_in(user: dict[str, object]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets.update(AUTH)
    at.user = user
    at.run()
    return open_tab(at, "library")


def test_with_sign_in_configured_the_provider_names_the_author() -> None:
    anonymous = signed_in({"is_logged_in": False})
    assert [b for b in anonymous.button if b.label == text("library_sign_in", "ru")]
    assert anonymous.button(key=library_tab.SAVE).disabled
    assert not [t for t in anonymous.text_input if t.key == AUTHOR]  # no typed names when people sign in
    anna = signed_in({"is_logged_in": True, "sub": "anna-123", "name": "Анна Петрова", "email": "anna@example.org"})
    anna.text_input(key=library_tab.NAME).input("Вход через провайдера").run()
    anna.button(key=library_tab.SAVE).click().run()
    assert anna.success and not anna.exception
    entry = library().entries().entries[0]
    assert (entry.owner, entry.author) == ("oidc:anna-123", "Анна Петрова")
    namesake = signed_in({"is_logged_in": True, "sub": "other-456", "name": "Анна Петрова"})
    assert not [b for b in namesake.button if b.label == text("library_rename_button", "ru")]


def test_a_file_made_with_other_data_says_so() -> None:
    dataset = load()
    content = json.loads(to_file(dataset, default_link(dataset)))
    content["data_version"], content["model_version"] = "0badc0de", "2"
    at = open_tab(open_link(), "export")
    at.file_uploader(key="scenario_upload").set_value(
        ("old.json", json.dumps(content).encode(), "application/json")
    ).run()
    assert not at.exception
    (notice,) = [i.value for i in at.info if "0badc0de" in i.value]
    assert "файл сценария" in notice and f"данные {dataset.version}" in notice

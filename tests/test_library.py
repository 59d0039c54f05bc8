"""The team library on both databases it supports: an SQLite file and a real PostgreSQL."""

from __future__ import annotations

import json
import threading
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from planner.data import Dataset
from planner.library import engine as engines
from planner.library import ids, snapshot, transfer
from planner.library.errors import LibraryError, LibraryUnavailable
from planner.library.records import Draft, Identity, ZoneFile
from planner.library.scenarios import draft, reopen
from planner.library.store import Library, Limits
from planner.library.tables import metadata
from planner.links import default_link
from planner.outlook import assess
from planner.summary import summarise
from planner.versions import MODEL_VERSION, Made

ANNA = Identity("name:анна", "Анна", verified=False)
BORIS = Identity("name:boris", "Boris", verified=False)


@pytest.fixture
def library(library_url: str) -> Library:
    return Library.open(library_url)


@pytest.fixture(scope="module")
def plan_draft(dataset: Dataset) -> Draft:
    link = default_link(dataset)
    outlook = assess(dataset, link.zone, link.scenario, link.jobs_goal)
    return draft(dataset, link, summarise(dataset, outlook, None, link.scenario))


# -- schema and migrations --------------------------------------------------------------------


def test_migrations_from_empty_give_the_tables_the_code_uses(library_url: str) -> None:
    engine = engines.make_engine(library_url)
    engines.migrate(engine)
    assert engines.current(engine) == engines.head()
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert differences == []


def test_migration_from_the_previous_schema_keeps_and_indexes_what_was_saved(library_url: str) -> None:
    engine = engines.make_engine(library_url)
    engines.migrate(engine, "0001")
    assert "annotations" not in inspect(engine).get_table_names()
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO entries (id, name, name_key, owner, author, zone, created_at, updated_at,"
                " version_count, latest_version_id) VALUES ('aaaaaaaaaaaa', 'Рост ОЭЗ', 'рост оэз', 'name:анна',"
                " 'Анна', 'sez', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, 'bbbbbbbbbbbb')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO versions (id, entry_id, number, author, owner, created_at, note, zone, preset,"
                " data_version, model_version, app_version, scenario, results) VALUES ('bbbbbbbbbbbb',"
                " 'aaaaaaaaaaaa', 1, 'Анна', 'name:анна', '2026-01-01 00:00:00', 'Для СОВЕТА', 'sez', 'plan',"
                " 'abc', '3', '0.1.0', '{}', '{}')"
            )
        )
    engines.migrate(engine)
    library = Library(engine)
    page = library.entries(query="совета")  # a note written before search existed, found in any case
    assert [e.name for e in page.entries] == ["Рост ОЭЗ"]
    assert not page.entries[0].archived
    assert library.version("bbbbbbbbbbbb").head.note == "Для СОВЕТА"
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    engine.dispose()


def test_a_second_start_finds_nothing_to_migrate(library_url: str) -> None:
    first = engines.make_engine(library_url)
    engines.migrate(first)
    engines.migrate(first)  # as a second replica would on start
    assert engines.current(first) == engines.head()
    first.dispose()


# -- saving and versions ----------------------------------------------------------------------


def test_every_save_is_a_new_immutable_version(library: Library, plan_draft: Draft) -> None:
    first = library.save(ANNA, "  Рост   ОЭЗ ", "первая", plan_draft)
    assert first.entry_name == "Рост ОЭЗ"  # one line, runs of spaces folded
    assert first.head.number == 1
    assert first.head.model_version == MODEL_VERSION
    changed = Draft(**{**plan_draft.__dict__, "preset": "delayed"})
    second = library.save(ANNA, "ignored", "вторая", changed, entry_id=first.head.entry_id)
    assert second.head.number == 2
    assert second.head.id != first.head.id
    again = library.version(first.head.id)
    assert (again.head.note, again.head.preset, again.scenario) == ("первая", "plan", plan_draft.scenario)
    entry = library.entry(first.head.entry_id)
    assert (entry.version_count, entry.latest_version_id, entry.name) == (2, second.head.id, "Рост ОЭЗ")
    assert [v.number for v in library.versions(entry.id)] == [2, 1]


def test_ids_are_short_unguessable_and_checked_before_any_query(library: Library, plan_draft: Draft) -> None:
    saved = {library.save(ANNA, f"s{i}", "", plan_draft).head.id for i in range(20)}
    assert len(saved) == 20
    assert all(ids.is_id(i) and len(i) == ids.LENGTH for i in saved)
    for probe in ("", "x" * 13, "' OR 1=1 --", "ABCDEFGHIJKL", None, 5, "aaaaaaaaaaa0"):
        with pytest.raises(LibraryError) as refused:
            library.version(probe)  # type: ignore[arg-type]
        assert refused.value.key == "library_not_found"


def test_the_zone_file_a_version_was_saved_on_is_kept_once(library: Library, plan_draft: Draft) -> None:
    zone_file = ZoneFile("north.csv", b"table,key\n")
    with_file = Draft(**{**plan_draft.__dict__, "zone_file": zone_file})
    one = library.save(ANNA, "a", "", with_file)
    two = library.save(BORIS, "b", "", with_file)
    assert library.version(one.head.id).zone_file == zone_file == library.version(two.head.id).zone_file
    with library.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM zone_files")).scalar() == 1


# -- names, notes and owners ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("", "library_text_empty"),
        ("   ", "library_text_empty"),
        ("x" * 121, "library_text_long"),
        ("x" * 100_000, "library_text_long"),
        ("a\nb", "library_text_character"),
        ("a\x00b", "library_text_character"),
        ("a\u2028b", "library_text_character"),
        ("a\ud800b", "library_text_character"),
        (None, "library_text_type"),
    ],
)
def test_a_bad_name_is_refused_and_nothing_is_saved(
    library: Library, plan_draft: Draft, name: object, key: str
) -> None:
    with pytest.raises(LibraryError) as refused:
        library.save(ANNA, name, "", plan_draft)  # type: ignore[arg-type]
    assert refused.value.key == key
    assert refused.value.message("ru") != refused.value.message("en")
    assert library.entries().total == 0


def test_notes_keep_lines_and_markup_as_typed(library: Library, plan_draft: Draft) -> None:
    note = "Строка 1\nСтрока 2: <b>жирный</b> [ссылка](javascript:alert(1)) ![x](http://e/x.png)"
    saved = library.save(ANNA, "**жирное** <i>имя</i>", note, plan_draft)
    assert library.version(saved.head.id).head.note == note  # stored as typed; every reader shows plain text
    assert library.entry(saved.head.entry_id).name == "**жирное** <i>имя</i>"
    with pytest.raises(LibraryError, match="longer than 2000"):
        library.save(ANNA, "long", "x" * 2_001, plan_draft)


def test_one_owner_cannot_have_two_entries_of_one_name(library: Library, plan_draft: Draft) -> None:
    library.save(ANNA, "План", "", plan_draft)
    with pytest.raises(LibraryError) as refused:
        library.save(ANNA, "пЛАН", "", plan_draft)
    assert refused.value.key == "library_name_taken"
    library.save(BORIS, "План", "", plan_draft)  # another author's name is another name
    assert library.entries().total == 2


def test_only_the_owner_changes_an_entry(library: Library, plan_draft: Draft) -> None:
    entry_id = library.save(ANNA, "Мой", "", plan_draft).head.entry_id
    for change in (
        lambda: library.save(BORIS, "x", "", plan_draft, entry_id=entry_id),
        lambda: library.rename(BORIS, entry_id, "Чужой"),
        lambda: library.annotate(BORIS, entry_id, "приписка"),
        lambda: library.archive(BORIS, entry_id),
    ):
        with pytest.raises(LibraryError) as refused:
            change()
        assert refused.value.key == "library_not_owner"
        assert "Анна" in refused.value.message("ru")
    entry = library.entry(entry_id)
    assert (entry.name, entry.version_count, entry.archived) == ("Мой", 1, False)
    assert library.annotations(entry_id) == ()


def test_rename_annotate_archive(library: Library, plan_draft: Draft) -> None:
    entry_id = library.save(ANNA, "Черновик", "", plan_draft).head.entry_id
    assert library.rename(ANNA, entry_id, "Итог для совета").name == "Итог для совета"
    library.annotate(ANNA, entry_id, "Одобрено 3 декабря")
    assert [a.text for a in library.annotations(entry_id)] == ["Одобрено 3 декабря"]
    assert [e.id for e in library.entries(query="ОДОБРЕНО").entries] == [entry_id]
    assert library.entries(query="черновик").total == 0  # the old name is no longer searched
    library.archive(ANNA, entry_id)
    assert library.entries().total == 0
    assert [e.id for e in library.entries(archived=True).entries] == [entry_id]
    assert library.version(library.entry(entry_id).latest_version_id).head.entry_id == entry_id  # links still open
    library.archive(ANNA, entry_id, archived=False)
    assert library.entries().total == 1


# -- listing ----------------------------------------------------------------------------------


def test_search_is_casefolded_and_takes_wildcards_literally(library: Library, plan_draft: Draft) -> None:
    library.save(ANNA, "Рост 25%", "", plan_draft)
    library.save(ANNA, "Рост 250", "", plan_draft)
    library.save(BORIS, "Delay_case", "", plan_draft)
    assert [e.name for e in library.entries(query="рОСТ 25%").entries] == ["Рост 25%"]
    assert [e.name for e in library.entries(query="_").entries] == ["Delay_case"]
    assert library.entries(query="%").total == 1
    assert library.entries(query="боРИС").total == 0
    assert library.entries(query="boris").total == 1  # the author is searched too
    assert library.entries(owner=ANNA.owner).total == 2
    assert library.entries(zone="technoparks").total == 0


def test_listing_pages_newest_first(library: Library, plan_draft: Draft) -> None:
    names = [f"n{i:02d}" for i in range(12)]
    for name in names:
        library.save(ANNA, name, "", plan_draft)
    first, second = library.entries(limit=5), library.entries(limit=5, offset=5)
    assert first.total == second.total == 12
    assert [e.name for e in first.entries] == names[::-1][:5]
    assert [e.name for e in second.entries] == names[::-1][5:10]
    assert len(library.entries(limit=10_000).entries) == 12  # a page is bounded, not refused


# -- limits -----------------------------------------------------------------------------------


def test_limits_on_entries_versions_and_annotations(library_url: str, plan_draft: Draft) -> None:
    library = Library(
        engines.engine_for(library_url), Limits(entries_per_owner=2, versions_per_entry=2, annotations_per_entry=1)
    )
    entry_id = library.save(ANNA, "a", "", plan_draft).head.entry_id
    library.save(ANNA, "b", "", plan_draft)
    with pytest.raises(LibraryError, match="more than 2 entries"):
        library.save(ANNA, "c", "", plan_draft)
    library.save(BORIS, "c", "", plan_draft)  # the limit is per author
    library.save(ANNA, "", "", plan_draft, entry_id=entry_id)
    with pytest.raises(LibraryError, match="more than 2 versions"):
        library.save(ANNA, "", "", plan_draft, entry_id=entry_id)
    library.annotate(ANNA, entry_id, "one")
    with pytest.raises(LibraryError, match="more than 1 annotations"):
        library.annotate(ANNA, entry_id, "two")


def test_the_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_LIBRARY_MAX_ENTRIES", "7")
    assert Limits.from_environment().entries_per_owner == 7
    monkeypatch.setenv("PLANNER_LIBRARY_MAX_ENTRIES", "lots")
    assert Limits.from_environment() == Limits()


def test_a_scenario_over_the_file_limit_is_refused(library: Library, plan_draft: Draft) -> None:
    huge = Draft(**{**plan_draft.__dict__, "scenario": "x" * (512 * 1024 + 1)})
    with pytest.raises(LibraryError) as refused:
        library.save(ANNA, "big", "", huge)
    assert refused.value.key == "library_scenario_big"


# -- reliability ------------------------------------------------------------------------------


def test_eight_sessions_saving_at_once_lose_nothing(library: Library, plan_draft: Draft) -> None:
    shared = library.save(ANNA, "Общий", "", plan_draft).head.entry_id
    start = threading.Barrier(8)
    saved: list[tuple[str, int]] = []
    failures: list[BaseException] = []

    def session(n: int) -> None:
        try:
            start.wait()
            own = library.save(Identity(f"name:s{n}", f"s{n}", False), f"свой {n}", f"note {n}", plan_draft)
            next_one = library.save(ANNA, "", f"версия от {n}", plan_draft, entry_id=shared)
            saved.extend([(own.head.id, own.head.number), (next_one.head.id, next_one.head.number)])
        except BaseException as error:  # every failure is reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert len({v for v, _ in saved}) == 16
    assert sorted(v.number for v in library.versions(shared)) == list(range(1, 10))
    assert {v.note for v in library.versions(shared)} == {"", *(f"версия от {n}" for n in range(8))}
    assert library.entries().total == 9


def test_an_unreachable_database_is_a_notice_not_a_wait(postgres_server: str) -> None:
    closed = postgres_server.rsplit(":", 1)[0] + ":1/none"
    started = time.monotonic()
    with pytest.raises(LibraryUnavailable) as refused:
        Library.open(closed)
    assert time.monotonic() - started < 10
    assert "недоступна" in refused.value.message("ru")
    again = time.monotonic()
    with pytest.raises(LibraryUnavailable):
        Library.open(closed)  # not asked again at once: a page does not wait on every rerun
    assert time.monotonic() - again < 0.5
    engines.forget(closed)


def test_a_database_that_goes_away_is_a_notice(library_url: str, plan_draft: Draft) -> None:
    library = Library.open(library_url)
    version_id = library.save(ANNA, "до", "", plan_draft).head.id
    with library.engine.begin() as connection:  # the database answers, but not as the library expects
        connection.execute(text("ALTER TABLE versions RENAME TO versions_gone"))
    with pytest.raises(LibraryUnavailable):
        library.version(version_id)
    assert library.entries().total == 1  # what still works, works


def test_unsupported_or_bad_urls_are_named() -> None:
    with pytest.raises(LibraryError) as refused:
        engines.make_engine("mysql://x@y/z")
    assert refused.value.key == "library_url_kind"
    with pytest.raises(LibraryError) as bad:
        engines.make_engine("not a url")
    assert bad.value.key == "library_url_bad"
    assert "secret" not in engines.shown_url("postgresql://me:secret@host/db")


def test_the_default_library_is_a_file_in_the_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("PLANNER_LIBRARY_URL", raising=False)
    monkeypatch.delenv("PLANNER_LIBRARY_PATH", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert engines.library_url() == f"sqlite:///{tmp_path}/technopolis-planner/library.sqlite3"
    assert engines.library_url("postgresql://h/db") == "postgresql://h/db"  # the app's secret
    monkeypatch.setenv("PLANNER_LIBRARY_URL", "sqlite:////srv/lib.db")
    assert engines.library_url("postgresql://h/db") == "sqlite:////srv/lib.db"  # the environment wins
    monkeypatch.delenv("PLANNER_LIBRARY_URL")
    monkeypatch.setenv("PLANNER_LIBRARY_PATH", str(tmp_path / "x" / "lib.sqlite3"))
    url = engines.library_url()
    Library.open(url)
    assert (tmp_path / "x" / "lib.sqlite3").is_file()  # created on first use, folder and all
    engines.forget(url)


# -- versions of data and model ---------------------------------------------------------------


def test_a_version_reopens_as_saved_and_says_what_it_was_made_with(
    library: Library, dataset: Dataset, plan_draft: Draft
) -> None:
    saved = library.save(ANNA, "x", "", plan_draft)
    reopened = reopen(dataset, library.version(saved.head.id), "en")
    assert reopened.link.scenario == default_link(dataset).scenario
    assert reopened.made == Made(dataset.digest, MODEL_VERSION)
    assert not reopened.made.differs(dataset.digest)
    assert Made(dataset.version, MODEL_VERSION).differs(dataset.digest) is False  # a link's eight digits
    assert Made("0" * 64, MODEL_VERSION).differs(dataset.digest)
    assert Made(dataset.digest, "0").differs(dataset.digest)
    then = snapshot.from_json(saved.results)
    assert then is not None and then.area_target > 0


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "[]",
        '{"format": 2}',
        '{"format": 1, "area_value": "1"}',
        '{"format": 1, "area_value": 1e999}',
        "[" * 100_000,
    ],
)
def test_a_stored_snapshot_is_read_as_untrusted(stored: str) -> None:
    assert snapshot.from_json(stored) is None


# -- export and import ------------------------------------------------------------------------


def test_export_then_import_into_the_other_database_keeps_links(
    library: Library, plan_draft: Draft, tmp_path, dataset: Dataset
) -> None:
    entry_id = library.save(
        ANNA, "Экспорт", "v1", Draft(**{**plan_draft.__dict__, "zone_file": ZoneFile("z.csv", b"z")})
    ).head.entry_id
    second = library.save(ANNA, "", "v2", plan_draft, entry_id=entry_id)
    library.annotate(ANNA, entry_id, "пометка")
    library.archive(ANNA, entry_id)
    document = transfer.export(library)
    other = Library.open(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    mapping = transfer.import_entries(other, document)
    assert mapping[second.head.id] == second.head.id  # free ids are kept: links made there open here
    copy = other.version(second.head.id)
    assert (copy.head.number, copy.head.note, copy.scenario) == (2, "v2", plan_draft.scenario)
    assert other.entries(archived=True).entries[0].name == "Экспорт"
    assert [a.text for a in other.annotations(entry_id)] == ["пометка"]
    assert json.loads(transfer.export(other))["entries"][0]["versions"][0]["zone_file"]["name"] == "z.csv"
    with pytest.raises(LibraryError) as taken:
        transfer.import_entries(other, document)  # the same names again: refused whole
    assert taken.value.key == "library_import_taken"
    assert other.entries(archived=True).total == 1
    engines.forget(str(other.engine.url))


@pytest.mark.parametrize(
    "document",
    [
        "not json",
        "[" * 50_000,
        '{"format": "technopolis-planner/library", "version": 2, "entries": []}',
        '{"format": "technopolis-planner/library", "version": 1, "entries": {}}',
        '{"format": "technopolis-planner/library", "version": 1, "entries": [{"owner": "x"}]}',
        '{"format": "technopolis-planner/library", "version": 1, "entries": [{"owner": "x", "name": "n",'
        ' "author": "a", "created_at": "2026-01-01", "versions": []}]}',
        '{"format": "technopolis-planner/library", "version": 1, "entries": [{"owner": "x", "name": "n\\u0000",'
        ' "author": "a", "created_at": "2026-01-01", "versions": [{}]}]}',
        '{"format": "technopolis-planner/library", "version": 1, "entries": [{"owner": "x", "name": "n",'
        ' "author": "a", "created_at": "yesterday", "versions": [{}]}]}',
    ],
)
def test_a_bad_library_file_is_refused_whole(library: Library, document: str) -> None:
    with pytest.raises(LibraryError):
        transfer.import_entries(library, document)
    assert library.entries().total == 0


# -- found by a red-team pass ---------------------------------------------------------------------


def test_a_schema_newer_than_the_code_is_named_not_touched(library_url: str) -> None:
    engine = engines.make_engine(library_url)
    engines.migrate(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'zzzz'"))
    engine.dispose()
    engines.forget(library_url)
    with pytest.raises(LibraryError) as refused:
        Library.open(library_url)
    assert refused.value.key == "library_schema_newer"
    engines.forget(library_url)


def test_a_folder_that_cannot_be_made_is_a_notice(tmp_path) -> None:
    (tmp_path / "file").write_text("x")
    url = f"sqlite:///{tmp_path / 'file' / 'library.sqlite3'}"
    with pytest.raises(LibraryUnavailable):
        Library.open(url)
    engines.forget(url)


def test_a_row_damaged_by_hand_is_named_and_the_rest_works(library: Library, plan_draft: Draft) -> None:
    damaged = library.save(ANNA, "повреждённая", "", plan_draft).head.id
    fine = library.save(ANNA, "целая", "", plan_draft).head.id
    with library.engine.begin() as connection:
        connection.execute(text("UPDATE versions SET results = 'x', scenario = 'x' WHERE id = :i"), {"i": damaged})
    if library.engine.dialect.name == "sqlite":  # SQLite keeps whatever text it is given
        with library.engine.begin() as connection:
            connection.execute(text("UPDATE versions SET created_at = 'garbage' WHERE id = :i"), {"i": damaged})
        with pytest.raises(LibraryError) as refused:
            library.version(damaged)
        assert refused.value.key == "library_damaged"
    assert library.version(fine).head.id == fine


def test_a_reader_does_not_wait_for_a_writer_on_sqlite(tmp_path, plan_draft: Draft) -> None:
    import sqlite3

    url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    library = Library.open(url)
    library.save(ANNA, "есть", "", plan_draft)
    writer = sqlite3.connect(tmp_path / "busy.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a save
    started = time.monotonic()
    assert library.entries().total == 1
    assert time.monotonic() - started < 2
    writer.execute("ROLLBACK")
    writer.close()
    engines.forget(url)


def test_invisible_format_characters_are_refused_in_names(library: Library, plan_draft: Draft) -> None:
    for disguised in ("Анна\u202eреп", "An\u200bna"):
        with pytest.raises(LibraryError) as refused:
            library.save(ANNA, disguised, "", plan_draft)
        assert refused.value.key == "library_text_character"


def test_an_owner_key_always_fits_its_column() -> None:
    from planner.library.limits import OWNER_LENGTH
    from planner.library.records import owner_key

    long = ("ﬃ" * 80).casefold()
    assert len(owner_key("name", long)) <= OWNER_LENGTH
    assert owner_key("name", long) != owner_key("name", long[:-1])
    assert owner_key("name", "анна") == "name:анна"


def test_a_long_zone_file_name_is_cut_not_refused(library: Library, plan_draft: Draft) -> None:
    long_name = Draft(**{**plan_draft.__dict__, "zone_file": ZoneFile("z" * 300 + ".csv", b"z")})
    saved = library.save(ANNA, "длинное имя файла", "", long_name)
    assert len(library.version(saved.head.id).zone_file.name) == 120


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("preset", "\ud800"),
        ("zone", "a\x00b"),
        ("model_version", "[x](//e.co)"),
        ("data_version", "<b>"),
        ("app_version", "\x1b]0;x"),
    ],
)
def test_an_import_refuses_bad_machine_fields(library: Library, plan_draft: Draft, field: str, value: str) -> None:
    library.save(ANNA, "образец", "", plan_draft)
    document = json.loads(transfer.export(library))
    document["entries"][0]["versions"][0][field] = value
    document["entries"][0]["name"] = "другое имя"
    with pytest.raises(LibraryError):
        transfer.import_entries(library, json.dumps(document))
    assert library.entries().total == 1


def test_plain_escapes_headings_entities_and_indented_code() -> None:
    from planner.ui.markup import plain

    shown = plain("Big title\n===\n\n    indented code\n&copy;")
    assert "\\=\\=\\=" in shown and "\\&copy;" in shown
    assert "\n    " not in shown and "\n\u00a0\u00a0\u00a0\u00a0indented" in shown

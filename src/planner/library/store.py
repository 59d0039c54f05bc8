"""The team library: named scenarios, each save an immutable version.

Entries are owned (`Identity.owner`); only the owner renames, annotates or archives one, and
nothing is ever overwritten: a save is a new version with the next number, taken under the
entry's row lock, so saves at the same moment all land. Every database failure becomes
LibraryUnavailable (logged once here), so a caller has two error classes to handle.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, and_, func, select, update
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, SQLAlchemyError

from planner.library import engine as engines
from planner.library import ids
from planner.library.errors import LibraryError, LibraryUnavailable
from planner.library.limits import KEY_LENGTH, NAME_LENGTH
from planner.library.records import Annotation, Draft, Entry, Identity, Page, Version, VersionHead, ZoneFile
from planner.library.tables import entries, entry_notes, versions, zone_files
from planner.library.texts import clean, folded, search_pattern
from planner.links import MAX_FILE_BYTES
from planner.versions import MODEL_VERSION, app_version
from planner.zonefile import MAX_BYTES as MAX_ZONE_BYTES

MAX_ENTRIES_VARIABLE = "PLANNER_LIBRARY_MAX_ENTRIES"
DEFAULT_MAX_ENTRIES = 1_000  # per author: a working library, not a dump
MAX_VERSIONS = 500  # per entry
MAX_ANNOTATIONS = 200  # per entry
MAX_PAGE = 100
MAX_RESULTS_BYTES = 64 * 1024

log = logging.getLogger(__name__)
Result = TypeVar("Result")


@dataclass(frozen=True)
class Limits:
    entries_per_owner: int = DEFAULT_MAX_ENTRIES
    versions_per_entry: int = MAX_VERSIONS
    annotations_per_entry: int = MAX_ANNOTATIONS

    @classmethod
    def from_environment(cls) -> Limits:
        raw = os.environ.get(MAX_ENTRIES_VARIABLE, "").strip()
        if raw.isascii() and raw.isdigit() and int(raw) > 0:
            return cls(entries_per_owner=int(raw))
        if raw:
            log.warning(
                "%s=%r is not a positive whole number; using %d", MAX_ENTRIES_VARIABLE, raw[:40], DEFAULT_MAX_ENTRIES
            )
        return cls()


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _utc(moment: datetime.datetime) -> datetime.datetime:
    """SQLite hands back the UTC moment it was given without its zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)


def _entry(row: Any) -> Entry:
    return Entry(
        id=row.id,
        name=row.name,
        author=row.author,
        owner=row.owner,
        zone=row.zone,
        created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
        version_count=row.version_count,
        latest_version_id=row.latest_version_id,
        archived=bool(row.archived),
    )


_HEAD_COLUMNS = (
    versions.c.id,
    versions.c.entry_id,
    versions.c.number,
    versions.c.author,
    versions.c.created_at,
    versions.c.note,
    versions.c.zone,
    versions.c.preset,
    versions.c.data_version,
    versions.c.model_version,
    versions.c.app_version,
)


def _head(row: Any) -> VersionHead:
    return VersionHead(
        id=row.id,
        entry_id=row.entry_id,
        number=row.number,
        author=row.author,
        created_at=_utc(row.created_at),
        note=row.note,
        zone=row.zone,
        preset=row.preset,
        data_version=row.data_version,
        model_version=row.model_version,
        app_version=row.app_version,
    )


def _checked_draft(draft: Draft) -> None:
    if len(draft.scenario.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise LibraryError("library_scenario_big", limit=MAX_FILE_BYTES // 1024)
    if len(draft.results.encode("utf-8", "surrogatepass")) > MAX_RESULTS_BYTES:
        raise LibraryError("library_scenario_big", limit=MAX_RESULTS_BYTES // 1024)
    if draft.zone_file is not None and len(draft.zone_file.content) > MAX_ZONE_BYTES:
        raise LibraryError("library_scenario_big", limit=MAX_ZONE_BYTES // 1024)
    if not (0 < len(draft.zone) <= KEY_LENGTH and 0 < len(draft.preset) <= KEY_LENGTH):
        raise LibraryError("library_scenario_bad")


class Library:
    """The library on one database. Cheap to make: the engine is shared per URL."""

    def __init__(self, engine: Engine, limits: Limits | None = None) -> None:
        self.engine = engine
        self.limits = limits or Limits.from_environment()

    @classmethod
    def open(cls, url: str) -> Library:
        """The library at `url`, migrated to the newest schema; LibraryUnavailable if unreachable."""
        return cls(engines.engine_for(url))

    # -- reading and writing through one guard ------------------------------------------------

    def run(self, work: Callable[[Connection], Result], write: bool = True) -> Result:
        """`work` in one transaction (one that `write`s takes SQLite's write lock at once); a
        database failure becomes LibraryUnavailable, a row that does not read as it should
        LibraryError("library_damaged")."""
        url = str(self.engine.url)
        try:
            with self.engine.connect() as connection:
                connection.execution_options(**{engines.WRITE_OPTION: write})
                with connection.begin():
                    return work(connection)
        except LibraryError:
            raise
        except IntegrityError:
            raise
        except SQLAlchemyError as error:
            cause = engines.first_line(error)
            log.warning("the library at %s failed: %s", engines.shown_url(url), cause)
            if isinstance(error, OperationalError | InterfaceError):  # down, not merely refusing
                engines.failed(url)
            raise LibraryUnavailable(cause) from None
        except (ValueError, TypeError, LookupError) as error:  # a row edited by hand into nonsense
            log.warning("a row of the library at %s does not read: %s", engines.shown_url(url), error)
            raise LibraryError("library_damaged") from None

    @contextmanager
    def _refusing_duplicates(self, name: str) -> Iterator[None]:
        try:
            yield
        except IntegrityError:
            # Only one unique rule can be broken by a name: one owner's names.
            raise LibraryError("library_name_taken", name=name) from None

    # -- saving ---------------------------------------------------------------------------------

    def save(self, identity: Identity, name: str, note: str, draft: Draft, entry_id: str | None = None) -> Version:
        """Save `draft` as a new entry named `name`, or as the next version of `entry_id`
        (which the saver must own). Returns the version saved."""
        note = clean(note, "note", required=False)
        _checked_draft(draft)
        if entry_id is None:
            name = clean(name, "name")
            with self._refusing_duplicates(name):
                return self.run(lambda c: self._new_entry(c, identity, name, note, draft))
        return self.run(lambda c: self._next_version(c, identity, entry_id, note, draft))

    def _new_entry(self, connection: Connection, identity: Identity, name: str, note: str, draft: Draft) -> Version:
        owned = connection.scalar(select(func.count()).select_from(entries).where(entries.c.owner == identity.owner))
        if (owned or 0) >= self.limits.entries_per_owner:
            raise LibraryError("library_too_many", limit=self.limits.entries_per_owner)
        entry_id, version_id, now = ids.new_id(), ids.new_id(), _now()
        connection.execute(
            entries.insert().values(
                id=entry_id,
                name=name,
                name_key=name.casefold()[:NAME_LENGTH],
                owner=identity.owner,
                author=identity.name,
                zone=draft.zone,
                created_at=now,
                updated_at=now,
                version_count=1,
                latest_version_id=version_id,
                archived=False,
                search_text=folded(name, identity.name, note),
            )
        )
        return self._insert_version(connection, identity, entry_id, name, version_id, 1, now, note, draft)

    def _next_version(
        self, connection: Connection, identity: Identity, entry_id: str, note: str, draft: Draft
    ) -> Version:
        entry = self._owned(connection, identity, entry_id)
        if entry.version_count >= self.limits.versions_per_entry:
            raise LibraryError("library_too_many_versions", limit=self.limits.versions_per_entry)
        version_id, now = ids.new_id(), _now()
        # The row's own counter, raised in the database: concurrent saves each get the next
        # number under the row's lock, and none overwrites another.
        connection.execute(
            update(entries)
            .where(entries.c.id == entry_id)
            .values(
                version_count=entries.c.version_count + 1,
                latest_version_id=version_id,
                updated_at=now,
                zone=draft.zone,
                search_text=entries.c.search_text + folded("", note),
            )
        )
        number = connection.scalar(select(entries.c.version_count).where(entries.c.id == entry_id))
        assert number is not None
        return self._insert_version(connection, identity, entry_id, entry.name, version_id, number, now, note, draft)

    def _insert_version(
        self,
        connection: Connection,
        identity: Identity,
        entry_id: str,
        entry_name: str,
        version_id: str,
        number: int,
        now: datetime.datetime,
        note: str,
        draft: Draft,
    ) -> Version:
        sha = self._keep_zone_file(connection, draft.zone_file, now)
        head = VersionHead(
            id=version_id,
            entry_id=entry_id,
            number=number,
            author=identity.name,
            created_at=now,
            note=note,
            zone=draft.zone,
            preset=draft.preset,
            data_version=draft.data_version,
            model_version=MODEL_VERSION,
            app_version=app_version()[:32],
        )
        connection.execute(
            versions.insert().values(
                **{column.name: getattr(head, column.name) for column in _HEAD_COLUMNS},
                owner=identity.owner,
                scenario=draft.scenario,
                results=draft.results,
                zone_file=sha,
            )
        )
        return Version(head, entry_name, draft.scenario, draft.results, draft.zone_file)

    def _keep_zone_file(self, connection: Connection, zone_file: ZoneFile | None, now: datetime.datetime) -> str | None:
        if zone_file is None:
            return None
        sha = hashlib.sha256(zone_file.content).hexdigest()
        known = connection.scalar(select(zone_files.c.sha256).where(zone_files.c.sha256 == sha))
        if known is None:
            name = clean(zone_file.name[:NAME_LENGTH], "name")  # a long file name is cut, not refused
            connection.execute(
                zone_files.insert().values(sha256=sha, name=name, content=zone_file.content, created_at=now)
            )
        return sha

    # -- reading --------------------------------------------------------------------------------

    def entries(
        self,
        query: str = "",
        zone: str | None = None,
        owner: str | None = None,
        archived: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        """Entries newest first; `query` matches name, author and notes in any case."""
        limit, offset = max(1, min(int(limit), MAX_PAGE)), max(0, int(offset))
        conditions = [entries.c.archived == archived]
        pattern = search_pattern(query)
        if pattern is not None:
            conditions.append(entries.c.search_text.like(pattern, escape="\\"))
        if zone:
            conditions.append(entries.c.zone == zone)
        if owner:
            conditions.append(entries.c.owner == owner)
        where = and_(*conditions)

        def read(connection: Connection) -> Page:
            total = connection.scalar(select(func.count()).select_from(entries).where(where)) or 0
            rows = connection.execute(
                select(entries)
                .where(where)
                .order_by(entries.c.updated_at.desc(), entries.c.id)
                .limit(limit)
                .offset(offset)
            )
            return Page(tuple(_entry(row) for row in rows), total)

        return self.run(read, write=False)

    def entry(self, entry_id: str) -> Entry:
        return self.run(lambda c: self._entry(c, entry_id), write=False)

    def _entry(self, connection: Connection, entry_id: str) -> Entry:
        if not ids.is_id(entry_id):
            raise LibraryError("library_not_found")
        row = connection.execute(select(entries).where(entries.c.id == entry_id)).first()
        if row is None:
            raise LibraryError("library_not_found")
        return _entry(row)

    def _owned(self, connection: Connection, identity: Identity, entry_id: str) -> Entry:
        entry = self._entry(connection, entry_id)
        if entry.owner != identity.owner:
            raise LibraryError("library_not_owner", author=entry.author)
        return entry

    def versions(self, entry_id: str) -> tuple[VersionHead, ...]:
        """An entry's versions, newest first."""

        def read(connection: Connection) -> tuple[VersionHead, ...]:
            self._entry(connection, entry_id)
            rows = connection.execute(
                select(*_HEAD_COLUMNS).where(versions.c.entry_id == entry_id).order_by(versions.c.number.desc())
            )
            return tuple(_head(row) for row in rows)

        return self.run(read, write=False)

    def version(self, version_id: str) -> Version:
        """One saved version, whole: what `?s=<id>` opens."""
        if not ids.is_id(version_id):
            raise LibraryError("library_not_found")

        def read(connection: Connection) -> Version:
            row = connection.execute(
                select(*_HEAD_COLUMNS, versions.c.scenario, versions.c.results, versions.c.zone_file, entries.c.name)
                .join(entries, entries.c.id == versions.c.entry_id)
                .where(versions.c.id == version_id)
            ).first()
            if row is None:
                raise LibraryError("library_not_found")
            zone_file = None
            if row.zone_file is not None:
                kept = connection.execute(select(zone_files).where(zone_files.c.sha256 == row.zone_file)).first()
                if kept is None:  # the file it was saved on is gone
                    raise LibraryError("library_damaged")
                zone_file = ZoneFile(kept.name, bytes(kept.content))
            return Version(_head(row), row.name, row.scenario, row.results, zone_file)

        return self.run(read, write=False)

    def annotations(self, entry_id: str) -> tuple[Annotation, ...]:
        """An entry's annotations, oldest first."""

        def read(connection: Connection) -> tuple[Annotation, ...]:
            rows = connection.execute(
                select(entry_notes).where(entry_notes.c.entry_id == entry_id).order_by(entry_notes.c.id)
            )
            return tuple(Annotation(row.author, _utc(row.created_at), row.text) for row in rows)

        return self.run(read, write=False)

    # -- the owner's changes ---------------------------------------------------------------------

    def rename(self, identity: Identity, entry_id: str, name: str) -> Entry:
        name = clean(name, "name")

        def change(connection: Connection) -> Entry:
            entry = self._owned(connection, identity, entry_id)
            notes = connection.scalars(select(versions.c.note).where(versions.c.entry_id == entry_id)).all()
            texts = connection.scalars(select(entry_notes.c.text).where(entry_notes.c.entry_id == entry_id)).all()
            connection.execute(
                update(entries)
                .where(entries.c.id == entry_id)
                .values(
                    name=name,
                    name_key=name.casefold()[:NAME_LENGTH],
                    search_text=folded(name, entry.author, *notes, *texts),
                )
            )
            return self._entry(connection, entry_id)

        with self._refusing_duplicates(name):
            return self.run(change)

    def annotate(self, identity: Identity, entry_id: str, note: str) -> Annotation:
        note = clean(note, "annotation")

        def change(connection: Connection) -> Annotation:
            self._owned(connection, identity, entry_id)
            count = connection.scalar(
                select(func.count()).select_from(entry_notes).where(entry_notes.c.entry_id == entry_id)
            )
            if (count or 0) >= self.limits.annotations_per_entry:
                raise LibraryError("library_too_many_annotations", limit=self.limits.annotations_per_entry)
            now = _now()
            connection.execute(
                entry_notes.insert().values(entry_id=entry_id, author=identity.name, created_at=now, text=note)
            )
            connection.execute(
                update(entries)
                .where(entries.c.id == entry_id)
                .values(search_text=entries.c.search_text + folded("", note))
            )
            return Annotation(identity.name, now, note)

        return self.run(change)

    def archive(self, identity: Identity, entry_id: str, archived: bool = True) -> Entry:
        """Hide an entry from the list (or bring it back); its versions and links stay."""

        def change(connection: Connection) -> Entry:
            self._owned(connection, identity, entry_id)
            connection.execute(update(entries).where(entries.c.id == entry_id).values(archived=archived))
            return self._entry(connection, entry_id)

        return self.run(change)

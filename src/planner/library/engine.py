"""Where the library lives and how to reach it: an SQLite file by default, PostgreSQL by URL.

The URL comes from `$PLANNER_LIBRARY_URL`, else from the caller (the app reads Streamlit's
secrets), else it is an SQLite file at `$PLANNER_LIBRARY_PATH` or in the user's data folder,
created on first use. Every engine is migrated to the newest schema once per process.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from planner.library.errors import LibraryError, LibraryUnavailable

URL_VARIABLE = "PLANNER_LIBRARY_URL"
PATH_VARIABLE = "PLANNER_LIBRARY_PATH"
FILE_NAME = "library.sqlite3"
WRITE_OPTION = "planner_write"  # an execution option: this transaction writes
CONNECT_TIMEOUT_S = 3  # an unreachable server answers the page in seconds, not minutes
SQLITE_BUSY_TIMEOUT_S = 30  # writers wait their turn for the file's lock

log = logging.getLogger(__name__)


def default_path() -> Path:
    explicit = os.environ.get(PATH_VARIABLE, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
    return Path(base) / "technopolis-planner" / FILE_NAME


def library_url(configured: str | None = None) -> str:
    """The database URL the library uses: the environment's, the caller's, or the default file."""
    for candidate in (os.environ.get(URL_VARIABLE), configured):
        if candidate and candidate.strip():
            return candidate.strip()
    return f"sqlite:///{default_path()}"


def shown_url(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a database URL)"


def first_line(error: BaseException) -> str:
    """The driver's own words on a failure, one line: "connection refused", not a page."""
    cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    lines = str(cause).strip().splitlines()
    return lines[0][:300] if lines else type(cause).__name__


def _driver_url(url: str) -> Any:
    parsed = make_url(url)
    # A plain postgresql:// URL means psycopg 3, the driver this package installs.
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if not parsed.drivername.startswith(("sqlite", "postgresql")):
        raise LibraryError("library_url_kind", kind=parsed.drivername)
    return parsed


def _sqlite_connection(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def connect(dbapi_connection: Any, _record: Any) -> None:
        # Transactions are begun by the listener below, not by the driver: the driver's own
        # deferred BEGIN lets two writers deadlock on upgrading their locks.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection: Any) -> None:
        # A writer takes the file's write lock at once (IMMEDIATE); a reader does not, and
        # in WAL mode it never waits for a writer.
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for `url`; an SQLite file's folder is created if missing."""
    try:
        parsed = _driver_url(url)
    except ArgumentError:
        raise LibraryError("library_url_bad") from None
    if parsed.drivername.startswith("sqlite"):
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:  # a folder under a file, no permission, a full disk
                log.warning("the library's folder for %s cannot be made: %s", shown_url(url), error)
                raise LibraryUnavailable(f"its folder cannot be made: {error.strerror or error}") from None
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False})
        _sqlite_connection(engine)
        return engine
    return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("planner.library") / "migrations"))
    return config


def head() -> str:
    """The newest schema revision this code knows."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None  # the package ships its migrations
    return revision


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database's schema to `revision` (by default the newest), in place; a
    database already there is only read, so a start takes no write lock."""
    config = _config()
    try:
        known = current(engine)
        if revision == "head" and known == head():
            return
        with engine.connect() as connection:
            connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
    except (CommandError, RevisionError) as error:  # a revision this code does not know: a newer planner's
        log.warning("the library's schema is not one this planner knows: %s", error)
        raise LibraryError("library_schema_newer") from None
    except SQLAlchemyError as error:
        cause = first_line(error)
        log.warning("migrating the library at %s failed: %s", shown_url(str(engine.url)), cause)
        raise LibraryUnavailable(cause) from None


_ENGINES: dict[str, Engine] = {}
_FAILED: dict[str, float] = {}  # URL → when reaching it last failed (time.monotonic)
RETRY_AFTER_S = 15.0  # a database that is down is not asked again on every rerun of every page
_LOCK = threading.Lock()


def engine_for(url: str) -> Engine:
    """One migrated engine per URL per process, shared by every session (engines pool their
    connections and are safe across threads)."""
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is not None:
            return engine
        if time.monotonic() - _FAILED.get(url, -RETRY_AFTER_S) < RETRY_AFTER_S:
            raise LibraryUnavailable("not asked again yet: it failed moments ago")
        engine = make_engine(url)
        try:
            migrate(engine)
        except LibraryError:
            _FAILED[url] = time.monotonic()
            engine.dispose()
            raise
        _FAILED.pop(url, None)
        _ENGINES[url] = engine
        return engine


def failed(url: str) -> None:
    """A database that was reached once has stopped answering: drop its engine and do not
    ask again for a while, so a page with the library open does not wait on every rerun."""
    with _LOCK:
        engine = _ENGINES.pop(url, None)
        _FAILED[url] = time.monotonic()
    if engine is not None:
        engine.dispose()


def forget(url: str) -> None:
    """Drop the cached engine (its server moved or came back): the next use reconnects."""
    with _LOCK:
        engine = _ENGINES.pop(url, None)
        _FAILED.pop(url, None)
    if engine is not None:
        engine.dispose()

"""The library's tables as the newest migration leaves them (SQLAlchemy Core).

The migrations under `migrations/versions/` are the schema's history and create these
tables; this module is what the code reads and writes through, and a test checks that the
two agree on every database the library supports.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from planner.library.limits import AUTHOR_LENGTH, ID_LENGTH, KEY_LENGTH, NAME_LENGTH, OWNER_LENGTH

metadata = MetaData()

entries = Table(
    "entries",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("name", String(NAME_LENGTH), nullable=False),
    # The name casefolded: one owner cannot have two entries whose names differ only in case.
    Column("name_key", String(NAME_LENGTH), nullable=False),
    Column("owner", String(OWNER_LENGTH), nullable=False),  # who may change it (Identity.owner)
    Column("author", String(AUTHOR_LENGTH), nullable=False),  # the owner's name, as shown
    Column("zone", String(KEY_LENGTH), nullable=False),  # the latest version's zone, for the filter
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version_count", Integer, nullable=False),
    Column("latest_version_id", String(ID_LENGTH), nullable=False),
    Column("archived", Boolean, nullable=False, server_default="0"),
    # Name, author and every note casefolded: SQLite's LIKE folds only ASCII, and Russian
    # names must be found whatever their case, on both databases alike.
    Column("search_text", Text, nullable=False, server_default=""),
    UniqueConstraint("owner", "name_key", name="uq_entries_owner_name"),
    Index("ix_entries_recent", "archived", "updated_at"),
    Index("ix_entries_owner", "owner"),
)

zone_files = Table(
    "zone_files",
    metadata,
    # An uploaded zone is kept once, however many versions were saved on it.
    Column("sha256", String(64), primary_key=True),
    Column("name", String(NAME_LENGTH), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

versions = Table(
    "versions",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("entry_id", String(ID_LENGTH), ForeignKey("entries.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("author", String(AUTHOR_LENGTH), nullable=False),
    Column("owner", String(OWNER_LENGTH), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("note", Text, nullable=False),
    Column("zone", String(KEY_LENGTH), nullable=False),
    Column("preset", String(KEY_LENGTH), nullable=False),
    Column("data_version", String(64), nullable=False),  # the data's full SHA-256
    Column("model_version", String(16), nullable=False),
    Column("app_version", String(32), nullable=False),
    Column("scenario", Text, nullable=False),  # the scenario file (planner.links.to_file)
    Column("results", Text, nullable=False),  # the headline's numbers when saved (results.Snapshot)
    Column("zone_file", String(64), ForeignKey("zone_files.sha256", name="fk_versions_zone_file"), nullable=True),
    UniqueConstraint("entry_id", "number", name="uq_versions_entry_number"),
)

entry_notes = Table(
    "annotations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", String(ID_LENGTH), ForeignKey("entries.id"), nullable=False, index=True),
    Column("author", String(AUTHOR_LENGTH), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("text", Text, nullable=False),
)

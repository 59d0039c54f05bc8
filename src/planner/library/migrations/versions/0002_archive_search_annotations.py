"""Archive, search in any script's case, annotations, and the zone file a version was saved on.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zone_files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.String(16), sa.ForeignKey("entries.id"), nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_annotations_entry_id", "annotations", ["entry_id"])
    with op.batch_alter_table("entries") as batch:
        batch.add_column(sa.Column("archived", sa.Boolean, nullable=False, server_default="0"))
        batch.add_column(sa.Column("search_text", sa.Text, nullable=False, server_default=""))
        batch.drop_index("ix_entries_updated")
        batch.create_index("ix_entries_recent", ["archived", "updated_at"])
    with op.batch_alter_table("versions") as batch:
        batch.add_column(sa.Column("zone_file", sa.String(64), nullable=True))
        batch.create_foreign_key("fk_versions_zone_file", "zone_files", ["zone_file"], ["sha256"])
    _fill_search_text()


def _fill_search_text() -> None:
    """Entries saved before this revision become searchable: their name, author and notes,
    casefolded in Python, as the library folds a search."""
    bind = op.get_bind()
    entries = sa.table("entries", sa.column("id"), sa.column("name"), sa.column("author"), sa.column("search_text"))
    versions = sa.table("versions", sa.column("entry_id"), sa.column("note"))
    notes: dict[str, list[str]] = {}
    for entry_id, note in bind.execute(sa.select(versions.c.entry_id, versions.c.note)):
        notes.setdefault(entry_id, []).append(note)
    for entry_id, name, author in bind.execute(sa.select(entries.c.id, entries.c.name, entries.c.author)).all():
        folded = "\n".join([name, author, *notes.get(entry_id, [])]).casefold()
        bind.execute(entries.update().where(entries.c.id == entry_id).values(search_text=folded))


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_constraint("fk_versions_zone_file", type_="foreignkey")
        batch.drop_column("zone_file")
    with op.batch_alter_table("entries") as batch:
        batch.drop_index("ix_entries_recent")
        batch.create_index("ix_entries_updated", ["updated_at"])
        batch.drop_column("search_text")
        batch.drop_column("archived")
    op.drop_index("ix_annotations_entry_id", "annotations")
    op.drop_table("annotations")
    op.drop_table("zone_files")

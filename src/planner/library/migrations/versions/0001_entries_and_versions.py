"""Entries and their immutable versions: the library's first schema.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entries",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("name_key", sa.String(120), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_count", sa.Integer, nullable=False),
        sa.Column("latest_version_id", sa.String(16), nullable=False),
        sa.UniqueConstraint("owner", "name_key", name="uq_entries_owner_name"),
    )
    op.create_index("ix_entries_updated", "entries", ["updated_at"])
    op.create_index("ix_entries_owner", "entries", ["owner"])
    op.create_table(
        "versions",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("entry_id", sa.String(16), sa.ForeignKey("entries.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("preset", sa.String(64), nullable=False),
        sa.Column("data_version", sa.String(64), nullable=False),
        sa.Column("model_version", sa.String(16), nullable=False),
        sa.Column("app_version", sa.String(32), nullable=False),
        sa.Column("scenario", sa.Text, nullable=False),
        sa.Column("results", sa.Text, nullable=False),
        sa.UniqueConstraint("entry_id", "number", name="uq_versions_entry_number"),
    )


def downgrade() -> None:
    op.drop_table("versions")
    op.drop_index("ix_entries_owner", "entries")
    op.drop_index("ix_entries_updated", "entries")
    op.drop_table("entries")

"""Alembic's entry point: migrations run on the connection the library hands over
(`planner.library.store.migrate`), never on a URL of their own."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from planner.library.tables import metadata

# Replicas starting together all try to migrate: on PostgreSQL one waits for the other here,
# then finds nothing left to do. (SQLite's writers are serialised by the file lock.)
ADVISORY_LOCK = 7_303_2030

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
if connection.dialect.name == "postgresql":
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
with context.begin_transaction():
    context.run_migrations()

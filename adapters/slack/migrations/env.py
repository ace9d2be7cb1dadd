"""Alembic environment of the Slack adapter's tables (``adapters.slack.schema``).

Runs only on the connection ``adapters.slack.schema`` passes in
``config.attributes``: the bridge's pool, never an engine of its own. Its
version table is its own, so ``storage``'s chain and this one never meet.
"""

from __future__ import annotations

from alembic import context

from adapters.slack.schema import VERSION_TABLE
from adapters.slack.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "the Slack tables are migrated on the bridge's connection: "
        "call adapters.slack.schema.upgrade_tables"
    )
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    compare_type=True,
    render_as_batch=True,  # SQLite can only ALTER by copying tables
)
with context.begin_transaction():
    context.run_migrations()

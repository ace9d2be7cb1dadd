"""Persistence for meetbridge: SQLAlchemy 2.0 models, repositories behind the
core's ``UnitOfWork`` port, and the Alembic migrations that shape the schema.

Nothing here is built at import time; callers pass a database URL and get
engines, session factories and units of work back.
"""

from storage.db import build_engine, build_session_factory, normalize_url
from storage.errors import ConflictError, NotFoundError, StorageError
from storage.migrate import (
    Upgraded,
    current_revision,
    head_revision,
    is_up_to_date,
    known_revisions,
    upgrade,
)
from storage.uow import SqlUnitOfWork, SqlUnitOfWorkFactory

__all__ = [
    "ConflictError",
    "NotFoundError",
    "SqlUnitOfWork",
    "SqlUnitOfWorkFactory",
    "StorageError",
    "Upgraded",
    "build_engine",
    "build_session_factory",
    "current_revision",
    "head_revision",
    "is_up_to_date",
    "known_revisions",
    "normalize_url",
    "upgrade",
]

"""Storage failures in the core's terms, so no SQLAlchemy exception leaks out."""

from __future__ import annotations

from bot.errors import BridgeError


class StorageError(BridgeError):
    """The database refused or failed an operation."""


class ConflictError(StorageError):
    """A uniqueness rule was broken, e.g. a second meeting for the same
    (backend, conference id)."""


class NotFoundError(StorageError):
    """An update named a row that does not exist."""

"""Reminders in the core: offsets, the ledger plan of a meeting, the message."""

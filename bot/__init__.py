"""meetbridge core: commands, grammar, time rules, handlers and replies.

This package imports no messenger SDK, no HTTP client and no database library;
the edges live in ``adapters`` and ``storage`` and depend on it, never the reverse.
"""

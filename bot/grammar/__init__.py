"""The ``/meet`` command language: ``parse(text, now=..., zone=...)`` turns the
text after ``/meet`` into one of the command dataclasses or a ``Usage``."""

from bot.grammar.parser import parse

__all__ = ["parse"]

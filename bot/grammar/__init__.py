"""The ``/meet`` command language: a ``Grammar`` turns the text after ``/meet``
into one of the command dataclasses or a ``Usage``. The command catalogue
(``bot.catalogue``) builds the grammar of every command and offers ``parse``."""

from bot.grammar.parser import Args, ArgsParser, Grammar

__all__ = ["Args", "ArgsParser", "Grammar"]

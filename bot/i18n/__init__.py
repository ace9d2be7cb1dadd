"""The message catalog: every sentence the bridge says, in English and Russian."""

from bot.i18n.catalog import CATALOG, Translator

__all__ = ["CATALOG", "Translator"]

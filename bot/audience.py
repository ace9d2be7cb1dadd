"""Whom a message about a meeting is rendered for: their language, their zone,
the moment it is rendered, and what their messenger can show.

A command's request has one (``Request.audience``); a message the bridge
pushes on its own (a reminder) makes its own from the chat's settings and the
receiving messenger's capabilities, with no command to pretend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.chat import Lang
from bot.i18n import Translator
from bot.reply import Capabilities


@dataclass(frozen=True, slots=True)
class Audience:
    lang: Lang
    t: Translator  # speaks ``lang``
    zone: str
    now: datetime
    capabilities: Capabilities

    @classmethod
    def of(cls, lang: Lang, zone: str, now: datetime, capabilities: Capabilities) -> Audience:
        return cls(lang, Translator(lang), zone, now, capabilities)

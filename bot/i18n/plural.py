"""Which plural form a count takes, by its language's rules (CLDR's, as babel
keeps them): Russian has three for whole numbers (1 напоминание, 2 напоминания,
5 напоминаний, 21 напоминание), English two."""

from __future__ import annotations

from typing import Literal, cast

from babel import Locale

from bot.chat import Lang

Form = Literal["zero", "one", "two", "few", "many", "other"]


def plural_form(lang: Lang, count: int) -> Form:
    return cast(Form, Locale.parse(lang).plural_form(count))

"""The message catalog: every sentence in both languages with the same
placeholders, and every key the code asks for exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.chat import Lang
from bot.i18n import CATALOG, Translator

ROOT = Path(__file__).resolve().parents[3]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_both_languages_with_the_same_placeholders(key: str) -> None:
    texts = CATALOG[key]
    assert set(texts) == {"en", "ru"}
    assert all(text.strip() for text in texts.values())
    assert placeholders(texts["en"]) == placeholders(texts["ru"])


def keys_used_in_code() -> set[str]:
    used: set[str] = set()
    pattern = re.compile(r"""(?:\bt|request\.t|UserError)\(\s*["']([a-z_]+\.[a-z_.]+)["']""")
    for path in (ROOT / "bot").rglob("*.py"):
        used.update(pattern.findall(path.read_text(encoding="utf-8")))
    return used


def test_every_key_the_code_uses_exists() -> None:
    used = keys_used_in_code()
    assert len(used) > 30  # the scan finds the keys
    assert sorted(used - set(CATALOG)) == []


def test_missing_keys_fall_back_visibly() -> None:
    t = Translator("ru")
    assert t("no.such.key") == "no.such.key"
    assert t("card.default_topic") == "Встреча"


def test_russian_sentences_name_commands_by_their_russian_words() -> None:
    """A Russian reader is shown the Russian command to type (``/meet список``,
    not ``/meet list``): both work, but the sentence should not switch tongues."""
    english_command = re.compile(r"/meet [a-z]")
    mixed = sorted(key for key, texts in CATALOG.items() if english_command.search(texts["ru"]))
    assert mixed == []
    shown = Translator("ru")("error.meeting_not_found", ref="7")
    assert shown.endswith("/meet список")


@pytest.mark.parametrize(
    ("lang", "count", "said"),
    [
        ("en", 0, "0 reminders"),
        ("en", 1, "1 reminder"),
        ("en", 2, "2 reminders"),
        ("ru", 1, "1 напоминание"),
        ("ru", 2, "2 напоминания"),
        ("ru", 5, "5 напоминаний"),
        ("ru", 11, "11 напоминаний"),
        ("ru", 21, "21 напоминание"),
        ("ru", 22, "22 напоминания"),
    ],
)
def test_a_count_takes_the_plural_form_of_its_language(lang: Lang, count: int, said: str) -> None:
    assert Translator(lang).plural("reminder.count", count) == said


def test_every_plural_form_a_language_has_is_in_the_catalog() -> None:
    counted = {key.rsplit(".", 1)[0] for key in CATALOG if key.endswith(".other")}
    assert "reminder.count" in counted
    for key in counted:
        for form in ("one", "few", "many", "other"):
            assert f"{key}.{form}" in CATALOG

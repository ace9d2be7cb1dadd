"""The grammar's catalog: both languages, the same placeholders, examples that parse."""

from __future__ import annotations

import string

import pytest

from bot.catalogue import CATALOGUE
from bot.chat import LANGS, Lang
from bot.commands import Help, SetTimezone, Usage
from bot.grammar import keys
from bot.grammar.edit import EX_EDIT_ID, EX_EDIT_WEEK, EX_MOVE_ID
from bot.i18n.grammar_texts import TEXTS
from tests.unit.grammar.support import p


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_both_languages_same_placeholders(key: str) -> None:
    assert key.startswith(("grammar.", "help."))
    texts = TEXTS[key]
    assert set(texts) == set(LANGS)
    assert all(texts[lang].strip() for lang in LANGS)
    assert placeholders(texts["en"]) == placeholders(texts["ru"])


def test_every_key_the_grammar_uses_has_texts() -> None:
    used = set(keys.PROBLEMS) | set(keys.EXAMPLES) | {keys.help_key(None)}
    used |= {entry.example for entry in CATALOGUE.entries}
    used |= {problem for entry in CATALOGUE.entries for problem in entry.problems}
    used |= {keys.help_key(topic) for topic in CATALOGUE.help_topics}
    used |= {*keys.QUESTIONS, keys.QUESTION_HINT, EX_EDIT_ID}  # an edit's, with its id
    used |= {keys.EX_TZ_NAMED}  # with the zone the line named
    used |= {keys.EX_REMIND_ID}  # a reminder's, with its meeting's id
    used |= {EX_MOVE_ID}  # a move's, with its verb and id
    used |= {EX_EDIT_WEEK}  # a week's, the day and time left to give
    used |= {keys.TIME_SLOT, keys.DATE_SLOT}  # left to give in a line put right
    assert used <= set(TEXTS)
    assert set(TEXTS) <= used, "texts nobody uses"


def test_help_topics_reachable_by_words_have_texts() -> None:
    assert {keys.help_key(topic) for topic in CATALOGUE.help_topics} <= set(TEXTS)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", sorted({*keys.EXAMPLES, *(e.example for e in CATALOGUE.entries)}))
def test_examples_parse(key: str, lang: Lang) -> None:
    line = TEXTS[key][lang]
    assert line.startswith("/meet ")
    result = p(line.removeprefix("/meet "))
    assert not isinstance(result, Usage), (line, result)


@pytest.mark.parametrize("topic", sorted(CATALOGUE.help_topics))
def test_help_topic_by_its_name(topic: str) -> None:
    assert p(f"help {topic}") == Help(topic)


@pytest.mark.parametrize("lang", LANGS)
def test_summary_lists_the_commands_and_leaves_out_unbuilt_ones(lang: Lang) -> None:
    summary = TEXTS[keys.HELP_SUMMARY][lang]
    assert "remind" in summary or "напомнить" in summary
    assert "backend trueconf|callaba" in summary or "сервер trueconf|callaba" in summary
    assert summary.count("/meet") >= 9


@pytest.mark.parametrize("key", ["help.remind", keys.help_key(None)])
def test_russian_help_writes_the_russian_words_of_remind(key: str) -> None:
    # A Russian chat read "напомнить <id> off" and "напомнить default": the
    # parser takes "выкл" and "по умолчанию", which the help did not say.
    russian = TEXTS[key]["ru"]
    assert " off" not in russian
    assert "default" not in russian
    assert "выкл" in russian
    for line in ("напомнить 12 выкл", "напомнить по умолчанию 10м", "напомнить по умолчанию выкл"):
        assert not isinstance(p(line), Usage), line


@pytest.mark.parametrize(
    ("lang", "whose", "not_whose", "cities"),
    [
        ("en", "this chat's time zone", "your time zone", ("London", "New York")),
        ("ru", "часовой пояс этого чата", "ваш часовой пояс", ("Лондон", "Нью-Йорк")),
    ],
)
def test_help_of_tz_says_whose_zone_and_names_cities(
    lang: Lang, whose: str, not_whose: str, cities: tuple[str, ...]
) -> None:
    # It said "your time zone" of the chat's, and named no city to give.
    text = TEXTS["help.tz"][lang]
    assert whose in text
    assert not_whose not in text
    assert all(city in text for city in cities)
    example = text.rsplit(": ", 1)[1]
    assert isinstance(p(example.removeprefix("/meet ")), SetTimezone), example

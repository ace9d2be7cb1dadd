"""The replies to a Usage and a Question: what was wrong with the person's own
line put right, and both readings in words with the line to type for each."""

from __future__ import annotations

import pytest

from bot.asking import usage_reply
from bot.catalogue import parse
from bot.commands import Usage
from bot.i18n import Translator
from bot.reply import Copyable, Text, Tone, Visibility
from tests.fakes import FakeBackend
from tests.unit.core.conftest import make_bridge
from tests.unit.grammar.support import NOW, ZONE


def test_a_usage_shows_the_persons_line_put_right() -> None:
    usage = parse("tomorow 3pm Sync", now=NOW, zone=ZONE)
    assert isinstance(usage, Usage)
    reply = usage_reply(usage, Translator("en"))
    assert reply.blocks == (
        Text("I don't know “tomorow”: did you mean “tomorrow”?", Tone.ERROR),
        Copyable("", ("/meet tomorrow 3pm Sync",)),
    )
    assert reply.visibility is Visibility.PRIVATE


def test_a_usage_without_a_fix_shows_the_stock_example() -> None:
    usage = parse("frobnicate", now=NOW, zone=ZONE)
    assert isinstance(usage, Usage)
    reply = usage_reply(usage, Translator("ru"))
    assert reply.blocks[1] == Copyable("", ("/meet помощь",))


async def test_a_question_spells_each_reading_out_with_its_line() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    reply = await bridge.say("tomorrow at 3 Foo")
    assert reply.blocks == (
        Text("“3”: am or pm? Choose one:"),
        Copyable("Tue 24 Nov 2026, 03:00 (Europe/Moscow)", ("/meet tomorrow at 03:00 Foo",)),
        Copyable("Tue 24 Nov 2026, 15:00 (Europe/Moscow)", ("/meet tomorrow at 15:00 Foo",)),
    )
    assert reply.visibility is Visibility.PRIVATE
    assert not reply.is_error
    assert bridge.uow.state.audit[-1][1:3] == ("question", "grammar.ask_hour")


@pytest.mark.parametrize(
    ("lang", "line", "question"),
    [
        ("en", "tomorrow at 10 Foo", "“10”: am or pm? Choose one:"),
        ("ru", "завтра в 10 Обзор", "«10» — до полудня или после? Выберите:"),
        ("ru", "12/01 10 Ретро", "«12/01» можно прочесть двояко, а «10» — до полудня или после"),
    ],
)
async def test_a_bare_hour_is_asked_about_in_words_true_of_both_readings(
    lang: str, line: str, question: str
) -> None:
    # From a new user's trial: "завтра в 10" was asked "«10» — утра или дня?"
    # (English: "in the morning or in the afternoon?") above 22:00, which is
    # neither "дня" nor the afternoon.
    bridge = make_bridge(FakeBackend("trueconf"))
    await bridge.say(f"lang {lang}")
    reply = await bridge.say(line)
    assert reply.plain_text().startswith(question)
    assert "22:00" in reply.plain_text()


async def test_a_date_question_in_russian_names_both_dates_in_words() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    await bridge.say("язык ru")
    text = (await bridge.say("12/01 10:00 Ретро")).plain_text()
    assert "«12/01» можно прочесть двояко" in text
    assert "1 дек. 2026" in text
    assert "12 янв. 2027" in text
    assert "/meet 2026-12-01 10:00 Ретро" in text
    assert "/meet 2027-01-12 10:00 Ретро" in text


async def test_a_line_typed_over_several_lines_is_offered_back_on_one() -> None:
    """A line to copy is one line: a line break the person typed would end a
    Slack code span there, and the rest would show as formatting."""
    bridge = make_bridge(FakeBackend("trueconf"))
    usage = await bridge.say("tomorrow 25:00 Review\nsecond\r\nline")
    # The time that could not be read is left to give, not made 15:00.
    assert usage.blocks[1] == Copyable("", ("/meet tomorrow <time> Review second line",))
    question = await bridge.say("tomorrow at 3 Re\u2028view")
    assert [block.values for block in question.blocks if isinstance(block, Copyable)] == [
        ("/meet tomorrow at 03:00 Re view",),
        ("/meet tomorrow at 15:00 Re view",),
    ]


async def test_a_line_offered_back_has_the_spacing_the_grammar_reads() -> None:
    """A tab, a run of spaces or a line separator the person typed is one
    space in the line offered back, as the grammar reads it: a tab copied
    out of a code span is not what the person sees."""
    bridge = make_bridge(FakeBackend("trueconf"))
    turned = await bridge.say("Review\tweekly tomorrow at 3pm")
    assert turned.blocks[1] == Copyable("", ("/meet tomorrow at 3pm Review weekly",))
    passed = await bridge.say("today 10:00  Sync \u2028 notes")
    assert passed.blocks[1] == Copyable("", ("/meet tomorrow 10:00 Sync notes",))

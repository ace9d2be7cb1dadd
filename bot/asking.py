"""Replies for lines the grammar could not take as they are: a ``Usage`` (what
was wrong and one right example) and a ``Question`` (two fair readings, each
spelled out in words with the exact line that means it)."""

from __future__ import annotations

from bot.commands import NewMeeting, Question, Usage
from bot.formatting import weekly_rule, when
from bot.grammar import keys
from bot.i18n import Translator
from bot.reply import Block, Copyable, Reply, Text, Visibility, error_reply
from bot.schedule import Once, Weekly

PREFIX = "/meet "


def usage_reply(usage: Usage, t: Translator) -> Reply:
    """The problem, and the person's own line put right when the grammar built
    one, else the stock example."""
    example = PREFIX + usage.suggestion if usage.suggestion else t(usage.example)
    return error_reply(t(usage.problem, **usage.params), example)


def question_reply(question: Question, t: Translator) -> Reply:
    """The question, then each reading in words with the line to type for it."""
    blocks: list[Block] = [Text(t(question.problem, **question.params))]
    blocks += [
        Copyable(_in_words(choice.command, t), (PREFIX + choice.line,))
        for choice in question.choices
    ]
    return Reply(tuple(blocks), Visibility.PRIVATE)


def _in_words(command: object, t: Translator) -> str:
    if isinstance(command, NewMeeting):
        schedule = command.schedule
        if isinstance(schedule, Once):
            return when(schedule.start, schedule.zone, t.lang)
        if isinstance(schedule, Weekly):
            return weekly_rule(schedule, t)
    return t(keys.QUESTION_HINT)

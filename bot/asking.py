"""Replies for lines the grammar could not take as they are: a ``Usage`` (what
was wrong and one right example) and a ``Question`` (two fair readings, each
spelled out in words with the exact line that means it, and a button for each
where the messenger has buttons)."""

from __future__ import annotations

from bot import choices
from bot.commands import EditMeeting, NewMeeting, PickChoice, Question, Usage
from bot.context import Deps, Request
from bot.formatting import weekly_rule, when
from bot.grammar import keys
from bot.i18n import Translator
from bot.reply import (
    Action,
    ActionKind,
    Actions,
    Block,
    Copyable,
    Reply,
    Text,
    Visibility,
    error_reply,
)
from bot.schedule import Once, Weekly

PREFIX = "/meet "


def one_line(line: str) -> str:
    """A line to copy, on one line with single spaces, as the grammar reads
    it: the person may have typed it over several lines or with tabs, and a
    break would end a Slack code span there, the rest showing as formatting."""
    return " ".join(line.split())


def usage_reply(usage: Usage, t: Translator) -> Reply:
    """The problem, and the person's own line put right when the grammar built
    one, else the stock example."""
    # An example may name what the line named (the meeting's id of an edit).
    example = (
        PREFIX + one_line(usage.suggestion)
        if usage.suggestion
        else t(usage.example, **usage.params)
    )
    return error_reply(t(usage.problem, **usage.params), example)


async def question_reply(question: Question, request: Request, deps: Deps) -> Reply:
    """The question, then each reading in words with the line to type for it;
    with buttons, one per reading, which make that meeting when pressed."""
    t = request.t
    # Every reading has its line, and a button where the messenger has them.
    readings = [c for c in question.choices if isinstance(c.command, NewMeeting | EditMeeting)]
    blocks: list[Block] = [Text(t(question.problem, **question.params))]
    blocks += [
        Copyable(_in_words(c.command, t), (PREFIX + one_line(c.line),)) for c in question.choices
    ]
    if request.capabilities.buttons and readings:
        key = choices.new_key()
        commands = tuple(
            c.command for c in readings if isinstance(c.command, NewMeeting | EditMeeting)
        )
        async with deps.uow() as uow:
            await uow.parcels.drop_expired(request.now)
            await uow.parcels.put(
                choices.stored_key(key, request.input.chat),
                request.input.user,
                choices.dump(commands),
                request.now + choices.KEEP_FOR,
            )
            await uow.commit()
        blocks.append(
            Actions(
                tuple(
                    Action(ActionKind.CHOOSE, _in_words(c, t), 0, command=PickChoice(key, n))
                    for n, c in enumerate(commands)
                )
            )
        )
    return Reply(tuple(blocks), Visibility.PRIVATE)


def _in_words(command: object, t: Translator) -> str:
    if isinstance(command, EditMeeting) and command.at is not None:
        return t("edit.reading_at", time=f"{command.at:%H:%M}")
    if isinstance(command, NewMeeting | EditMeeting):
        schedule = command.schedule
        if isinstance(schedule, Once):
            return when(schedule.start, schedule.zone, t.lang)
        if isinstance(schedule, Weekly):
            return weekly_rule(schedule, t)
    return t(keys.QUESTION_HINT)

"""Replies for lines the grammar could not take as they are: a ``Usage`` (what
was wrong and one right example) and a ``Question`` (two fair readings, each
spelled out in words with the exact line that means it, and a button for each
where the messenger has buttons)."""

from __future__ import annotations

from bot import choices
from bot.commands import EditMeeting, NewMeeting, PickChoice, Question, Usage
from bot.context import Deps, Request
from bot.errors import UserError
from bot.formatting import weekly_rule, when
from bot.grammar import keys
from bot.grammar.examples import filled
from bot.handlers.edit import new_schedule
from bot.i18n import Translator
from bot.meeting import Meeting
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
from bot.schedule import Once, Schedule, Weekly

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
        PREFIX + filled(one_line(usage.suggestion), time=t(keys.TIME_SLOT), date=t(keys.DATE_SLOT))
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
    edited = await _edited(question, request, deps)
    blocks: list[Block] = [Text(t(question.problem, **question.params))]
    blocks += [
        Copyable(_in_words(c.command, request, edited), (PREFIX + one_line(c.line),))
        for c in question.choices
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
                    Action(
                        ActionKind.CHOOSE,
                        _in_words(c, request, edited),
                        0,
                        command=PickChoice(key, n),
                    )
                    for n, c in enumerate(commands)
                )
            )
        )
    return Reply(tuple(blocks), Visibility.PRIVATE)


async def _edited(question: Question, request: Request, deps: Deps) -> Meeting | None:
    """The meeting the readings give a new time of day, to name its day (or
    days) with it; ``None`` when they name none, or none of this chat."""
    refs = {
        c.command.meeting_ref
        for c in question.choices
        if isinstance(c.command, EditMeeting) and c.command.at is not None
    }
    if len(refs) != 1:
        return None
    async with deps.uow() as uow:
        return await uow.meetings.find_in_chat(request.input.chat, refs.pop())


def _in_words(command: object, request: Request, edited: Meeting | None) -> str:
    t = request.t
    if isinstance(command, EditMeeting) and command.at is not None:
        moved = _moved(edited, command, request)
        if moved is None:
            return t("edit.reading_at", time=f"{command.at:%H:%M}")
        return _schedule_in_words(moved, t)
    if isinstance(command, NewMeeting | EditMeeting):
        return _schedule_in_words(command.schedule, t)
    return t(keys.QUESTION_HINT)


def _moved(meeting: Meeting | None, command: EditMeeting, request: Request) -> Schedule | None:
    """The meeting's schedule with the edit's time of day, as the edit makes it;
    ``None`` when the edit would be refused (it says why once chosen)."""
    if meeting is None:
        return None
    try:
        return new_schedule(meeting, command, request)
    except UserError:
        return None


def _schedule_in_words(schedule: Schedule | None, t: Translator) -> str:
    if isinstance(schedule, Once):
        return when(schedule.start, schedule.zone, t.lang)
    if isinstance(schedule, Weekly):
        return weekly_rule(schedule, t)
    return t(keys.QUESTION_HINT)

"""A press on one answer of a question (``at 3`` — 03:00 or 15:00?): the
reading it names is made, exactly as the question showed it."""

from __future__ import annotations

import re

from bot import choices
from bot.commands import EditMeeting, PickChoice
from bot.context import Deps, Request
from bot.errors import UserError
from bot.grammar import keys
from bot.handlers.create import NEW_MEETING
from bot.handlers.edit import EDIT
from bot.handlers.spec import Button, CommandSpec
from bot.reply import Reply

_KEY = re.compile(r"[0-9a-f]{20}")
_INDEX = re.compile(r"[0-9]")


async def handle_pick(command: PickChoice, request: Request, deps: Deps) -> Reply:
    # Taken once, and only by the person who was asked, in the chat asked in:
    # a second press, someone else's, or one from another chat finds nothing.
    async with deps.uow() as uow:
        payload = await uow.parcels.take(
            choices.stored_key(command.key, request.input.chat), request.input.user, request.now
        )
        await uow.commit()
    try:
        readings = choices.load(payload) if payload is not None else ()
    except ValueError:
        readings = ()
    if not 0 <= command.index < len(readings):
        raise UserError("question.gone")
    reading = readings[command.index]
    # An edit is checked again as it runs: who may change the meeting, and where.
    spec = EDIT if isinstance(reading, EditMeeting) else NEW_MEETING
    return await spec.run(reading, request, deps)


def _build(args: tuple[str, ...]) -> PickChoice | None:
    match args:
        case (key, index) if _KEY.fullmatch(key) and _INDEX.fullmatch(index):
            return PickChoice(key, int(index))
    return None


CHOOSE = CommandSpec(
    PickChoice,
    "choose",
    handle_pick,
    keys.EX_ONCE,
    button=Button("pick", lambda command: (command.key, str(command.index)), _build),
)

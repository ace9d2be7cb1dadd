"""``/meet rename <id> <topic>``: a new topic, on the server and in the bridge."""

from __future__ import annotations

from bot.commands import RenameMeeting
from bot.context import Deps, Request
from bot.grammar import Args
from bot.grammar.context import Context
from bot.grammar.errors import GrammarError
from bot.grammar.keys import TOPIC_TOO_LONG
from bot.grammar.manage import meeting_ref
from bot.grammar.tail import MAX_TOPIC, clean_text, first_words
from bot.handlers.lookup import ensure_may_change, find_meeting
from bot.handlers.spec import CommandSpec
from bot.meeting import ConferenceSpec
from bot.reply import Reply, Text

EXAMPLE = "grammar.example.rename"
MISSING_TOPIC = "grammar.missing_topic"


def parse_rename(args: Args, ctx: Context) -> RenameMeeting:
    ref = meeting_ref(args, EXAMPLE)
    topic = clean_text(" ".join(token.text for token in args[1:]))
    if not topic:
        raise GrammarError(MISSING_TOPIC, EXAMPLE, word=args[0].text)
    if len(topic) > MAX_TOPIC:
        raise GrammarError(
            TOPIC_TOO_LONG,
            EXAMPLE,
            word=first_words(topic),
            length=str(len(topic)),
            limit=str(MAX_TOPIC),
        )
    return RenameMeeting(ref, topic)


async def handle_rename(command: RenameMeeting, request: Request, deps: Deps) -> Reply:
    async with deps.uow() as uow:
        meeting = await find_meeting(uow, request, command.meeting_ref)
        ensure_may_change(meeting, request)
    spec = ConferenceSpec(
        topic=command.topic,
        owner_login=meeting.owner_login,
        invitee_logins=tuple(dict.fromkeys(i.login for i in meeting.invitees if i.mapped)),
        schedule=meeting.schedule,
        duration=meeting.duration,
    )
    await deps.backend_named(meeting.backend).update(meeting.conference_id, spec)
    async with deps.uow() as uow:
        await uow.meetings.save(meeting.with_changes(topic=command.topic))
        await uow.commit()
    t = request.t
    return Reply((Text(t("rename.done", id=meeting.id, old=meeting.topic, topic=command.topic)),))


RENAME = CommandSpec(
    RenameMeeting,
    "rename",
    handle_rename,
    EXAMPLE,
    en=("rename",),
    ru=("переименовать",),
    parse=parse_rename,
    problems=(MISSING_TOPIC,),
)

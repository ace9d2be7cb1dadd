"""``/meet rename <id> <topic>``: a new topic, on the server and in the bridge;
the topic-only form of ``edit``."""

from __future__ import annotations

from bot.commands import EditMeeting, RenameMeeting
from bot.context import Deps, Request
from bot.grammar import Args
from bot.grammar.context import Context
from bot.grammar.errors import GrammarError
from bot.grammar.keys import TOPIC_TOO_LONG
from bot.grammar.manage import RENAME_TO_WORDS, TO_WORDS, after_to, meeting_ref
from bot.grammar.tail import MAX_TOPIC, clean_text, first_words
from bot.handlers.edit import apply_edit, unchanged
from bot.handlers.spec import CommandSpec
from bot.reply import Reply, Text

EXAMPLE = "grammar.example.rename"
MISSING_TOPIC = "grammar.missing_topic"
_RU_TO_WORDS = RENAME_TO_WORDS - TO_WORDS


def parse_rename(args: Args, ctx: Context) -> RenameMeeting:
    ref = meeting_ref(args, EXAMPLE, ctx)
    rest = after_to(args[1:], RENAME_TO_WORDS)  # "rename 12 to Retro", "переименовать 12 в Ретро"
    topic = clean_text(" ".join(token.text for token in rest))
    if not topic:
        last = args[len(args) - len(rest) - 1]
        # "в Новая тема" reads wrong (Russian wants "в Новую тему"): the
        # Russian connector is left out of the line offered; "to" stays.
        line = ctx.line[: last.start] if last.low in _RU_TO_WORDS else ctx.line
        raise GrammarError(
            MISSING_TOPIC,
            EXAMPLE,
            word=last.text,
            suggestion=f"{line.strip()} {_new_topic(ctx.line)}",
        )
    if len(topic) > MAX_TOPIC:
        raise GrammarError(
            TOPIC_TOO_LONG,
            EXAMPLE,
            word=first_words(topic),
            length=str(len(topic)),
            limit=str(MAX_TOPIC),
        )
    return RenameMeeting(ref, topic)


def _new_topic(line: str) -> str:
    """A topic to show in the person's own line, in the language of its
    command word (the stock example renamed a meeting they had not named)."""
    cyrillic = any("\u0400" <= char <= "\u04ff" for char in line.split(maxsplit=1)[0])
    return "Новая тема" if cyrillic else "New topic"


async def handle_rename(command: RenameMeeting, request: Request, deps: Deps) -> Reply:
    """An edit of the topic alone, told in one sentence."""
    edit = EditMeeting(command.meeting_ref, topic=command.topic)
    edited = await apply_edit(edit, request, deps)
    if not edited.fields:
        return unchanged(edit, edited, request)
    old, new = edited.before, edited.after
    return Reply((Text(request.t("rename.done", id=new.id, old=old.topic, topic=new.topic)),))


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

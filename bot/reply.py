"""The neutral reply: structured blocks each messenger renders its own way.

Text in blocks is plain and unescaped; the renderer of each messenger escapes
it for its own markup. Nothing here knows Slack's Block Kit or Telegram's HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.chat import Lang
from bot.commands import Command, MeetingForm


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a messenger can show; declared by each adapter, never guessed by the core."""

    custom_scheme_links: bool = False  # can a trueconf:/intent: link be clicked?
    ephemeral: bool = False
    buttons: bool = False
    modals: bool = False
    file_upload: bool = False
    # Can a message the bridge posted be changed in place (the live card)?
    edits: bool = False
    # Does a press here reach the meeting's own chat (Slack's App Home)? Elsewhere
    # a press runs in the chat it was made in, so another chat's meeting is not found.
    presses_find_meeting: bool = False


class Visibility(StrEnum):
    CHAT = "chat"  # everybody in the chat
    PRIVATE = "private"  # only the person who typed the command


class Tone(StrEnum):
    NORMAL = "normal"
    MUTED = "muted"
    ERROR = "error"


class LinkKind(StrEnum):
    PAGE = "page"
    BROWSER = "browser"
    APP = "app"
    ANDROID = "android"
    GUEST = "guest"
    CALENDAR = "calendar"


class ActionKind(StrEnum):
    JOIN = "join"
    CALENDAR = "calendar"
    GUEST = "guest"
    CANCEL = "cancel"
    STOP = "stop"
    APPROVE_LINK = "approve_link"
    CHOOSE = "choose"  # one answer of a question
    PRESS = "press"  # any other command's button on a card


@dataclass(frozen=True, slots=True)
class Title:
    text: str


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    tone: Tone = Tone.NORMAL


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Fields:
    items: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class LinkContext:
    """What an app link is about, for the page that opens it where the
    messenger cannot: the meeting, until when the link is good, and the
    reader's language."""

    meeting_id: int
    expires: datetime
    lang: Lang


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str
    kind: LinkKind
    about: LinkContext | None = None


@dataclass(frozen=True, slots=True)
class Links:
    items: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Copyable:
    """Strings meant to be copied, not clicked: SIP/H.323 dial strings, and
    app deeplinks where the messenger cannot open custom URL schemes."""

    label: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Action:
    kind: ActionKind
    label: str
    meeting_id: int
    # What else the action is about: for APPROVE_LINK, the person's user id.
    subject: str = ""
    # What a press runs (every kind but JOIN, which opens a link); messengers
    # carry it as the catalogue's button token.
    command: Command | None = None
    # The press destroys something: the messenger asks first, where it can.
    confirm: bool = False


@dataclass(frozen=True, slots=True)
class Actions:
    items: tuple[Action, ...]


@dataclass(frozen=True, slots=True)
class File:
    """A file to hand the reader (a meeting's .ics); messengers that cannot
    upload show ``fallback_url`` instead, when there is one."""

    name: str
    content: bytes
    media_type: str
    fallback_url: str = ""


Block = Title | Text | Fields | Links | Copyable | Actions | File


@dataclass(frozen=True, slots=True)
class Reply:
    blocks: tuple[Block, ...]
    visibility: Visibility = Visibility.CHAT
    # Messages for the requester alone that go with this reply (e.g. a PIN).
    private_notes: tuple[Reply, ...] = field(default=())
    # Messages for the bridge admins alone, each privately (a link request to
    # approve); a messenger that cannot reach them privately drops them.
    admin_notes: tuple[Reply, ...] = field(default=())
    # A form to open for the requester, filled in (an edit's): only for a
    # messenger with modals, which opens it instead of posting the blocks.
    form: MeetingForm | None = None
    # The live card of this meeting: a messenger that can edit messages tells
    # the core where it posted it (``bot.live.book``), so it is kept up to date.
    card_of: int | None = None

    @property
    def is_error(self) -> bool:
        return any(isinstance(b, Text) and b.tone is Tone.ERROR for b in self.blocks)

    def plain_text(self) -> str:
        """All the words of the reply, for logs, tests and plain-text messengers."""
        parts: list[str] = []
        for block in self.blocks:
            match block:
                case Title(text) | Text(text, _):
                    parts.append(text)
                case Fields(items):
                    parts.extend(f"{f.label}: {f.value}" for f in items)
                case Links(items):
                    parts.extend(f"{link.label}: {link.url}" for link in items)
                case Copyable(label, values):
                    parts.append((f"{label}: " if label else "") + ", ".join(values))
                case Actions(items):
                    parts.append(" | ".join(a.label for a in items))
                case File(name=name):
                    parts.append(name)
        return "\n".join(parts)


def error_reply(message: str, example: str = "") -> Reply:
    """A short private error: what was wrong and, when useful, one right example."""
    blocks: tuple[Block, ...] = (Text(message, Tone.ERROR),)
    if example:
        blocks += (Copyable("", (example,)),)
    return Reply(blocks, Visibility.PRIVATE)

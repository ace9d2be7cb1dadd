"""The neutral command input and one dataclass per command.

Messenger adapters turn their payloads into a ``CommandInput``: typed text for
the grammar, or a command already built (a button press, a form); one handler
serves each command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from bot.chat import ChatRef, Identity, Lang, Mention, Standing, UserRef
from bot.schedule import Schedule, Weekday


@dataclass(frozen=True, slots=True)
class CommandInput:
    """What a messenger hands the core: the text after ``/meet`` and who typed it where.

    ``mentions`` carries mentions the messenger already resolved (Slack's
    ``<@U123>`` with the person's e-mail); typed ``@name`` mentions are found by
    the grammar. ``user_timezone`` is the person's zone when the messenger knows
    it (the Slack profile); ``user_lang`` is the person's language hint.
    """

    text: str
    chat: ChatRef
    user: UserRef
    mentions: tuple[Mention, ...] = ()
    user_timezone: str | None = None
    user_lang: Lang | None = None
    is_private_chat: bool = False
    # What the messenger vouches for: an admin of this chat or workspace.
    standing: Standing = Standing.MEMBER
    identity: Identity = Identity.PERSON
    # What to run instead of parsing ``text``: a button's command, or a form's
    # fields (which the core turns into a command in the person's zone).
    command: Command | MeetingForm | None = None


# ---- meetings -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewMeeting:
    """``/meet now …``, ``/meet tomorrow 15:00 …``, ``/meet weekly …``."""

    schedule: Schedule
    duration: timedelta | None
    topic: str
    invitees: tuple[Mention, ...] = ()
    # Offsets before the start; ``None``: the chat's default.
    reminder_offsets: tuple[timedelta, ...] | None = None


@dataclass(frozen=True, slots=True)
class MeetingForm:
    """A new meeting as a form gives it: a wall-clock date (or weekly days) and
    time meant in the person's zone, which only the core resolves; the core
    checks it as it checks a typed line and makes a ``NewMeeting``."""

    at: time
    day: date | None = None  # None: weekly, on ``days``
    days: frozenset[Weekday] = frozenset()
    duration: timedelta | None = None
    topic: str = ""
    invitees: tuple[Mention, ...] = ()
    reminder_offsets: tuple[timedelta, ...] | None = None
    # The meeting this form changes (its bridge number): the form is then an
    # edit, and the fields it shows are the meeting's. Empty: a new meeting.
    meeting_ref: str = ""


@dataclass(frozen=True, slots=True)
class ListMeetings:
    # ``list mine``: the speaker's meetings in every chat, not this chat's.
    mine: bool = False
    # ``list all``: ended one-time meetings too.
    everything: bool = False


@dataclass(frozen=True, slots=True)
class MeetingInfo:
    meeting_ref: str


@dataclass(frozen=True, slots=True)
class CancelMeeting:
    meeting_ref: str


@dataclass(frozen=True, slots=True)
class StartMeeting:
    meeting_ref: str


@dataclass(frozen=True, slots=True)
class StopMeeting:
    meeting_ref: str


@dataclass(frozen=True, slots=True)
class EditMeeting:
    """``/meet edit <id> [when] [for <duration>] [topic]``: each given field
    changes, the rest stay. ``schedule`` is a whole new one (a date and time,
    or weekly days and time); ``at`` a new time of day alone, meant in the
    person's zone, that keeps the date (or the weekly days); ``day`` a new
    date alone, that keeps the time of day (in the meeting's own zone; the
    parser cannot read it, the handler puts the two together); ``days`` new
    weekly days that keep the time. Nothing given:
    open the meeting's form filled in, where the messenger has one."""

    meeting_ref: str
    schedule: Schedule | None = None
    at: time | None = None
    duration: timedelta | None = None
    topic: str | None = None
    # New weekly days alone (``edit 12 weekly mon,thu``): the time stays.
    days: frozenset[Weekday] | None = None
    # A new date alone (``move 12 friday``): the time of day stays.
    day: date | None = None

    @property
    def empty(self) -> bool:
        given = (self.schedule, self.at, self.duration, self.topic, self.days, self.day)
        return all(v is None for v in given)


@dataclass(frozen=True, slots=True)
class RenameMeeting:
    """``/meet rename <id> <topic>``."""

    meeting_ref: str
    topic: str


@dataclass(frozen=True, slots=True)
class InvitePeople:
    meeting_ref: str
    invitees: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class UninvitePeople:
    meeting_ref: str
    invitees: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class GuestLink:
    meeting_ref: str
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class MeetingCalendar:
    """``/meet calendar <id>``: the .ics file and the server's calendar links."""

    meeting_ref: str


# ---- people and chat settings ---------------------------------------------


@dataclass(frozen=True, slots=True)
class LinkAccount:
    """Map the speaker (or, for admins, a mentioned person) to a TrueConf login.
    An admin naming a person without a login approves that person's request."""

    login: str
    target: Mention | None = None


@dataclass(frozen=True, slots=True)
class UnlinkAccount:
    target: Mention | None = None


@dataclass(frozen=True, slots=True)
class SetTimezone:
    zone: str


@dataclass(frozen=True, slots=True)
class SetLanguage:
    lang: Lang


@dataclass(frozen=True, slots=True)
class SetBackend:
    """``/meet backend callaba``: the server new meetings of this chat go to.
    ``name`` empty: say which one the chat uses and which there are."""

    name: str = ""


@dataclass(frozen=True, slots=True)
class RemindMeeting:
    """``/meet remind <id> 10m,1h`` (``offsets`` empty: ``off``)."""

    meeting_ref: str
    offsets: tuple[timedelta, ...]


@dataclass(frozen=True, slots=True)
class SetDefaultReminders:
    """``/meet remind default 10m``: the offsets new meetings of this chat get."""

    offsets: tuple[timedelta, ...]


@dataclass(frozen=True, slots=True)
class PickChoice:
    """A press on one answer of a ``Question``: the key its readings wait
    under, and which reading."""

    key: str
    index: int


@dataclass(frozen=True, slots=True)
class Help:
    topic: str | None = None


Command = (
    NewMeeting
    | ListMeetings
    | MeetingInfo
    | CancelMeeting
    | StartMeeting
    | StopMeeting
    | EditMeeting
    | RenameMeeting
    | InvitePeople
    | UninvitePeople
    | GuestLink
    | MeetingCalendar
    | LinkAccount
    | UnlinkAccount
    | SetTimezone
    | RemindMeeting
    | SetDefaultReminders
    | SetLanguage
    | SetBackend
    | PickChoice
    | Help
)


def meeting_ref_of(command: Command) -> str | None:
    """The meeting a command is about, if it is about one."""
    ref = getattr(command, "meeting_ref", None)
    return ref if isinstance(ref, str) else None


@dataclass(frozen=True, slots=True)
class Usage:
    """The grammar's answer to input it could not understand: a catalog key for
    what was wrong, its parameters, and a catalog key of one right example.

    ``suggestion`` is the person's own line put right (without ``/meet``), when
    the grammar could build one; it is shown instead of the stock example."""

    problem: str
    example: str
    params: dict[str, str] = field(default_factory=dict)
    suggestion: str = ""


@dataclass(frozen=True, slots=True)
class Choice:
    """One reading of an ambiguous line: the command it means and the line
    (without ``/meet``) that says exactly that."""

    command: Command
    line: str


@dataclass(frozen=True, slots=True)
class Question:
    """The grammar's answer to a line with more than one fair reading (``at 3``,
    ``12/01``): it asks which one, and never guesses."""

    problem: str
    params: dict[str, str]
    choices: tuple[Choice, ...]


ParseResult = Command | Usage | Question

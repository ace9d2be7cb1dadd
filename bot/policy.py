"""Who may do what: the trust model in one place (README, "Who may do what").

- *Bridge admins* are named in ``BRIDGE_ADMINS``; only they hold bot-wide
  powers (linking other people to TrueConf accounts, approving requests), as
  does a Slack workspace admin for the people of that workspace.
- A *chat admin* (Telegram) manages that chat's meetings and nothing more.
- A meeting's *creator* manages it.
- A post on behalf of a chat is that chat: never an admin, never linked.
  When the messenger cannot tell who acted, nothing may be changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from bot import commands
from bot.chat import Identity, Standing, UserRef
from bot.commands import CommandInput
from bot.errors import UserError
from bot.meeting import Meeting

_ENTRY = re.compile(r"console|telegram:\d{1,20}|slack:[A-Z0-9]{2,32}:[A-Z0-9]{2,32}")
# Any other messenger's people: <platform>:<user id> (its user ids are one
# name space, like TrueConf logins).
_OTHER = re.compile(r"(?P<platform>[a-z][a-z0-9_]{0,31}):[\w.@-]{1,128}")
_OWN_FORMS = ("console", "telegram", "slack")


@dataclass(frozen=True, slots=True)
class BridgeAdmins:
    """``BRIDGE_ADMINS``: ``telegram:<user id>``, ``slack:<team id>:<user id>``,
    ``console`` (whoever types at the bridge's own console), and for any
    other messenger ``<platform>:<user id>``."""

    entries: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str) -> BridgeAdmins:
        """Raises ``ValueError`` naming the first entry that is not one of the forms."""
        entries = [e.strip() for e in text.split(",") if e.strip()]
        for entry in entries:
            if not _known(entry):
                raise ValueError(
                    f"{entry!r} is not telegram:<user id>, slack:<team id>:<user id>, console "
                    "or <messenger>:<user id>"
                )
        return cls(frozenset(entries))

    def telegram_ids(self) -> tuple[int, ...]:
        """The Telegram user ids named, for writing to them privately."""
        named = (e.removeprefix("telegram:") for e in self.entries if e.startswith("telegram:"))
        return tuple(sorted(int(i) for i in named))

    def includes(self, user: UserRef) -> bool:
        match user.platform:
            case "console":
                return "console" in self.entries
            case "telegram":  # one person across every bot of theirs
                return f"telegram:{user.user_id}" in self.entries
            case "slack":
                return f"slack:{user.workspace_id}:{user.user_id}" in self.entries
        return f"{user.platform}:{user.user_id}" in self.entries


def _known(entry: str) -> bool:
    if _ENTRY.fullmatch(entry):
        return True
    other = _OTHER.fullmatch(entry)
    return other is not None and other["platform"] not in _OWN_FORMS


class Role(IntEnum):
    """The speaker's powers, each including the ones below it."""

    NOBODY = 0  # cannot be told apart from others: reads only
    MEMBER = 1
    CHAT_ADMIN = 2  # manages this chat's meetings
    WORKSPACE_ADMIN = 3  # also links the people of their Slack workspace
    BRIDGE_ADMIN = 4  # bot-wide


def role_of(command_input: CommandInput, admins: BridgeAdmins) -> Role:
    match command_input.identity:
        case Identity.UNKNOWN:
            return Role.NOBODY
        case Identity.CHAT:  # whoever posts as a chat is nobody's admin
            return Role.MEMBER
    if admins.includes(command_input.user):
        return Role.BRIDGE_ADMIN
    match command_input.standing:
        case Standing.WORKSPACE_ADMIN:
            return Role.WORKSPACE_ADMIN
        case Standing.CHAT_ADMIN:
            return Role.CHAT_ADMIN
    return Role.MEMBER


# Commands that change nothing: open to whoever may use the chat at all.
_READS: tuple[type, ...] = (
    commands.ListMeetings,
    commands.MeetingInfo,
    commands.MeetingCalendar,
    commands.Help,
)
# Commands for a person only: a link is someone's account, a guest link a
# credential that must reach one person privately.
_PERSONAL: tuple[type, ...] = (
    commands.LinkAccount,
    commands.UnlinkAccount,
    commands.GuestLink,
)


def ensure_allowed(command: commands.Command, command_input: CommandInput) -> None:
    """Refuse, with a message saying why, what this identity may never do."""
    if isinstance(command, _READS):
        return
    if command_input.identity is Identity.UNKNOWN:
        raise UserError("error.identity_unknown")
    if command_input.identity is Identity.CHAT and isinstance(command, _PERSONAL):
        raise UserError("error.identity_chat")


def may_manage(meeting: Meeting, command_input: CommandInput, role: Role) -> bool:
    """The creator, or an admin of the chat the meeting was found in (or above)."""
    if role is Role.NOBODY:
        return False
    return role >= Role.CHAT_ADMIN or meeting.creator.key == command_input.user.key


def may_link_others(role: Role) -> bool:
    """Link or unlink someone else, approve a request, or link oneself at once."""
    return role >= Role.WORKSPACE_ADMIN

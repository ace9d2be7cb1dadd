"""TrueConf chat messages as the core's references and command text.

No library object travels further than this module. The person who wrote is
a TrueConf account (``alice@video.example.com``); on the bot's own server the
login is the person's identity, so the core needs no link to know who they
are. Mentions arrive as links, ``<a href="trueconf:bob@video.example.com">Bob
Baker</a>``, and become the core's resolved mentions ``<@bob|Bob Baker>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from bot.chat import ChatRef, Mention, UserRef

_MENTION = re.compile(r'<a\s+href=["\']trueconf:([^"\'&<>]+)(?:&[^"\']*)?["\']\s*>(.*?)</a>', re.S)
_TAG = re.compile(r"<[^>]*>")
_KEPT = re.compile(r"\x00(\d+)\x00")
_BREAK = re.compile(r"<br\s*/?>", re.I)
_PREFIX = re.compile(r"^\s*/meet(?:@\S+)?(?:\s+|$)", re.I)
_OTHER_START = re.compile(r"^\s*/(help|start)(?:@\S+)?\s*$", re.I)
_NAME_UNSAFE = re.compile(r"[<>|\s]+")
_RESOLVED = re.compile(r"<@([^|>]+)\|[^>]*>")
P2P = 1  # the API's chatType of a personal chat
# The messenger's name: the first part of its chats' and people's keys
# ("trueconf" is the conference server's).
PLATFORM = "trueconf_chat"


@dataclass(frozen=True, slots=True)
class Account:
    """A TrueConf id split: ``login`` and ``domain`` (the server's)."""

    login: str
    domain: str

    @classmethod
    def parse(cls, user_id: str) -> Account:
        bare = user_id.split("/", 1)[0]  # "bot@server/connection" as auth answers
        login, _, domain = bare.partition("@")
        return cls(login, domain.lower())


def local_login(login: str, me: str) -> str:
    """``login`` as the server files its accounts, for the bot whose own id
    is ``me``: lowercase, without this server's own domain (``Alice`` and
    ``alice@Video.Example.com`` are ``alice``); another server's account
    keeps its domain."""
    account = Account.parse(login.strip())
    bare = account.login.lower()
    if account.domain in ("", Account.parse(me).domain):
        return bare
    return f"{bare}@{account.domain}"


class Reader:
    """Reads messages for the bot whose own id is ``me`` (``meetbot@server``)."""

    def __init__(self, workspace: str, me: str) -> None:
        self.workspace = workspace
        self.me = Account.parse(me)

    def is_local(self, account: Account) -> bool:
        return account.domain in ("", self.me.domain) and bool(account.login)

    def user(self, user_id: str, display_name: str = "") -> UserRef:
        """The person: their login on this server; a guest from another
        server keeps the whole id (and owns nothing here)."""
        account = Account.parse(user_id)
        if self.is_local(account):
            return UserRef(
                PLATFORM,
                self.workspace,
                account.login,
                display_name or account.login,
                handle=account.login,
            )
        return UserRef(PLATFORM, self.workspace, user_id.split("/", 1)[0], display_name)

    def chat(self, chat_id: str) -> ChatRef:
        return ChatRef(PLATFORM, self.workspace, chat_id)

    def _mention(self, match: re.Match[str], mentions: list[Mention]) -> str:
        account = Account.parse(match[1])
        name = _NAME_UNSAFE.sub(" ", unescape(_TAG.sub("", match[2]))).strip()[:64]
        if account.login == self.me.login and self.is_local(account):
            return " "  # the bot itself: how it was called, not a guest
        if not self.is_local(account):
            return name  # another server's account: nothing here to invite
        mentions.append(Mention(handle=name or account.login, user_id=account.login))
        return f"<@{account.login}|{name or account.login}>"

    def plain(self, text: str, parse_mode: str) -> tuple[str, tuple[Mention, ...]]:
        """The text as typed, mentions resolved, markup gone."""
        if parse_mode != "html":
            return text, ()
        mentions: list[Mention] = []
        shown: list[str] = []
        text = text.replace("\x00", "")  # the placeholder below is ours alone

        def keep(match: re.Match[str]) -> str:
            shown.append(self._mention(match, mentions))
            return f"\x00{len(shown) - 1}\x00"

        text = _MENTION.sub(keep, _BREAK.sub("\n", text))
        text = unescape(_TAG.sub("", text))
        # Markup is gone; the mentions come back as the grammar reads them.
        text = _KEPT.sub(lambda m: shown[int(m[1])], text)
        return text, tuple(mentions)

    def typed(self, text: str, parse_mode: str) -> str:
        """The text as a person would type it: markup gone, a mention of one
        of this server's accounts as ``@login``."""
        return _RESOLVED.sub(r"@\1", self.plain(text, parse_mode)[0])

    def command(
        self, text: str, parse_mode: str, *, mentioned: bool
    ) -> tuple[str, tuple[Mention, ...]] | None:
        """The text after ``/meet`` (``/help``, ``/start``: help; a message that
        mentions the bot: what follows the mention); ``None``: not for the bot."""
        plain, mentions = self.plain(text, parse_mode)
        if match := _PREFIX.match(plain):
            return plain[match.end() :].strip(), mentions
        if _OTHER_START.match(plain):
            return "help", ()
        if mentioned:
            rest = _PREFIX.sub("", plain.strip()).strip()
            return rest or "help", mentions
        return None

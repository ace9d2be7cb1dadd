"""Links that TrueConf confirms. A Slack or Telegram person's ``/meet link
<login>`` is a request an admin approves; with the TrueConf chat bot running,
the TrueConf user ``<login>`` is also asked, in their personal chat with the
bot, with Confirm and Refuse buttons: their Confirm makes the link, no admin
needed. The question is good for ``CONFIRM_WITHIN`` and answers once: it waits
in the bridge's store of one-time private messages (any replica may be the
one the press reaches), under the digest of the token its buttons carry, and
only the user asked may take it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta

from trueconf import Bot

from adapters.trueconf_chat.inbound import PLATFORM, local_login
from adapters.trueconf_chat.messenger import LangOf, post
from adapters.trueconf_chat.texts import translator
from bot.chat import ChatRef, Lang, UserRef
from bot.clock import Clock
from bot.commands import CommandInput
from bot.errors import DeliveryError
from bot.messengers import Messengers
from bot.ports import UnitOfWorkFactory
from bot.reply import ActionKind, Actions, Capabilities, Reply, Text, Tone, Visibility
from bot.service import CommandService

log = logging.getLogger(__name__)

CONFIRM_WITHIN = timedelta(minutes=10)
CONFIRM, REFUSE = "link-ok:", "link-no:"
_TOKEN = re.compile(r"link-(ok|no):([A-Za-z0-9_-]{32,64})")
PLATFORM_NAMES = {"telegram": "Telegram", "slack": "Slack"}


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pressed(command: str | None) -> tuple[bool, str] | None:
    """``(confirmed, token)`` of a Confirm or Refuse button; ``None`` for any other."""
    match = _TOKEN.fullmatch(command or "")
    return (match[1] == "ok", match[2]) if match else None


@dataclass(frozen=True, slots=True)
class Confirmations:
    uow: UnitOfWorkFactory
    clock: Clock
    workspace: str
    # The language of a personal chat, where the question and its answer go.
    lang_of: LangOf

    def account(self, login: str) -> UserRef:
        return UserRef(PLATFORM, self.workspace, login, login, handle=login)

    async def ask(self, bot: Bot, chat_id: str, requester: UserRef, login: str) -> None:
        """Ask ``login`` in their personal chat ``chat_id``: once while a
        question of this requester's is open (asking again, or a flood of
        requests, sends nothing more). The login is filed as the server
        names its account (``local_login``), as the press is looked up."""
        login = local_login(login, bot.me_id)
        token = secrets.token_urlsafe(32)
        payload = json.dumps(
            {
                "platform": requester.platform,
                "workspace": requester.workspace_id,
                "user": requester.user_id,
                "name": requester.display_name,
                "handle": requester.handle,
                "login": login,
            }
        )
        now = self.clock.now()
        account, until = self.account(login), now + CONFIRM_WITHIN
        # Marks the open question; taken to see it, and put back by rolling back.
        asked = _key(f"asked:{requester.key}:{login}")
        async with self.uow() as uow:
            await uow.parcels.drop_expired(now)
            if await uow.parcels.take(asked, account, now) is not None:
                return  # the open question stands
            await uow.parcels.put(asked, account, "", until)
            await uow.parcels.put(_key(token), account, payload, until)
            await uow.commit()
        t = translator(await self.lang_of(chat_id))
        where = PLATFORM_NAMES.get(requester.platform, requester.platform)
        text = t(
            "trueconf_chat.confirm_link",
            who=who_asks(requester),
            where=where,
            login=login,
            minutes=int(CONFIRM_WITHIN.total_seconds() // 60),
        )
        buttons = (
            (
                {
                    "type": "command",
                    "label": t("trueconf_chat.confirm"),
                    "command": CONFIRM + token,
                },
                {"type": "command", "label": t("trueconf_chat.refuse"), "command": REFUSE + token},
            ),
        )
        await post(bot, chat_id, Reply((Text(text),)), personal=True, buttons=buttons)

    async def answer(
        self, bot: Bot, chat_id: str, presser: UserRef, token: str, *, confirmed: bool
    ) -> UserRef | None:
        """The press of ``presser`` in their personal chat: the link made (or
        the request dropped); the requester, or ``None`` when nothing waited
        for this presser (spent, expired, or someone else's)."""
        t = translator(await self.lang_of(chat_id))
        now = self.clock.now()
        owner = self.account(local_login(presser.user_id, bot.me_id))
        async with self.uow() as uow:
            payload = await uow.parcels.take(_key(token), owner, now)
            requester = _requester(payload) if payload else None
            login = json.loads(payload)["login"] if payload else ""
            if requester is not None:
                # The request as it stands now: withdrawn, refused by an admin
                # or asking another login since the question was put, it is
                # no longer this question's to answer.
                record = await uow.links.find(requester)
                asked = local_login(record.login, bot.me_id) if record else None
                if record is None or asked != login:
                    requester = None
                elif confirmed:
                    await uow.links.set(requester, login, linked_by=presser)
                elif record.pending:
                    await uow.links.remove(requester)
            if requester is not None:
                outcome = "confirmed" if confirmed else "refused"
                await uow.audit.record(
                    chat=ChatRef(PLATFORM, self.workspace, chat_id),
                    user=presser,
                    command="link.confirm",
                    outcome=outcome,
                    detail=f"{requester.key} -> {login}",
                )
            await uow.commit()
        if requester is None:
            note = t("trueconf_chat.confirm_expired")
        else:
            key = "trueconf_chat.confirmed" if confirmed else "trueconf_chat.refused"
            note = t(key, who=requester.display_name or requester.user_id, login=login)
        await post(bot, chat_id, Reply((Text(note),)), personal=True)
        return requester


def who_asks(requester: UserRef) -> str:
    """The requester as the question names them: the name they chose, which
    anyone can copy, with the handle and id their messenger gave them, which
    nobody else has (two requests under one name are told apart)."""
    handle = requester.handle.lstrip("@")
    parts = [f"@{handle}"] if handle and handle != requester.user_id else []
    parts.append(f"id {requester.user_id}")
    name = requester.display_name
    return f"{name} ({', '.join(parts)})" if name else ", ".join(parts)


def _requester(payload: str) -> UserRef:
    data = json.loads(payload)
    return UserRef(
        data["platform"], data["workspace"], data["user"], data["name"], handle=data["handle"]
    )


class ConfirmingService(CommandService):
    """The command service the other messengers are handed while TrueConf
    chat runs: a person's own link request is also put to the TrueConf user
    it names (through the TrueConf chat messenger of ``messengers``), and the
    requester is told so privately with the answer."""

    def __init__(
        self, inner: CommandService, messengers: Messengers, uow: UnitOfWorkFactory, lang: Lang
    ) -> None:
        self._inner = inner
        self._messengers = messengers
        self._uow = uow
        self._lang_default = lang

    def __getattr__(self, name: str) -> object:
        # Everything but ``handle`` is the wrapped service's.
        return getattr(self._inner, name)

    async def handle(self, command_input: CommandInput, capabilities: Capabilities) -> Reply:
        reply = await self._inner.handle(command_input, capabilities)
        requester = command_input.user
        if requester.platform == PLATFORM or not _asks_approval(reply):
            return reply
        asked = await self._ask(requester)
        if asked is None:
            return reply
        note = translator(await self._lang(command_input))("trueconf_chat.asked", login=asked)
        private = Reply((Text(note, Tone.MUTED),), Visibility.PRIVATE)
        return replace(reply, private_notes=(*reply.private_notes, private))

    async def _lang(self, command_input: CommandInput) -> Lang:
        """The reply's language: the chat's, else the person's, else the default."""
        async with self._uow(transaction=False) as uow:
            settings = await uow.chat_settings.get(command_input.chat)
        return settings.lang or command_input.user_lang or self._lang_default

    async def _ask(self, requester: UserRef) -> str | None:
        """The login asked, once its user has the question; ``None``: not asked."""
        try:
            messenger = self._messengers.for_chat(ChatRef(PLATFORM, "", ""))
        except DeliveryError:
            return None  # TrueConf chat does not run here
        ask = getattr(messenger, "ask_to_confirm", None)
        if ask is None:
            return None
        async with self._uow(transaction=False) as uow:
            record = await uow.links.find(requester)
        if record is None or not record.pending:
            return None
        try:
            await ask(requester, record.login)
        except Exception as exc:  # the request stands for the admins either way
            log.warning("could not ask in TrueConf chat to confirm a link: %s", exc)
            return None
        return record.login


def _asks_approval(reply: Reply) -> bool:
    return any(
        isinstance(block, Actions)
        and any(action.kind is ActionKind.APPROVE_LINK for action in block.items)
        for note in reply.admin_notes
        for block in note.blocks
    )

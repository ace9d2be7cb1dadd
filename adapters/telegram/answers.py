"""Where each part of a command's answer goes in Telegram.

What is for the chat goes to the chat. What is for one person (a guest link,
a PIN, an error, a link request's details: every ``Visibility.PRIVATE`` reply
and private note) goes to their private chat with the bot, never to a group.

Telegram lets a bot write first only to people who have started it. For
anyone else the answer waits in the database (so any replica can hand it
over) under an unguessable token, and the group gets one short line with the
deep link ``t.me/<bot>?start=<token>``. Opening it sends ``/start <token>``
from the person's private chat, and what waited is handed over: to that
person only, once, within a few minutes. The database keeps the token's
SHA-256 only.

What is for the bridge admins (a link request to approve) goes to each
``telegram:<id>`` of ``BRIDGE_ADMINS`` in their private chat with the bot. An
admin who never started the bot is not written to; the request waits in the
database all the same (``meetbridge links list``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
from collections.abc import Sequence
from datetime import timedelta

from telegram import Bot, Chat, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters, User
from telegram.error import BadRequest, Forbidden, TelegramError

from adapters.telegram.messenger import Outgoing, outgoing, send_messages, send_reply
from adapters.telegram.render import OpenLink
from adapters.telegram.texts import translator
from adapters.telegram.updates import user_lang, user_ref
from bot.chat import Lang
from bot.clock import Clock
from bot.live.book import card_posted
from bot.ports import UnitOfWorkFactory
from bot.reply import Reply, Visibility

log = logging.getLogger(__name__)

HAND_OVER_WITHIN = timedelta(minutes=10)
# secrets.token_urlsafe(32): 43 characters; Telegram's start parameter takes
# up to 64 of A-Z, a-z, 0-9, _ and -.
TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _never_started(error: TelegramError) -> bool:
    """Telegram's answer when the bot may not write to a person first."""
    if isinstance(error, Forbidden):
        return True
    return isinstance(error, BadRequest) and "chat not found" in error.message.lower()


class Answers:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        open_link: OpenLink | None,
        admins: Sequence[int] = (),
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._open_link = open_link
        self._admins = tuple(admins)

    async def answer(
        self,
        bot: Bot,
        reply: Reply,
        *,
        chat: Chat,
        person: User | None,
        reply_to: int,
        lang: Lang = "en",
    ) -> None:
        """A command's reply, as an answer to ``reply_to``. ``person`` is who
        asked; ``None`` when it was a chat (a post as a channel), which has no
        private chat. A refusal is logged: the command is done either way."""
        personal = ((reply,) if reply.visibility is Visibility.PRIVATE else ()) + tuple(
            reply.private_notes
        )
        try:
            if reply.visibility is Visibility.CHAT:
                posted = await send_reply(
                    bot, chat.id, reply, reply_to=reply_to, open_link=self._open_link
                )
                await card_posted(self._uow, reply, posted)
            if not personal:
                return
            if chat.type == Chat.PRIVATE:  # the person's own private chat already
                for part in personal:
                    await send_reply(
                        bot, chat.id, part, reply_to=reply_to, open_link=self._open_link
                    )
            elif person is not None:
                await self._privately(bot, personal, person=person, group=chat, reply_to=reply_to)
            else:
                await self._for_a_chat(bot, personal, chat=chat, reply_to=reply_to, lang=lang)
        except TelegramError as error:
            log.warning("could not answer in chat %s: %s", chat.id, error.message)
        finally:
            await self._to_admins(bot, reply.admin_notes)

    async def _to_admins(self, bot: Bot, notes: Sequence[Reply]) -> None:
        """Each note to every bridge admin's private chat, never to a group."""
        for admin in self._admins if notes else ():
            try:
                for note in notes:
                    await send_reply(bot, admin, note, open_link=self._open_link)
            except TelegramError as error:
                if _never_started(error):
                    log.info("a bridge admin has not started the bot; the request waits")
                else:
                    log.warning("could not write to a bridge admin: %s", error.message)

    async def _for_a_chat(
        self, bot: Bot, parts: Sequence[Reply], *, chat: Chat, reply_to: int, lang: Lang
    ) -> None:
        """A post as a channel: an error is said where it was asked (it tells
        nobody anything private); anything else for one person is withheld."""
        withheld = False
        for part in parts:
            if part.is_error:
                await send_reply(bot, chat.id, part, reply_to=reply_to, open_link=self._open_link)
            else:
                withheld = True
        if withheld:
            await bot.send_message(
                chat.id,
                translator(lang)("telegram.private_withheld"),
                reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True),
            )

    async def _privately(
        self, bot: Bot, parts: Sequence[Reply], *, person: User, group: Chat, reply_to: int
    ) -> None:
        """``parts`` to ``person``'s private chat; if they never started the
        bot, kept for them, and the group told where to fetch them."""
        messages = [m for part in parts for m in outgoing(part, self._open_link)]
        for index, message in enumerate(messages):
            try:
                await send_messages(bot, person.id, [message])
            except (Forbidden, BadRequest) as error:
                if not _never_started(error):
                    raise
                rest = messages[index:]
                await self._keep(bot, rest, person=person, group=group, reply_to=reply_to)
                return

    async def _keep(
        self,
        bot: Bot,
        messages: Sequence[Outgoing],
        *,
        person: User,
        group: Chat,
        reply_to: int,
    ) -> None:
        token = secrets.token_urlsafe(32)
        payload = json.dumps(
            [{"text": m.text, "markup": m.markup.to_dict() if m.markup else None} for m in messages]
        )
        now = self._clock.now()
        async with self._uow() as uow:
            await uow.parcels.drop_expired(now)
            await uow.parcels.put(
                _key(token), user_ref(person, bot.id), payload, now + HAND_OVER_WITHIN
            )
            await uow.commit()
        t = translator(user_lang(person) or "en")
        minutes = int(HAND_OVER_WITHIN.total_seconds() // 60)
        link = f"https://t.me/{bot.username}?start={token}"
        await bot.send_message(
            group.id,
            t("telegram.private_waiting", link=link, minutes=minutes),
            reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True),
            link_preview_options=_NO_PREVIEW,
        )
        log.info("kept a private answer for someone who has not started the bot")

    async def hand_over(self, bot: Bot, token: str, *, person: User, chat_id: int) -> None:
        """``/start <token>`` in a private chat: what waited for this person,
        once; anyone else, or a stale or spent token, gets nothing of it."""
        payload = None
        if TOKEN.fullmatch(token):
            async with self._uow() as uow:
                payload = await uow.parcels.take(
                    _key(token), user_ref(person, bot.id), self._clock.now()
                )
                await uow.commit()
        if payload is None:
            t = translator(user_lang(person) or "en")
            await bot.send_message(chat_id, t("telegram.nothing_waiting"))
            return
        messages = [
            Outgoing(
                m["text"], InlineKeyboardMarkup.de_json(m["markup"], bot) if m["markup"] else None
            )
            for m in json.loads(payload)
        ]
        await send_messages(bot, chat_id, messages)

"""Messages and button presses from TrueConf chat: to the core and back.

Identity. Everyone here is an account of the TrueConf server: the person
who writes is vouched for by the server, so the adapter records them (and the
people they mention, by id) as linked to their own login the first time it
sees them. The core then finds the owner and the invitees in its links, with
no user lookup; ``/meet link`` and ``unlink`` answer that nothing is needed.

Presses. A press names the message and the button, not who pressed it. In a
personal chat the presser is the chat's one other member. In a group only a
press that changes nothing and shows the same to all (the calendar) is
served; the rest are not offered there (``render``), and an old one pressed
anyway is answered with where it works.

Each message is handled once: its id goes into the delivery log first (a
message seen again, after a reconnect or through a second connection, is
skipped).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from dataclasses import dataclass, field, replace

from trueconf import Bot
from trueconf.exceptions import ApiErrorException
from trueconf.types.callback_query import CallbackQuery
from trueconf.types.message import Message

from adapters.plain_text import hint
from adapters.trueconf_chat.confirm import Confirmations
from adapters.trueconf_chat.confirm import pressed as confirm_pressed
from adapters.trueconf_chat.inbound import P2P, PLATFORM, Account, Reader
from adapters.trueconf_chat.messenger import CAPABILITIES, post
from adapters.trueconf_chat.texts import translator
from bot.catalogue import CATALOGUE
from bot.chat import ChatRef, Identity, Lang, Mention, Standing, UserRef
from bot.clock import Clock, SystemClock
from bot.commands import CommandInput, MeetingCalendar
from bot.errors import DeliveryError
from bot.live.book import card_posted
from bot.messengers import Messengers
from bot.ports import UnitOfWorkFactory
from bot.reply import ActionKind, Actions, Reply, Text, Visibility
from bot.service import CommandService

log = logging.getLogger(__name__)

CHAT_ADMIN_ROLES = frozenset({"owner", "admin"})
# Presses anyone may make in a group: they change nothing.
READS: tuple[type, ...] = (MeetingCalendar,)
_LINK_WORDS = frozenset(
    word
    for name in ("link", "unlink")
    for entry in [CATALOGUE.named(name)]
    if entry
    for word in entry.words
)


def without_choices(reply: Reply) -> Reply:
    """A group's question moved to the person's personal chat: its answers are
    bound to the group, so a press there would find nothing; each reading's
    line to type stays, to be typed in the group."""
    blocks = tuple(
        Actions(tuple(a for a in block.items if a.kind is not ActionKind.CHOOSE))
        if isinstance(block, Actions)
        else block
        for block in reply.blocks
    )
    return replace(reply, blocks=blocks)


@dataclass(frozen=True, slots=True)
class ChatBridge:
    service: CommandService
    uow: UnitOfWorkFactory
    workspace: str
    # Chat ids that may use the bot; None: every chat.
    allowed_chats: frozenset[str] | None = None
    lang: Lang = "en"
    clock: Clock = field(default_factory=SystemClock)
    # Every messenger of the bridge: a confirmed link is told to its requester.
    messengers: Messengers | None = None
    zone: str = "UTC"  # DEFAULT_TIMEZONE: what a chat without /meet timezone reads in

    @property
    def source(self) -> str:
        """This server's name in the delivery log (32 characters at most)."""
        return "trueconf:" + hashlib.sha256(self.workspace.encode()).hexdigest()[:20]


async def lang_in(bridge: ChatBridge, chat: ChatRef) -> Lang:
    """The chat's language (``/meet lang``), else the bridge's default."""
    async with bridge.uow(transaction=False) as uow:
        settings = await uow.chat_settings.get(chat)
    return settings.lang or bridge.lang


@dataclass
class Handlers:
    bridge: ChatBridge
    # Chats seen, by id: their type, and for a personal chat its person's id.
    chat_types: dict[str, int] = field(default_factory=dict)
    _people: dict[str, str] = field(default_factory=dict)  # personal chat -> account id
    _vouched: set[str] = field(default_factory=set)
    _refused: set[str] = field(default_factory=set)  # chats told they may not use the bot
    _outsiders: set[str] = field(default_factory=set)  # other servers' accounts told so

    @property
    def confirmations(self) -> Confirmations:
        bridge = self.bridge
        return Confirmations(bridge.uow, bridge.clock, bridge.workspace, self.lang_of)

    async def lang_of(self, chat_id: str) -> Lang:
        """What the adapter's own lines speak in a chat: its ``/meet lang``,
        else the bridge's default."""
        return await lang_in(self.bridge, ChatRef(PLATFORM, self.bridge.workspace, chat_id))

    def is_personal(self, chat_id: str) -> bool:
        return self.chat_types.get(chat_id) == P2P

    # ---- messages ---------------------------------------------------------

    async def on_message(self, message: Message, bot: Bot) -> None:
        chat = message.chat
        self.chat_types[chat.chat_id] = int(chat.chat_type)
        author = message.author.id
        if int(message.author.type) != 1 or Account.parse(author) == Account.parse(bot.me_id):
            return
        if chat.chat_type == P2P:
            self._people[chat.chat_id] = author.split("/", 1)[0]
        content = message.content
        text, parse_mode = getattr(content, "text", None), getattr(content, "parse_mode", "text")
        if not isinstance(text, str):
            return
        reader = Reader(self.bridge.workspace, bot.me_id)
        found = reader.command(text, str(parse_mode), mentioned=bool(message.mention))
        if found is None:
            if chat.chat_type == P2P:
                await self._plain_line(bot, reader, message, reader.typed(text, str(parse_mode)))
            return
        # A command: the next plain line in this personal chat gets its hint again.
        unhint = reader.chat(chat.chat_id) if chat.chat_type == P2P else None
        if not await self._first_time(message.message_id, unhint=unhint):
            return
        if not self._allowed(chat.chat_id):
            await self._refuse(bot, chat.chat_id, message.message_id)
            return
        if not self._serves(reader, author):
            await self._refuse_outsider(bot, reader, author)
            return
        command_text, mentions = found
        speaker = reader.user(author)
        await self._vouch(reader, speaker, mentions)
        personal = chat.chat_type == P2P
        if command_text.split(maxsplit=1)[:1] and command_text.split()[0].lower() in _LINK_WORDS:
            note = translator(await self.lang_of(chat.chat_id))(
                "trueconf_chat.link_not_needed", login=speaker.user_id
            )
            await post(
                bot,
                chat.chat_id,
                Reply((Text(note),)),
                personal=personal,
                reply_to=message.message_id,
            )
            return
        standing = Standing.MEMBER if personal else await self._standing(bot, chat.chat_id, author)
        command = CommandInput(
            text=command_text,
            chat=reader.chat(chat.chat_id),
            user=speaker,
            mentions=mentions,
            is_private_chat=personal,
            standing=standing,
        )
        reply = await self.bridge.service.handle(command, CAPABILITIES)
        await self.answer(
            bot, reply, chat_id=chat.chat_id, person=author, reply_to=message.message_id
        )

    async def _plain_line(self, bot: Bot, reader: Reader, message: Message, typed: str) -> None:
        """A line without a command in a personal chat: one short answer, that
        commands start with /meet, and the line most likely meant (shown, not
        run). Another command (``/something``) and whom a command would be
        refused get nothing, as before. One hint until a command is sent there:
        another bot on the server (a second bridge asked to confirm a link, an
        auto-reply) answers each message, and a hint to each answer would go
        back and forth for ever."""
        chat_id, author = message.chat.chat_id, message.author.id
        if typed.lstrip().startswith("/") or not await self._first_time(message.message_id):
            return
        if not self._allowed(chat_id) or not self._serves(reader, author):
            return
        bridge = self.bridge
        # In the database: once per chat whichever replica answers, across restarts.
        async with bridge.uow(transaction=False) as uow:
            first = await uow.hints.first_hint(reader.chat(chat_id))
            await uow.commit()
        if not first:
            return
        found = await hint(
            bridge.uow, reader.chat(chat_id), typed, now=bridge.clock.now(), zone=bridge.zone
        )
        t = translator(found.lang or bridge.lang)
        note = t("trueconf_chat.plain_text_help" if found.is_help else "trueconf_chat.plain_text")
        try:
            await post(bot, chat_id, found.reply(note), personal=True, reply_to=message.message_id)
        except (ApiErrorException, TimeoutError, RuntimeError):
            # Not given after all: the chat's next plain line gets it.
            async with bridge.uow(transaction=False) as uow:
                await uow.hints.forget(reader.chat(chat_id))
                await uow.commit()

    async def _first_time(self, message_id: str, *, unhint: ChatRef | None = None) -> bool:
        """``unhint``: a chat whose hint is forgotten with the delivery's record."""
        async with self.bridge.uow(transaction=False) as uow:
            first = await uow.deliveries.first_time(self.bridge.source, message_id)
            if first and unhint is not None:
                await uow.hints.forget(unhint)
            await uow.commit()
        if not first:
            log.info("TrueConf message %s was handled already; skipped", message_id)
        return first

    async def _refuse(self, bot: Bot, chat_id: str, message_id: str) -> None:
        """A chat not on the allowlist: one answer naming its id (so whoever
        runs the bridge can add it), then silence."""
        log.info("TrueConf chat %s is not in TRUECONF_CHATBOT_ALLOWED_CHATS", chat_id)
        if chat_id in self._refused:
            return
        self._refused.add(chat_id)
        note = translator(await self.lang_of(chat_id))("trueconf_chat.not_allowed", chat_id=chat_id)
        with contextlib.suppress(ApiErrorException, TimeoutError, RuntimeError):
            await post(
                bot,
                chat_id,
                Reply((Text(note),)),
                personal=self.is_personal(chat_id),
                reply_to=message_id,
            )

    def _allowed(self, chat_id: str) -> bool:
        allowed = self.bridge.allowed_chats
        return allowed is None or chat_id in allowed

    def _serves(self, reader: Reader, person: str) -> bool:
        """Every chat (``*``) means every chat of this server's own accounts:
        an account of another server (federation) is served only in a chat
        the allowlist names."""
        return self.bridge.allowed_chats is not None or reader.is_local(Account.parse(person))

    async def _refuse_outsider(self, bot: Bot, reader: Reader, person: str) -> None:
        """One answer, in their personal chat with the bot, then silence."""
        account = person.split("/", 1)[0]
        log.info("TrueConf account %s is of another server: not served", account)
        if account in self._outsiders:
            return
        self._outsiders.add(account)
        with contextlib.suppress(ApiErrorException, TimeoutError, RuntimeError, ValueError):
            target = await self.personal_chat(bot, account)
            t = translator(await self.lang_of(target))
            note = t("trueconf_chat.other_server", server=reader.me.domain)
            await post(bot, target, Reply((Text(note),)), personal=True)

    async def _vouch(self, reader: Reader, speaker: UserRef, mentions: tuple[Mention, ...]) -> None:
        """The speaker and the people mentioned by id are this server's
        accounts: each is linked to their own login, once."""
        # A guest from another server keeps the whole id (with its "@"): not ours.
        people = [] if "@" in speaker.user_id else [speaker]
        people += [
            UserRef(PLATFORM, reader.workspace, m.user_id, m.handle, handle=m.user_id)
            for m in mentions
            if m.user_id
        ]
        fresh = [p for p in people if p.key not in self._vouched]
        if not fresh:
            return
        async with self.bridge.uow() as uow:
            for person in fresh:
                if await uow.links.get(person) != person.user_id:
                    await uow.links.set(person, person.user_id, linked_by=person)
            await uow.commit()
        self._vouched.update(p.key for p in fresh)

    async def _standing(self, bot: Bot, chat_id: str, author: str) -> Standing:
        """An owner or admin of the group manages its meetings."""
        try:
            found = await bot.get_chat_participants(chat_id, 100, 1)
        except (ApiErrorException, TimeoutError) as error:
            log.warning("could not read the members of TrueConf chat %s: %s", chat_id, error)
            return Standing.MEMBER
        me = Account.parse(author)
        for participant in found.participants:
            if Account.parse(participant.user_id) == me:
                role = str(getattr(participant.role, "value", participant.role))
                return Standing.CHAT_ADMIN if role in CHAT_ADMIN_ROLES else Standing.MEMBER
        return Standing.MEMBER

    # ---- answers ------------------------------------------------------------

    async def answer(
        self, bot: Bot, reply: Reply, *, chat_id: str, person: str | None, reply_to: str | None
    ) -> None:
        """The chat's part into the chat; what is for one person into their
        personal chat with the bot (the bot may always write first here)."""
        personal = self.is_personal(chat_id)
        mine = ((reply,) if reply.visibility is Visibility.PRIVATE else ()) + reply.private_notes
        try:
            if reply.visibility is Visibility.CHAT:
                lang = await self.lang_of(chat_id)
                sent = await post(
                    bot,
                    chat_id,
                    reply,
                    personal=personal,
                    reply_to=reply_to,
                    lang=lang,
                )
                # A meeting's card: kept up to date in place while it runs.
                await card_posted(self.bridge.uow, reply, sent[0] if len(sent) == 1 else "")
            if not mine or person is None:
                return
            target = chat_id if personal else await self.personal_chat(bot, person)
            for part in mine:
                await post(bot, target, part if personal else without_choices(part), personal=True)
        except (ApiErrorException, TimeoutError, RuntimeError, ValueError) as error:
            log.warning("could not answer in TrueConf chat %s: %s", chat_id, error)

    async def personal_chat(self, bot: Bot, person: str) -> str:
        account = person.split("/", 1)[0]
        for chat_id, other in self._people.items():
            if other == account:
                return chat_id
        created = await bot.create_personal_chat(account)
        self._people[created.chat_id] = account
        self.chat_types[created.chat_id] = P2P
        return created.chat_id

    # ---- presses ------------------------------------------------------------

    async def on_press(self, query: CallbackQuery, bot: Bot) -> None:
        message = query.message
        if message is None or Account.parse(message.author.id) != Account.parse(bot.me_id):
            return
        chat_id = message.chat.chat_id
        self.chat_types[chat_id] = int(message.chat.chat_type)
        if not self._allowed(chat_id):
            return
        t = translator(await self.lang_of(chat_id))
        if (link := confirm_pressed(query.command)) is not None:
            await self._link_press(bot, chat_id, link)
            return
        pressed = CATALOGUE.pressed(query.command)
        if pressed is None:
            await post(
                bot,
                chat_id,
                Reply((Text(t("trueconf_chat.button_expired")),)),
                personal=self.is_personal(chat_id),
            )
            return
        reader = Reader(self.bridge.workspace, bot.me_id)
        if self.is_personal(chat_id):
            presser = await self._person_of(bot, chat_id)
            if not self._serves(reader, presser):
                await self._refuse_outsider(bot, reader, presser)
                return
            user, identity = reader.user(presser), Identity.PERSON
        elif isinstance(pressed, READS):
            presser, identity = None, Identity.UNKNOWN
            user = UserRef(PLATFORM, reader.workspace, "", "")
        else:
            await post(
                bot, chat_id, Reply((Text(t("trueconf_chat.press_in_private")),)), personal=False
            )
            return
        command = CommandInput(
            text="",
            command=pressed,
            chat=reader.chat(chat_id),
            user=user,
            is_private_chat=identity is Identity.PERSON,
            identity=identity,
        )
        reply = await self.bridge.service.handle(command, CAPABILITIES)
        await self.answer(bot, reply, chat_id=chat_id, person=presser, reply_to=message.message_id)

    async def _link_press(self, bot: Bot, chat_id: str, link: tuple[bool, str]) -> None:
        """Confirm or Refuse of a link request: only in the personal chat of
        the user asked (the presser is its one other member)."""
        if not self.is_personal(chat_id):
            note = translator(await self.lang_of(chat_id))("trueconf_chat.press_in_private")
            await post(bot, chat_id, Reply((Text(note),)), personal=False)
            return
        reader = Reader(self.bridge.workspace, bot.me_id)
        person = await self._person_of(bot, chat_id)
        if not self._serves(reader, person):
            await self._refuse_outsider(bot, reader, person)
            return
        presser = reader.user(person)
        confirmed, token = link
        requester = await self.confirmations.answer(
            bot, chat_id, presser, token, confirmed=confirmed
        )
        if requester is not None and self.bridge.messengers is not None:
            await self._tell_requester(requester, presser.user_id, confirmed=confirmed)

    async def _tell_requester(self, requester: UserRef, login: str, *, confirmed: bool) -> None:
        """The answer, in the requester's private chat on their messenger."""
        assert self.bridge.messengers is not None
        key = "trueconf_chat.link_confirmed" if confirmed else "trueconf_chat.link_refused"
        private = ChatRef(requester.platform, requester.workspace_id, requester.user_id)
        note = translator(await lang_in(self.bridge, private))(key, login=login)
        try:
            messenger = self.bridge.messengers.for_chat(private)
            await messenger.send(private, Reply((Text(note),), Visibility.PRIVATE))
        except DeliveryError as exc:
            log.warning("could not tell %s the link's answer: %s", requester.platform, exc)

    async def _person_of(self, bot: Bot, chat_id: str) -> str:
        """The one member of a personal chat who is not the bot."""
        if chat_id in self._people:
            return self._people[chat_id]
        me = Account.parse(bot.me_id)
        found = await bot.get_chat_participants(chat_id, 10, 1)
        for participant in found.participants:
            if Account.parse(participant.user_id) != me:
                self._people[chat_id] = participant.user_id.split("/", 1)[0]
                return self._people[chat_id]
        raise LookupError(f"personal chat {chat_id} has nobody but the bot")

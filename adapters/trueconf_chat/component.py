"""The TrueConf chat part of ``meetbridge serve``: one ``python-trueconf-bot``
connection per process, kept up in the background.

The library reconnects by itself after a dropped socket. When it gives up
(the server stayed away through its retries, or refused the token, which
expires) the component makes a new bot with a fresh token, with waits that
double up to a minute; meanwhile reminders are told to try again later.

Catching up. The server pushes the bot's unread messages as it authorizes,
before the library knows the bot's own id (with its own filter of the bot's
messages on, 1.5.4 drops them on an error): here that filter is off, and each
handler waits for the authorization. Once authorized the bot also reads the
recent history of its chats (a message the server counted as delivered to a
connection that was dying): a ``/meet`` of the last ``CATCH_UP`` not in the
delivery log yet is answered then; one already answered is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from starlette.routing import BaseRoute
from trueconf import Bot, Dispatcher, Router
from trueconf.exceptions import ApiErrorException
from trueconf.types.callback_query import CallbackQuery
from trueconf.types.message import Message

from adapters.http.readiness import CheckResult, failed, passed
from adapters.reconnect import Reconnecting
from adapters.reminders.dispatcher import process_owner
from adapters.trueconf_chat.config import Endpoint, TrueConfChatConfig
from adapters.trueconf_chat.handlers import Handlers
from adapters.trueconf_chat.inbound import PLATFORM, local_login
from adapters.trueconf_chat.messenger import NotConnected, TrueConfChatMessenger
from adapters.trueconf_chat.sandbox import ChatSandboxServer
from bot.chat import UserRef
from bot.clock import Clock, SystemClock
from bot.errors import DeliveryError
from bot.messengers import Messengers

log = logging.getLogger(__name__)

CATCH_UP = timedelta(minutes=10)
# The connection lease: renewed every RENEW, taken over once LEASE has passed
# without a renewal (a holder that died): within LEASE + RENEW.
LEASE = timedelta(seconds=10)
RENEW = timedelta(seconds=3)
HISTORY = 20  # recent messages read per chat when catching up
ASK_AGAIN = timedelta(minutes=1)  # a link question that could not be put is tried again
CHATS_PAGE = 50
CONNECT_TIMEOUT = 15.0
# The library's loggers: its INFO is a line per call; below INFO it logs
# part of the token. Its lines go to the root handlers (format, redaction).
LIBRARY_LOGGERS = (
    "trueconf",
    "trueconf.client.chatbot",
    "trueconf.dispatcher",
    "chat_bot",
    "httpx2",
)


class Requests(Protocol):
    """Link requests still open to a question (``requests.OpenRequests``)."""

    async def recent(self, now: datetime, settled: timedelta) -> list[tuple[UserRef, str]]: ...


class Lease(Protocol):
    """One process at a time holds the bot's connection (``storage.leases``)."""

    async def hold(self, name: str, holder: str, now: datetime, until: datetime) -> bool: ...

    async def release(self, name: str, holder: str, now: datetime) -> None: ...


class TrueConfChatComponent:
    def __init__(
        self,
        config: TrueConfChatConfig,
        handlers: Handlers,
        messengers: Messengers,
        *,
        lease: Lease | None = None,
        requests: Requests | None = None,
        clock: Clock | None = None,
    ) -> None:
        """``requests``: with a ``lease``, the link requests the holder puts
        to their TrueConf users, whichever process took them."""
        self._config = config
        self._lease = lease
        self._requests = requests
        self._clock = clock or SystemClock()
        self._holder = process_owner()
        self._lease_name = (
            "trueconf_chat:" + hashlib.sha256(handlers.bridge.workspace.encode()).hexdigest()[:32]
        )
        self._holding: asyncio.Task[None] | None = None
        self._asking: asyncio.Task[None] | None = None
        # Link requests whose question could not be put, and when: not retried each round.
        self._unasked: dict[tuple[str, str], datetime] = {}
        self._active = False  # this process holds the lease and the connection
        self._held_until: datetime | None = None
        self._handlers = handlers
        self._messengers = messengers
        self._sandbox: ChatSandboxServer | None = None
        self._bot: Bot | None = None
        self._connecting: Reconnecting | None = None
        self._watch: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stopping = False
        self._log_levels: dict[str, tuple[int, list[logging.Handler]]] = {}

    name = "trueconf chat"

    @property
    def routes(self) -> Sequence[BaseRoute]:
        return ()

    @property
    def sandbox(self) -> ChatSandboxServer | None:
        return self._sandbox

    async def start(self) -> None:
        self._quiet_library()
        if self._config.endpoint is None:
            self._sandbox = ChatSandboxServer()
            await self._sandbox.__aenter__()
            log.info("TrueConf chat sandbox at %s", self._sandbox.base_url)
        self._not_connected()
        if self._lease is None:
            self._active = True
            self._reconnect()
        else:
            self._holding = asyncio.create_task(self._hold(), name="trueconf chat lease")

    async def _hold(self) -> None:
        """Take the lease when it is free and connect; renew it every
        ``RENEW``; hand the connection over when it is lost (another holds it,
        or the database stayed away until it ran out). Meanwhile this process
        opens no connection and sends nothing to TrueConf chats: their
        reminders and live cards are the holder's (``NotConnected``)."""
        assert self._lease is not None
        while True:
            now = self._clock.now()
            try:
                held = await self._lease.hold(self._lease_name, self._holder, now, now + LEASE)
            except Exception as exc:  # the database: keep what the lease still covers
                log.warning("TrueConf chat: could not renew the connection lease: %s", exc)
                held = self._held_until is not None and now < self._held_until
            else:
                self._held_until = now + LEASE if held else None
            if held and not self._active:
                log.info("TrueConf chat: this process holds the bot's connection")
                self._active = True
                self._reconnect()
            elif not held and self._active:
                log.warning("TrueConf chat: another process holds the bot's connection now")
                await self._disconnect()
            asking = self._asking
            if held and self._bot is not None and (asking is None or asking.done()):
                # Beside the renewals, never in their way.
                self._asking = asyncio.create_task(self._ask_open_requests(now))
            await asyncio.sleep(RENEW.total_seconds())

    async def _disconnect(self) -> None:
        self._active = False
        if self._connecting is not None:
            await self._connecting.stop()
            self._connecting = None
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._watch
            self._watch = None
        bot, self._bot = self._bot, None
        self._not_connected()
        if bot is not None:
            await bot.shutdown(timeout=5)

    def _not_connected(self) -> None:
        """Nothing is sent to TrueConf chats from here until this process
        connects (as the holder of the lease, when there is one)."""
        self._messengers.register(NotConnected(self._problem_now))

    def _holds(self) -> bool:
        """This process holds the bot's connection: no lease to hold, or its
        lease is held and has not run out unrenewed."""
        if self._lease is None:
            return True
        until = self._held_until
        return self._active and until is not None and self._clock.now() < until

    def _reconnect(self) -> None:
        self._connecting = Reconnecting("trueconf chat", self._connect, self._problem)
        self._connecting.start()

    def _problem_now(self) -> str | None:
        if self._lease is not None and not self._active:
            return "another process holds the bot's connection"
        return self._connecting.problem if self._connecting else None

    def _problem(self, exc: Exception) -> str:
        if isinstance(exc, ApiErrorException) or "invalid" in str(exc).lower():
            return f"the TrueConf server refused the bot's account: {exc}"
        first = str(exc).strip().splitlines()
        reason = f"{type(exc).__name__}: {first[0]}" if first else type(exc).__name__
        return f"cannot reach the TrueConf chat-bot API: {reason}"

    def _endpoint(self) -> tuple[Endpoint, str, str]:
        if self._sandbox is not None:
            port = int(self._sandbox.base_url.rsplit(":", 1)[1])
            return Endpoint("127.0.0.1", port, https=False), "meetbot", self._sandbox.bot_password
        config = self._config
        assert config.endpoint is not None
        password = config.password.get_secret_value() if config.password else ""
        return config.endpoint, config.login, password

    async def _connect(self) -> None:
        bot = await self._open_bot()
        self._bot = bot
        self._messengers.register(
            TrueConfChatMessenger(
                bot,
                self._handlers.is_personal,
                self._ask_to_confirm,
                self._handlers.lang_of,
                holds=self._holds,
            )
        )
        # The library's own loop ends when it gives up: then a new bot.
        self._watch = asyncio.create_task(self._watch_bot(bot))
        log.info("TrueConf chat bot %s is ready", bot.me_id)

    async def _open_bot(self) -> Bot:
        """A connected, authorized bot that handles what people say."""
        endpoint, login, password = self._endpoint()
        config = self._config
        dispatcher = Dispatcher()
        router = Router()
        router.message()(self._on_message)
        router.callback_query()(self._on_press)
        dispatcher.include_router(router)
        options: dict[str, Any] = {
            "dispatcher": dispatcher,
            "receive_unread_messages": True,
            # Its own filter of the bot's messages reads the bot's id, which a
            # message pushed during authorization comes before: ours waits.
            "skip_self_messages": False,
            "verify_ssl": config.verify(),
            "https": endpoint.https,
            "web_port": endpoint.port,
            "on_health_check": self._health,
        }
        if config.token is not None:
            bot = Bot(endpoint.host, config.token.get_secret_value(), **options)
        else:  # the library's token request is synchronous: off the loop
            bot = await asyncio.to_thread(
                Bot.from_credentials, endpoint.host, login, password, **options
            )
        await bot.start()
        try:
            await asyncio.wait_for(bot.authorized_event.wait(), CONNECT_TIMEOUT)
        except TimeoutError:
            await bot.shutdown(timeout=1)
            raise TimeoutError("the bot was not authorized in time") from None
        return bot

    async def _ask_to_confirm(self, requester: UserRef, login: str) -> None:
        """Put a link request to the TrueConf user ``login``, in their
        personal chat, through this process's connection (only the process
        that holds it has this messenger)."""
        bot = self._bot
        if bot is None or not self._holds():
            raise DeliveryError("TrueConf chat is not connected here")
        login = local_login(login, bot.me_id)
        chat_id = await self._handlers.personal_chat(bot, login)
        await self._handlers.confirmations.ask(bot, chat_id, requester, login)

    async def _ask_open_requests(self, now: datetime) -> None:
        """Put the open link requests to their users; a question already
        put is not put again (``Confirmations.ask``)."""
        if self._requests is None:
            return
        try:
            # A request older than a round: one this process took it asked already.
            waiting = await self._requests.recent(now, RENEW)
        except Exception as exc:  # the next round reads again
            log.warning("TrueConf chat: could not read the open link requests: %s", exc)
            return
        for requester, login in waiting:
            failed = self._unasked.get((requester.key, login))
            if failed is not None and now - failed < ASK_AGAIN:
                continue
            try:
                await self._ask_to_confirm(requester, login)
            except Exception as exc:  # tried again a while later, not each round
                self._unasked[requester.key, login] = now
                log.warning("TrueConf chat: could not put a link request to its user: %s", exc)
            else:
                self._unasked.pop((requester.key, login), None)

    async def _watch_bot(self, bot: Bot) -> None:
        # The library keeps its connection loop in a private task; it ends
        # only when the library gives up reconnecting.
        task: asyncio.Task[Any] | None = getattr(bot, "_connect_task", None)
        if task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await task
        if self._stopping:
            return
        log.warning("TrueConf chat: the connection gave up; connecting anew")
        self._not_connected()
        await bot.shutdown(timeout=1)
        self._reconnect()

    async def _health(self, status: dict[str, Any]) -> None:
        if status.get("status") == "authorized" and self._bot is not None:
            self._spawn(self._catch_up(self._bot))

    def _spawn(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _on_message(self, message: Message) -> None:
        if await _authorized(message.bot):
            await self._handlers.on_message(message, message.bot)

    async def _on_press(self, query: CallbackQuery) -> None:
        if await _authorized(query.bot):
            await self._handlers.on_press(query, query.bot)

    async def wait_connected(self) -> None:
        if self._connecting is not None:
            await self._connecting.wait()

    async def catch_up(self) -> int:
        """Answer what the bot missed (tests call it; ``serve`` does on each
        authorization); how many messages were looked at."""
        return await self._catch_up(self._bot) if self._bot is not None else 0

    async def _catch_up(self, bot: Bot) -> int:
        horizon = time.time() - CATCH_UP.total_seconds()
        seen = 0
        page = 1
        try:
            while True:
                chats = (await bot.get_chats(count=CHATS_PAGE, page=page)).chats
                for chat in chats:
                    last = chat.last_message
                    if last is not None and _seconds(last.timestamp) < horizon:
                        continue  # nothing said there lately: no history to read
                    history = await bot.get_chat_history(chat.chat_id, HISTORY)
                    for message in reversed(history.messages):
                        if isinstance(message, Message) and _seconds(message.timestamp) >= horizon:
                            seen += 1
                            await self._handlers.on_message(message, bot)
                if len(chats) < CHATS_PAGE:
                    return seen
                page += 1
        except (ApiErrorException, TimeoutError, RuntimeError) as error:
            log.warning("TrueConf chat: could not catch up on missed messages: %s", error)
            return seen

    async def check_ready(self) -> CheckResult:
        if self._lease is not None and not self._active:
            return passed("standing by: another process holds the bot's connection")
        bot = self._bot
        if bot is None or not bot.authorized_event.is_set():
            return failed(f"not connected: {self._problem_now() or 'connecting'}")
        return passed(f"connected and authorized as {bot.me_id}")

    async def stop(self) -> None:
        self._stopping = True
        for task in (self._holding, self._asking):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._connecting is not None:
            await self._connecting.stop()
        self._messengers.unregister(PLATFORM)
        for task in list(self._tasks):
            task.cancel()
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._watch
        if self._bot is not None:
            await self._bot.shutdown(timeout=5)
        if self._lease is not None and self._active:
            # Handed on at once: another process connects within RENEW.
            with contextlib.suppress(Exception):
                await self._lease.release(self._lease_name, self._holder, self._clock.now())
        if self._sandbox is not None:
            await self._sandbox.__aexit__(None, None, None)
        self._restore_library_logs()

    def _quiet_library(self) -> None:
        for name in LIBRARY_LOGGERS:
            logger = logging.getLogger(name)
            self._log_levels[name] = (logger.level, list(logger.handlers))
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
            logger.setLevel(logging.WARNING)

    def _restore_library_logs(self) -> None:
        for name, (level, handlers) in self._log_levels.items():
            logger = logging.getLogger(name)
            logger.setLevel(level)
            for handler in handlers:
                logger.addHandler(handler)


async def _authorized(bot: Bot) -> bool:
    """Until the bot knows its own id: what the server pushes while the bot
    authorizes (its unread messages) comes before that."""
    try:
        await asyncio.wait_for(bot.authorized_event.wait(), CONNECT_TIMEOUT)
    except TimeoutError:
        log.warning("TrueConf chat: a message came to a bot that was never authorized")
        return False
    return True


def _seconds(timestamp: int) -> float:
    """The API's timestamps: milliseconds (seconds accepted too)."""
    return timestamp / 1000 if timestamp > 10**11 else float(timestamp)

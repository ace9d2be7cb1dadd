"""The command service: one entry point for every messenger.

It resolves the chat's zone and language, parses the text, runs the handler,
turns expected errors into short specific replies, and records the outcome.
Never a traceback, never silence.
"""

from __future__ import annotations

import logging
import time

from bot.asking import question_reply, usage_reply
from bot.catalogue import CATALOGUE, Catalogue
from bot.chat import Lang
from bot.commands import CommandInput, MeetingForm, ParseResult, Question, Usage
from bot.context import AuditSlot, Deps, Request
from bot.errors import BackendError, UserError
from bot.explain import backend_message
from bot.handlers.edit import edit_of
from bot.i18n import Translator
from bot.people import MAX_MENTIONS, mention_user
from bot.policy import ensure_allowed, role_of
from bot.ports import AuditEntry
from bot.reply import Capabilities, Reply, error_reply
from bot.timerules import is_valid_zone
from bot.tracing import ensure_request_scope

log = logging.getLogger(__name__)


def ensure_readable(text: str) -> None:
    """A lone surrogate (half of a UTF-16 pair: a message cut mid-character,
    or forged) cannot be stored, logged as UTF-8 or sent on: say where it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UserError("error.unreadable_text", position=exc.start + 1) from None


class CommandService:
    def __init__(self, deps: Deps, catalogue: Catalogue = CATALOGUE) -> None:
        self._deps = deps
        self._catalogue = catalogue

    async def _request(
        self, command_input: CommandInput, capabilities: Capabilities, audit: AuditSlot
    ) -> Request:
        # One read: the chat's settings and the links of the speaker and of
        # the people the messenger resolved (typed @names are read later).
        speaker = command_input.user
        people = [speaker, *(mention_user(m, speaker) for m in command_input.mentions)]
        async with self._deps.uow(transaction=False) as uow:
            context = await uow.context.read(command_input.chat, people[: MAX_MENTIONS + 1])
        chat_settings = context.settings
        defaults = self._deps.defaults
        zone = defaults.zone
        if command_input.user_timezone and is_valid_zone(command_input.user_timezone):
            zone = command_input.user_timezone
        elif chat_settings.zone:
            zone = chat_settings.zone
        lang: Lang = chat_settings.lang or command_input.user_lang or defaults.lang
        return Request(
            input=command_input,
            zone=zone,
            lang=lang,
            t=Translator(lang),
            now=self._deps.clock.now(),
            capabilities=capabilities,
            settings=chat_settings,
            role=role_of(command_input, self._deps.admins),
            card_buttons=self._catalogue.card_buttons,
            logins=context.logins,
            audit=audit,
        )

    async def handle(self, command_input: CommandInput, capabilities: Capabilities) -> Reply:
        # A command that arrived without a request id (the console) gets one here.
        with ensure_request_scope():
            return await self._handle(command_input, capabilities)

    async def _handle(self, command_input: CommandInput, capabilities: Capabilities) -> Reply:
        started = time.perf_counter()
        # ``outcome`` is detailed (audit, log line); ``result`` is its metric
        # label, a small fixed set: ok, usage, rejected, backend_error, internal.
        kind, outcome, result = "unknown", "ok", "ok"
        # Until the chat's language is known, errors speak the default one.
        t = Translator(self._deps.defaults.lang)
        audit = AuditSlot()
        try:
            request = await self._request(command_input, capabilities, audit)
            t = request.t
            ensure_readable(command_input.text)
            parsed = self._read(command_input, request)
            if isinstance(parsed, Usage):
                kind, outcome, result = "usage", parsed.problem, "usage"
                return usage_reply(parsed, t)
            if isinstance(parsed, Question):
                kind, outcome, result = "question", parsed.problem, "usage"
                return await question_reply(parsed, request, self._deps)
            entry = self._catalogue.of(parsed)
            kind = entry.name
            ensure_allowed(parsed, command_input)
            audit.entry = AuditEntry(command_input.chat, command_input.user, kind, "ok")
            return await entry.run(parsed, request, self._deps)
        except UserError as exc:
            outcome, result = exc.key, "rejected"
            return error_reply(t(exc.key, **exc.params))
        except BackendError as exc:
            outcome, result = f"backend:{exc.reason}", "backend_error"
            log.warning("backend refused %s: %s", kind, exc.reason)
            return error_reply(backend_message(exc, t))
        except Exception:
            outcome = result = "internal"
            log.exception("command %s failed", kind)
            return error_reply(t("error.internal"))
        finally:
            elapsed = time.perf_counter() - started
            chat = command_input.chat
            log.info(
                "command %s in %s:%s: %s in %.1f ms",
                kind,
                chat.platform,
                chat.chat_id,
                outcome,
                elapsed * 1000,
                extra={
                    "event": "command",
                    "platform": chat.platform,
                    "chat": chat.key,
                    "kind": kind,
                    "outcome": outcome,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )
            self._deps.metrics.command_handled(kind, result, elapsed)
            if not (audit.taken and outcome == "ok"):  # else written with the command's work
                await self._audit(command_input, kind, outcome, audit.detail)

    def _read(self, command_input: CommandInput, request: Request) -> ParseResult:
        """The command to run: the one that came built, a form's, or the typed one."""
        built = command_input.command
        if isinstance(built, MeetingForm):
            ensure_readable(built.topic)  # typed into a form, as a line is typed
            read = self._catalogue.grammar.read_form(built, now=request.now, zone=request.zone)
            return edit_of(built, read)
        if built is not None:
            return built
        return self._catalogue.parse(
            command_input.text,
            now=request.now,
            zone=request.zone,
            mentions=command_input.mentions,
        )

    async def _audit(
        self, command_input: CommandInput, kind: str, outcome: str, detail: str
    ) -> None:
        try:
            async with self._deps.uow(transaction=False) as uow:
                await uow.audit.record(
                    chat=command_input.chat,
                    user=command_input.user,
                    command=kind,
                    outcome=outcome,
                    detail=detail,
                )
                await uow.commit()
        except Exception:  # the audit must never turn a good reply into an error
            log.exception("could not write the audit log")

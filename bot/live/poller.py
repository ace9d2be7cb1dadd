"""Watching one meeting: called by the dispatcher for each ``live`` ledger row
it claims (so a meeting is watched by one process at a time, as reminders
are sent), at most once per LIVE_POLL_SECONDS.

Each poll asks the backend who is in, moves the meeting's record on
(``bot.live.progress``), edits the posted card only when what it shows
changed, and posts the summary when the meeting ends and the note when it has
run empty for IDLE_STOP_MINUTES. A card that can no longer be edited is
forgotten quietly."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.audience import Audience
from bot.card_buttons import CardButton
from bot.commands import StopMeeting
from bot.context import Deps
from bot.errors import BackendError, DeliveryError, Refusal
from bot.live.card import live_card
from bot.live.model import LiveConfig, LiveRecord, LiveView
from bot.live.progress import advance
from bot.live.summary import summary_reply
from bot.meeting import LiveState, Meeting
from bot.messengers import Messengers
from bot.ports import ChatSettings, ConferenceActivity, Messenger, UnitOfWork, features_of
from bot.reply import Action, ActionKind, Actions, Block, Reply, Text

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Watch:
    """What became of a poll: when to poll next (``None``: this start is done)."""

    next_at: datetime | None
    note: str = ""


class LivePoller:
    def __init__(
        self, deps: Deps, messengers: Messengers, buttons: Sequence[CardButton] = ()
    ) -> None:
        """``buttons``: the catalogue's card buttons, as the posted card has them."""
        self._deps = deps
        self._messengers = messengers
        self._buttons = tuple(buttons)

    async def poll(
        self, meeting: Meeting, occurrence_start: datetime, settings: ChatSettings, now: datetime
    ) -> Watch:
        deps = self._deps
        config = deps.live
        server = deps.backends.get(meeting.backend)
        port = server.activity if server is not None else None
        if config is None or port is None or meeting.id is None:
            return Watch(None, "not watched")
        async with deps.uow(transaction=False) as uow:
            turn = await uow.live.take_turn(meeting.id, now, now - config.poll / 2)
            await uow.commit()
        if not turn:
            return Watch(None, "watched already")
        try:
            activity = await port.present(meeting.conference_id)
        except BackendError as exc:
            if exc.refusal is Refusal.NOT_FOUND:
                return Watch(None, "the conference is gone")
            log.info("meeting %d: the server did not say who is in: %s", meeting.id, exc.reason)
            return Watch(now + config.poll)
        async with deps.uow(transaction=False) as uow:
            record = await uow.live.get(meeting.id) or LiveRecord(meeting.id)
        duration = meeting.duration or deps.defaults.duration
        step = advance(
            record, activity, now=now, window_end=occurrence_start + duration, config=config
        )
        record, wait = step.record, timedelta(0)
        messenger = self._messenger(meeting)
        if messenger is not None:
            request = self._request(settings, now, messenger)
            record, wait = await self._edit(meeting, record, step.view, messenger, request)
            try:
                if step.ended:
                    await self._summarise(meeting, record, port, messenger, request)
                if step.idle:
                    await messenger.send(meeting.chat, idle_note(meeting, request, config))
            except DeliveryError as exc:
                log.warning("meeting %d: a live message was not taken: %s", meeting.id, exc.reason)
        async with deps.uow(transaction=False) as uow:
            if not await uow.live.save_turn(record, now):
                # A later turn was taken while this poll waited on the server
                # or the messenger: that poll's record is newer; it writes.
                log.info("meeting %d: a later poll has its record; this one's dropped", meeting.id)
                return Watch(now + config.poll, "overtaken")
            if step.record.tracked and not record.tracked:  # the card is gone
                await uow.live.set_card(meeting.id, "")
            await _record_state(uow, meeting, step.view, now)
            await uow.commit()
        if step.finished:
            return Watch(None, "ended" if step.ended else "did not start")
        return Watch(now + max(config.poll, wait))

    def _messenger(self, meeting: Meeting) -> Messenger | None:
        try:
            return self._messengers.for_chat(meeting.chat)
        except DeliveryError:
            return None

    def _request(self, settings: ChatSettings, now: datetime, messenger: Messenger) -> Audience:
        defaults = self._deps.defaults
        return Audience.of(
            settings.lang or defaults.lang,
            settings.zone or defaults.zone,
            now,
            messenger.capabilities,
        )

    async def _edit(
        self,
        meeting: Meeting,
        record: LiveRecord,
        view: LiveView,
        messenger: Messenger,
        request: Audience,
    ) -> tuple[LiveRecord, timedelta]:
        """The card edited when what it shows changed; the record as it then
        is, and the wait a rate-limited messenger asked for."""
        if record.shown == view:
            return record, timedelta(0)
        if not record.tracked or not messenger.capabilities.edits:
            return replace(record, shown=view), timedelta(0)
        features = features_of(self._deps.backend_named(meeting.backend))
        card = live_card(meeting, view, request, features, self._buttons)
        try:
            await messenger.edit(meeting.chat, record.message_id, card)
        except DeliveryError as exc:
            if exc.permanent:
                log.info("meeting %d: its card can no longer be edited; not tracked", meeting.id)
                return replace(record, message_id="", shown=view), timedelta(0)
            log.info("meeting %d: card edit put off: %s", meeting.id, exc.reason)
            return record, timedelta(seconds=exc.retry_after or 0)
        return replace(record, shown=view), timedelta(0)

    async def _summarise(
        self,
        meeting: Meeting,
        record: LiveRecord,
        port: ConferenceActivity,
        messenger: Messenger,
        request: Audience,
    ) -> None:
        since = (record.running_since or request.now) - timedelta(minutes=1)
        try:
            calls = list(await port.calls(meeting.conference_id, since))
        except BackendError as exc:
            log.info("meeting %d: no call logs for the summary: %s", meeting.id, exc.reason)
            calls = []
        try:
            recordings = list(await port.recordings(meeting.conference_id))
        except BackendError as exc:
            log.info("meeting %d: no recordings for the summary: %s", meeting.id, exc.reason)
            recordings = []
        reply = summary_reply(meeting, record, calls, recordings, request)
        await messenger.send(meeting.chat, reply)


async def _record_state(uow: UnitOfWork, meeting: Meeting, view: LiveView, now: datetime) -> None:
    """What lists show (``/meet list``: running, N in): recorded when it changed."""
    assert meeting.id is not None
    people = view.count if view.phase is LiveState.RUNNING else None
    if meeting.state is view.phase and meeting.people_in == people:
        return
    since = now if meeting.state is not view.phase else (meeting.state_since or now)
    await uow.meetings.record_state(meeting.id, view.phase, since=since, people_in=people)


def idle_note(meeting: Meeting, request: Audience, config: LiveConfig) -> Reply:
    """The meeting runs with nobody in: a note, and a Stop button that works
    for its creator or an admin (the stop command's own check)."""
    t = request.t
    minutes = round(config.idle.total_seconds() / 60)
    blocks: list[Block] = [
        Text(t("idle.note", id=meeting.id, topic=meeting.topic, minutes=minutes))
    ]
    if request.capabilities.buttons and meeting.id is not None:
        stop = Action(
            ActionKind.STOP, t("card.action.stop"), meeting.id, command=StopMeeting(str(meeting.id))
        )
        blocks.append(Actions((stop,)))
    return Reply(tuple(blocks))

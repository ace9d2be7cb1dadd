"""``/meet now|tomorrow 15:00|weekly … [for …] [topic] [@people]``."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from bot import formatting
from bot.cards import meeting_card, pin_note
from bot.commands import NewMeeting
from bot.context import Deps, Request
from bot.errors import BridgeError, UserError
from bot.grammar import keys
from bot.grammar.keywords import MEETING_TOPICS
from bot.handlers.invitations import owner_note, owners_among
from bot.handlers.reminders import offsets_said
from bot.handlers.spec import CommandSpec
from bot.live.card import card_headline, first_view, live_card, with_state
from bot.live.model import LiveRecord
from bot.live.progress import started_record
from bot.meeting import Conference, ConferenceSpec, LiveState, Meeting
from bot.people import linked_login, resolve_all
from bot.ports import AuditEntry, ConferenceBackend, features_of
from bot.reminders.planning import first_plan, offsets_for_new
from bot.reply import Reply, Text, Tone, Visibility
from bot.schedule import Instant, Weekly
from bot.timerules import offset_minutes, weekly_translation_changes

log = logging.getLogger(__name__)


def _offset_text(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def _private_notes(
    meeting: Meeting, conference: Conference, request: Request, deps: Deps, *, schedules: bool
) -> tuple[Reply, ...]:
    notes: list[Reply] = []
    t = request.t
    if conference.pin:
        notes.append(pin_note(meeting, conference.pin, request.audience))
    # The server's own weekly rule can drift; a bridge-timed room cannot.
    if isinstance(meeting.schedule, Weekly) and schedules:
        drift = weekly_translation_changes(
            meeting.schedule, deps.defaults.server_zone, request.now, timedelta(days=366)
        )
        if drift is not None:
            text = t(
                "card.dst_drift",
                server_zone=deps.defaults.server_zone,
                date=formatting.when(drift, request.zone, request.lang),
            )
            notes.append(Reply((Text(text, Tone.MUTED),), Visibility.PRIVATE))
    reported = conference.server_time_offset_minutes
    if isinstance(meeting.schedule, Weekly) and reported is not None:
        expected = offset_minutes(deps.defaults.server_zone, conference.next_start or request.now)
        if reported != expected:
            text = t(
                "card.zone_mismatch",
                server_offset=_offset_text(reported),
                zone=deps.defaults.server_zone,
                expected_offset=_offset_text(expected),
            )
            notes.append(Reply((Text(text, Tone.MUTED),), Visibility.PRIVATE))
    return tuple(notes)


async def _store(
    meeting: Meeting,
    deps: Deps,
    offsets: tuple[timedelta, ...],
    now: datetime,
    audit: AuditEntry | None,
) -> Meeting:
    """The meeting, its first reminders, the command's audit line and, when
    it is watched, its live record (what its card shows when posted): one
    write, atomic by itself (no transaction held around it)."""
    meeting = meeting.with_changes(reminders=offsets)
    live = None
    if deps.watched(meeting.backend) and deps.live is not None:
        live = LiveRecord(0, chat_key=meeting.chat.key, shown=first_view(meeting))
        if isinstance(meeting.schedule, Instant):  # started by the bridge: running, empty
            live = started_record(live, now=now, config=deps.live)
            meeting = meeting.with_changes(state=LiveState.RUNNING, state_since=now, people_in=0)
    try:
        async with deps.uow(transaction=False) as uow:
            stored = await uow.meetings.add(
                meeting, actions=first_plan(meeting, deps, now), audit=audit, live=live
            )
            await uow.commit()
    except Exception:
        log.exception("could not store meeting for conference %s", meeting.conference_id)
        raise UserError("error.storage_after_create") from None
    return stored


async def _remove_orphan(conference_id: str, backend: ConferenceBackend) -> None:
    try:
        await backend.delete(conference_id)
    except BridgeError:
        log.exception("could not remove orphan conference %s", conference_id)


async def handle_new_meeting(command: NewMeeting, request: Request, deps: Deps) -> Reply:
    t = request.t
    speaker = request.input.user
    backend = deps.backend_named(request.settings.backend or deps.default_backend)
    features = features_of(backend)
    accounts = features.accounts
    owner = ""
    # Reads only, and the directory lookups in between call TrueConf: no
    # transaction is held open across them.
    async with deps.uow(transaction=False) as uow:
        linked = await linked_login(speaker, uow.links, request.logins)
        if linked is None and not deps.defaults.unlinked_may_create:
            raise UserError("error.link_first")
        if accounts:
            owner = linked or deps.defaults.owner_login or ""
            if not owner:
                raise UserError("error.no_owner")
        directory = deps.directory if accounts else None
        invitees = await resolve_all(
            command.invitees, speaker, uow.links, directory, request.logins
        )
    # The owner is on the conference as such: neither invited nor listed.
    owners = owners_among(invitees, owner) if accounts else []
    invitees = tuple(i for i in invitees if i not in owners)

    topic = command.topic or t("card.default_topic")
    duration = command.duration or deps.defaults.duration
    spec = ConferenceSpec(
        topic=topic,
        owner_login=owner,
        invitee_logins=tuple(dict.fromkeys(i.login for i in invitees if i.mapped)),
        schedule=command.schedule,
        duration=duration,
    )
    conference = await backend.create(spec)
    meeting = Meeting(
        backend=backend.name,
        conference_id=conference.conference_id,
        chat=request.input.chat,
        creator=speaker,
        topic=topic,
        schedule=command.schedule,
        duration=duration,
        owner_login=owner,
        created_at=request.now,
        join=conference.join,
        invitees=invitees,
        uid=str(uuid.uuid4()),
        # Started at once, or waiting for its start.
        state=LiveState.RUNNING if isinstance(command.schedule, Instant) else LiveState.SCHEDULED,
        state_since=request.now,
    )
    try:
        if isinstance(command.schedule, Instant) and not conference.is_running:
            await backend.start(conference.conference_id)
        offsets = offsets_for_new(meeting, command.reminder_offsets, request.settings, deps)
        request.audit.about(meeting)  # its number is put in front when stored
        meeting = await _store(meeting, deps, offsets, request.now, request.audit.take())
    except BaseException:
        # Do not leave an orphan conference on the server that nobody can manage.
        await _remove_orphan(conference.conference_id, backend)
        raise

    if deps.watched(meeting.backend):
        card = live_card(
            meeting, first_view(meeting), request.audience, features, request.card_buttons
        )
    else:
        # Not kept up to date, but its state line reads as /meet info's does.
        headline = card_headline(meeting, t)
        card = meeting_card(
            meeting, request.audience, features, request.card_buttons, headline=headline
        )
        card = with_state(card, first_view(meeting), t)
    if command.reminder_offsets:  # chosen with the meeting (a form): say they are set
        chosen = offsets_said(command.reminder_offsets, request)
        line = t("remind.set", id=meeting.id, topic=meeting.topic, **chosen)
        card = replace(card, blocks=(*card.blocks, Text(line, Tone.MUTED)))
    if owners:
        card = replace(card, blocks=(*card.blocks, owner_note(owners, meeting, request)))
    notes = _private_notes(meeting, conference, request, deps, schedules=features.schedules)
    return replace(card, private_notes=notes)


# No command word: a line that names a time is a new meeting.
NEW_MEETING = CommandSpec(
    NewMeeting, "new", handle_new_meeting, keys.EX_NOW, help_words=MEETING_TOPICS
)

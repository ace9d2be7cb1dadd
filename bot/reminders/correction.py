"""One claimed ``correct`` row: the weekly rule a server keeps in its own zone
put in step with the meeting's zone, and the chat told what was done.

The target is computed from the meeting (its rule translated into the
server's zone at its next start), never by moving what the server holds by
an hour: carried out again (a crash between the server's change and the row's
record, or two changes of the clocks passed while nothing ran), it finds the
server already holding the target and changes nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot import formatting
from bot.errors import BackendError
from bot.i18n import Translator
from bot.meeting import ConferenceSpec, EditField, Meeting
from bot.ports import ConferenceBackend
from bot.reply import Reply, Text, Tone
from bot.schedule import Weekly
from bot.timerules import ServerWeekly, next_weekly_occurrence, weekly_in_server_zone

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Correction:
    """What the server held and what it holds now (equal: nothing to do)."""

    held: Weekly | None  # None: the server showed no weekly rule
    target: Weekly

    @property
    def changed(self) -> bool:
        return self.held != self.target


def _as_rule(server: ServerWeekly, zone: str) -> Weekly:
    return Weekly(frozenset(server.days), server.time, zone)


def conference_spec(meeting: Meeting) -> ConferenceSpec:
    """The meeting as the server should hold it."""
    return ConferenceSpec(
        topic=meeting.topic,
        owner_login=meeting.owner_login,
        invitee_logins=tuple(dict.fromkeys(meeting.invited_logins)),
        schedule=meeting.schedule,
        duration=meeting.duration,
    )


async def correct_rule(
    meeting: Meeting, backend: ConferenceBackend, server_zone: str, now: datetime
) -> Correction:
    """Read the rule the server holds; when it is not the meeting's rule
    translated at its next start, update the conference (one ``PUT``)."""
    rule = meeting.schedule
    assert isinstance(rule, Weekly)
    target = _as_rule(weekly_in_server_zone(rule, server_zone, now), server_zone)
    conference = await backend.get(meeting.conference_id)
    held = None
    if conference.weekly_days and conference.weekly_time is not None:
        held = Weekly(conference.weekly_days, conference.weekly_time, server_zone)
    found = Correction(held, target)
    if not found.changed:
        return found
    editing = backend.editing
    updated = None
    if editing is not None:  # the weekly rule alone: one PUT of the schedule
        schedule = frozenset({EditField.SCHEDULE})
        updated = await editing.edit(meeting.conference_id, conference_spec(meeting), schedule)
    if updated is None:
        raise BackendError("ruleNotTaken", "the server cannot change a conference's rule")
    now_held = (updated.weekly_days, updated.weekly_time)
    if now_held != (target.days, target.at):
        raise BackendError("ruleNotTaken", "the server did not keep the corrected weekly rule")
    log.info(
        "meeting %s: the server's weekly rule moved to %s %s (%s)",
        meeting.id,
        ",".join(d.api_name for d in target.sorted_days),
        target.at.isoformat("minutes"),
        server_zone,
    )
    return found


def correction_note(
    meeting: Meeting, done: Correction, *, zone: str, t: Translator, now: datetime
) -> Reply:
    """The chat's one message about a correction, naming its creator."""
    rule = meeting.schedule
    assert isinstance(rule, Weekly)
    upcoming = next_weekly_occurrence(rule, now)
    text = t(
        "correct.done",
        id=meeting.id,
        topic=meeting.topic,
        creator=meeting.creator.display_name or meeting.creator.user_id,
        server_zone=done.target.zone,
        zone=rule.zone,
        old=formatting.weekly_rule(done.held, t) if done.held is not None else "—",
        new=formatting.weekly_rule(done.target, t),
        rule=formatting.weekly_rule(rule, t),
        next=formatting.when(upcoming, zone, t.lang),
    )
    return Reply((Text(text, Tone.MUTED),))

"""The reminder a chat receives: topic, "starts in N minutes" in the chat's
language, the time in the chat's zone, and every way to join."""

from __future__ import annotations

from datetime import datetime

from bot import formatting
from bot.audience import Audience
from bot.cards import join_blocks, link_context
from bot.chat import Lang
from bot.live.card import shown_view, state_line
from bot.live.model import LiveView
from bot.meeting import Meeting
from bot.reply import (
    Action,
    ActionKind,
    Actions,
    Block,
    Capabilities,
    Field,
    Fields,
    Reply,
    Text,
    Title,
    Tone,
)
from bot.states import begun_ahead_of


def reminder_reply(
    meeting: Meeting,
    occurrence_start: datetime,
    *,
    now: datetime,
    zone: str,
    lang: Lang,
    capabilities: Capabilities,
    late: bool = False,
    shown: LiveView | None = None,
) -> Reply:
    """``capabilities``: the receiving messenger's, so the reminder offers what
    a card there would (an app link as a button through the /open page).
    ``shown``: what the meeting's live card shows; the reminder says the same
    (as far as the clock agrees)."""
    audience = Audience.of(lang, zone, now, capabilities)
    t = audience.t
    minutes = max(0, round((occurrence_start - now).total_seconds() / 60))
    if begun_ahead_of(meeting, occurrence_start, now):
        # Started by hand ahead of time: "starts in 10 min" would be wrong.
        headline = t("reminder.begun", id=meeting.id)
    elif minutes:
        headline = t("reminder.soon", id=meeting.id, minutes=minutes)
    else:
        headline = t("reminder.now", id=meeting.id)
    fields = [Field(t("card.when"), formatting.when(occurrence_start, zone, lang))]
    if meeting.duration is not None:
        fields.append(Field(t("card.duration"), formatting.duration(meeting.duration, t)))
    # Who is expected, as they were named: on a server without invitations
    # (Callaba) the reminder is the only call they get.
    if meeting.invitees:
        names = ", ".join(i.handle for i in meeting.invitees)
        fields.append(Field(t("card.invited"), names))
    blocks: list[Block] = [Text(headline), Title(meeting.topic)]
    if shown is not None:
        blocks.append(Text(state_line(shown_view(meeting, shown, now), t)))
    blocks.append(Fields(tuple(fields)))
    if late:
        blocks.append(Text(t("reminder.late"), Tone.MUTED))
    # App links that name the meeting: their page shows it, and they expire.
    blocks += join_blocks(meeting.join, audience, link_context(meeting, audience))
    if capabilities.buttons and meeting.id is not None:
        blocks.append(Actions((Action(ActionKind.JOIN, t("card.action.join"), meeting.id),)))
    return Reply(tuple(blocks))

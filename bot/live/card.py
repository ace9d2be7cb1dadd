"""The live card as the chat sees it: the meeting's card with one state line
(scheduled, running with who is in, ended)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from bot.audience import Audience
from bot.card_buttons import CardButton
from bot.cards import meeting_card
from bot.i18n import Translator
from bot.live.model import LiveView
from bot.live.summary import guests_text
from bot.meeting import BackendFeatures, LiveState, Meeting
from bot.reply import Reply, Text, Title
from bot.schedule import Instant
from bot.states import current_state


def state_line(view: LiveView, t: Translator) -> str:
    match view.phase:
        case LiveState.SCHEDULED:
            return t("live.scheduled")
        case LiveState.ENDED:
            return t("live.ended")
        case LiveState.RUNNING:
            if not view.count:
                return t("live.running_empty")
            who = list(view.names)
            if view.guests:
                who.append(guests_text(view.guests, t))
            return t("live.running", count=view.count, who=", ".join(who))


def first_view(meeting: Meeting) -> LiveView:
    """What a new meeting's card shows: one started at once runs, empty."""
    phase = LiveState.RUNNING if isinstance(meeting.schedule, Instant) else LiveState.SCHEDULED
    return LiveView(phase)


def shown_view(meeting: Meeting, shown: LiveView | None, now: datetime) -> LiveView:
    """What a card about the meeting shows now: its live card's state while
    the clock agrees with it (``bot.states``), else the clock's."""
    state = current_state(meeting, now)
    if shown is not None and shown.phase is state:
        return shown
    return LiveView(state)


def with_state(card: Reply, view: LiveView, t: Translator) -> Reply:
    """``card`` with the state line under its title."""
    blocks = list(card.blocks)
    at = next((i + 1 for i, b in enumerate(blocks) if isinstance(b, Title)), 0)
    blocks.insert(at, Text(state_line(view, t)))
    return replace(card, blocks=tuple(blocks))


def card_headline(meeting: Meeting, t: Translator, view: LiveView | None = None) -> str:
    """The card's first line: scheduled, on now, or over."""
    phase = view.phase if view is not None else first_view(meeting).phase
    key = {
        LiveState.SCHEDULED: "card.created",
        LiveState.RUNNING: "card.started",
        LiveState.ENDED: "live.headline_ended",
    }[phase]
    return t(key, id=meeting.id)


def live_card(
    meeting: Meeting,
    view: LiveView,
    audience: Audience,
    features: BackendFeatures,
    buttons: Sequence[CardButton],
) -> Reply:
    """The card as posted, with the meeting's state now."""
    headline = card_headline(meeting, audience.t, view)
    card = meeting_card(meeting, audience, features, buttons, headline=headline)
    return replace(with_state(card, view, audience.t), card_of=meeting.id)

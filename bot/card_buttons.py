"""A command's button on a meeting's card, declared with the command itself
(``bot.handlers.spec.meeting_button``): its label, where it sits, and when a
card offers it. ``bot.cards.card_actions`` offers every declared button whose
condition holds; adding a button touches no other file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.commands import Command
from bot.meeting import BackendFeatures, Meeting
from bot.reply import ActionKind


@dataclass(frozen=True, slots=True)
class Offer:
    """What decides whether a card offers a button: the meeting, what its
    server offers, and whether the reader may change the meeting (a list of
    one person's meetings offers changes on their own only; a card in a chat
    offers them to everyone, and the command checks who presses)."""

    meeting: Meeting
    features: BackendFeatures
    may_change: bool = True


@dataclass(frozen=True, slots=True)
class CardButton:
    # Catalog key of the button's label.
    label: str
    # The command a press runs, made from the meeting's bridge number.
    command: Callable[[str], Command]
    # When a card offers it.
    offered: Callable[[Offer], bool]
    # Left to right on the card (the join link comes first, always).
    place: int
    # How messengers may style it; a plain press unless it needs its own look.
    kind: ActionKind = ActionKind.PRESS
    # It destroys something: the messenger asks before running it, where it can.
    confirm: bool = False

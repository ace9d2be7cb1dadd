"""Sending limits shared by every replica of the bridge: sliding windows
("at most N sends in any T seconds") kept where all replicas see them."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Window:
    """At most ``count`` sends in any ``seconds``, and ``gap`` seconds at least
    between two sends (never more than the window's even spacing): sent all
    at once, a burst queues on its way (in this process, the network, the
    receiver) and the receiver may see it bunched up and over the limit;
    spaced by what the sender keeps up with, each send leaves when it was
    booked to. The gap is the sender's, so it does not scale with the
    window."""

    count: int
    seconds: float
    gap: float = 0.0

    def spacing(self, margin: float) -> float:
        """The least time between two sends, with the window ``margin`` longer."""
        return min(self.gap, (self.seconds + margin) / self.count)


# A key names one set of recent sends (Telegram's whole bot, or one chat) and
# the windows they are held to.
Keyed = tuple[str, Sequence[Window]]


@dataclass(frozen=True, slots=True)
class ToBook:
    """One send to book under its keys; ``instead``: the moment it had booked
    before and will not use (it woke too late for it), given back."""

    keys: Sequence[Keyed]
    instead: float | None = None


@dataclass(frozen=True, slots=True)
class Booking:
    """A send's booked moment, as the windows keep it, and the seconds from
    the answer to it (below 0: the answer came later than the moment)."""

    moment: float
    delay: float


class SharedWindows(Protocol):
    async def reserve_many(
        self, sends: Sequence[ToBook], margin: float, horizon: float
    ) -> list[Booking | None]:
        """Book each send under every key of it, in order (one round of
        bookings for all a replica has waiting), at the earliest moment all
        their windows (each ``margin`` seconds longer) allow, counting the
        sends every replica has booked (a booked moment is kept even if the
        send then fails); each only if its moment is
        at most ``horizon`` seconds away (``None``: not booked, ask again),
        so a replica holds at most that much of the budget ahead. A moment
        given back is taken out of the windows first: nobody else booked
        anything that needs it there."""
        ...


# Sums of float gaps fall a hair short of the window they add up to, and
# moments are epoch seconds (about 1.7e9, so doubles hold them to 2.4e-7 s):
# a microsecond is well below any network's jitter.
_EPSILON = 1e-6


def _fits(times: Sequence[float], t: float, window: Window, margin: float) -> bool:
    """Whether one more send at ``t`` keeps ``times`` (sorted) within ``window``."""
    span = window.seconds + margin
    count = window.count
    # A full window on either side of t rules it out in two bisections: most
    # moments tried in a busy schedule go no further.
    if bisect.bisect_right(times, t) - bisect.bisect_left(times, t - span + _EPSILON) >= count:
        return False
    if bisect.bisect_right(times, t + span - _EPSILON) - bisect.bisect_left(times, t) >= count:
        return False
    at = bisect.bisect_left(times, t)
    gap = window.spacing(margin)
    if gap and (
        (at > 0 and t - times[at - 1] < gap - _EPSILON)
        or (at < len(times) and times[at] - t < gap - _EPSILON)
    ):
        return False
    # With t inserted at ``at``, every run of count + 1 consecutive sends that
    # holds t must span the window: t itself and the count sends on either side.
    for before in range(max(0, count - (len(times) - at)), min(count, at) + 1):
        first = times[at - before] if before else t  # the run's first send
        last = times[at + count - before - 1] if before < count else t  # and last
        if last - first < span - _EPSILON:
            return False
    return True


def earliest_until(
    now: float,
    booked: Sequence[tuple[Sequence[float], Sequence[Window]]],
    margin: float,
    until: float,
) -> float | None:
    """The earliest moment from ``now`` to ``until`` at which one more send
    fits every window of every key, given each key's booked moments
    (sorted); ``None`` when there is none."""
    # The earliest fit is now or a moment a booked send stops counting
    # against a window (or its even gap ends): a later booking only bounds t
    # from above.
    candidates = {now}
    for times, windows in booked:
        for window in windows:
            span = window.seconds + margin
            gap = window.spacing(margin)
            for s in times[bisect.bisect_right(times, now - span) :]:
                candidates.update(c for c in (s + span, s + gap) if now < c <= until)
    for t in sorted(candidates):
        if all(_fits(times, t, w, margin) for times, windows in booked for w in windows):
            return t
    return None

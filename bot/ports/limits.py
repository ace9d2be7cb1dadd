"""Sending limits shared by every replica of the bridge: sliding windows
("at most N sends in any T seconds") kept where all replicas see them."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Window:
    """At most ``count`` sends in any ``seconds``. ``smooth``: also keep
    ``seconds / count`` between two sends, so a burst is spread evenly instead
    of leaving at the start of each window (where the receiver's own clock may
    see it bunched up and over the limit)."""

    count: int
    seconds: float
    smooth: bool = False


# A key names one set of recent sends (Telegram's whole bot, or one chat) and
# the windows they are held to.
Keyed = tuple[str, Sequence[Window]]


class SharedWindows(Protocol):
    async def reserve(self, keys: Sequence[Keyed], margin: float) -> float:
        """Book one send under every key, at the earliest moment all their
        windows (each ``margin`` seconds longer) allow, counting the sends
        every replica has booked; the seconds from now to that moment (0:
        now). A booked moment is kept even if the send then fails."""
        ...

    async def reserve_many(self, sends: Sequence[Sequence[Keyed]], margin: float) -> list[float]:
        """``reserve`` for several sends at once, in order (one round of
        bookings for all a replica has waiting)."""
        ...


# Sums of float gaps fall a hair short of the window they add up to, and
# moments are epoch seconds (about 1.7e9, so doubles hold them to 2.4e-7 s):
# a microsecond is well below any network's jitter.
_EPSILON = 1e-6


def _fits(times: Sequence[float], t: float, window: Window, margin: float) -> bool:
    """Whether one more send at ``t`` keeps ``times`` (sorted) within ``window``."""
    span = window.seconds + margin
    at = bisect.bisect_left(times, t)
    if window.smooth:
        gap = span / window.count
        if (at > 0 and t - times[at - 1] < gap - _EPSILON) or (
            at < len(times) and times[at] - t < gap - _EPSILON
        ):
            return False
    # With t inserted at ``at``, every run of count + 1 consecutive sends that
    # holds t must span the window: t itself and the count sends on either side.
    count = window.count
    for before in range(max(0, count - (len(times) - at)), min(count, at) + 1):
        first = times[at - before] if before else t  # the run's first send
        last = times[at + count - before - 1] if before < count else t  # and last
        if last - first < span - _EPSILON:
            return False
    return True


def earliest(
    now: float, booked: Sequence[tuple[Sequence[float], Sequence[Window]]], margin: float
) -> float:
    """The earliest moment from ``now`` at which one more send fits every
    window of every key, given each key's booked moments (sorted)."""
    candidates = {now}
    for times, windows in booked:
        for window in windows:
            span = window.seconds + margin
            gap = span / window.count if window.smooth else 0.0
            for s in times:
                candidates.update(c for c in (s + span, s + gap) if c > now)
    for t in sorted(candidates):
        if all(_fits(times, t, w, margin) for times, windows in booked for w in windows):
            return t
    raise AssertionError("a moment past every booked send always fits")  # pragma: no cover

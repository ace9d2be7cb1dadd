"""The repair pass: a weekly meeting left with no rows ahead (a crash of an
older release between marking a row done and planning the next start, or rows
lost by hand) gets them planned again. Run by every dispatcher on start and
with each sweep; several at once write the same rows, which the ledger's
unique key keeps once."""

from __future__ import annotations

import logging

from bot.context import Deps
from bot.reminders.plan import plan_following, plan_new
from bot.reminders.planning import timing_for

log = logging.getLogger(__name__)


class LedgerRepair:
    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def run(self) -> int:
        """Plan every silent weekly meeting; returns how many rows were new."""
        now = self._deps.clock.now()
        added = 0
        async with self._deps.uow() as uow:
            silent = await uow.ledger.silent_weekly(tuple(self._deps.activation))
            for meeting_id, last in silent.items():
                meeting = await uow.meetings.get(meeting_id)
                if meeting is None:
                    continue
                timing = timing_for(meeting, self._deps)
                # The rows its roll-forward would have written, so overdue ones
                # still meet the downtime policy; never planned: from now.
                actions = (
                    plan_new(meeting, now, timing)
                    if last is None
                    else plan_following(meeting, last, now, timing)
                )
                new = await uow.ledger.add(meeting_id, actions) if actions else 0
                if new:
                    log.warning("meeting %d had no rows ahead: planned %d", meeting_id, new)
                added += new
            await uow.commit()
        return added

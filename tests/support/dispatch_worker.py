"""One dispatcher process for the multi-process tests:
``python -m tests.support.dispatch_worker DATABASE_URL OUT_FILE OWNER [SEND_DELAY]``.

It records each reminder's topic in OUT_FILE once sent, and runs until
SIGTERM (a clean stop that releases its leases) or SIGKILL (a crash).
With ``DISPATCH_WORKER_KILL_AT`` naming a point of the claim store (such as
``finish:marked``: a finished row marked, its transaction not committed), it
kills itself with SIGKILL the first time it gets there: a crash at exactly
that moment, not at one found by timing."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import timedelta

from adapters.reminders import Dispatcher, DispatcherConfig
from bot.clock import SystemClock
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from bot.reminders.repair import LedgerRepair
from storage.claims import Fault, SqlClaimStore
from storage.db import build_engine, build_session_factory
from storage.notify import ActionListener
from storage.uow import SqlUnitOfWorkFactory
from tests.support.reminders import FileRecorder, core_deps, messengers_with

# Short, so a dead worker's rows are taken over within seconds; renewed every
# second, so a worker starved of CPU for a few seconds on a busy machine keeps
# its rows (a lapsed lease is sent again by another: a duplicate).
LEASE = timedelta(seconds=6)
RENEW_SECONDS = 1.0
KILL_AT = "DISPATCH_WORKER_KILL_AT"


def kill_at(point: str | None) -> Fault | None:
    """The store's fault hook: SIGKILL this process at ``point``."""
    if not point:
        return None

    def fault(reached: str) -> None:
        if reached == point:
            os.kill(os.getpid(), signal.SIGKILL)

    return fault


async def main(url: str, out: str, owner: str, delay: float) -> None:
    engine = build_engine(url)
    sessions = build_session_factory(engine)
    clock = SystemClock()
    deps = core_deps(SqlUnitOfWorkFactory(sessions, clock=clock), clock)
    performer = ActionPerformer(deps, messengers_with(FileRecorder(out, delay)), DeliveryPolicy())
    config = DispatcherConfig(
        lease=LEASE, renew_seconds=RENEW_SECONDS, sweep_seconds=0.5, batch=50, concurrency=16
    )
    store = SqlClaimStore(sessions, fault=kill_at(os.environ.get(KILL_AT)))
    dispatcher = Dispatcher(store, performer, clock, config, owner=owner, repair=LedgerRepair(deps))
    listener = ActionListener(url, dispatcher.notified)
    if listener.supported:
        dispatcher.attach_listener(listener)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await dispatcher.start()
    print("ready", flush=True)
    await stop.wait()
    await dispatcher.stop()
    await engine.dispose()


if __name__ == "__main__":
    delay = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], delay))

"""One dispatcher process for the multi-process tests:
``python -m tests.support.dispatch_worker DATABASE_URL OUT_FILE OWNER [SEND_DELAY]``.

It records each reminder's topic in OUT_FILE once sent, and runs until
SIGTERM (a clean stop that releases its leases) or SIGKILL (a crash)."""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import timedelta

from adapters.reminders import Dispatcher, DispatcherConfig
from bot.clock import SystemClock
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from storage.claims import SqlClaimStore
from storage.db import build_engine, build_session_factory
from storage.notify import ActionListener
from storage.uow import SqlUnitOfWorkFactory
from tests.support.reminders import FileRecorder, core_deps, messengers_with

LEASE = timedelta(seconds=3)


async def main(url: str, out: str, owner: str, delay: float) -> None:
    engine = build_engine(url)
    sessions = build_session_factory(engine)
    clock = SystemClock()
    deps = core_deps(SqlUnitOfWorkFactory(sessions, clock=clock), clock)
    performer = ActionPerformer(deps, messengers_with(FileRecorder(out, delay)), DeliveryPolicy())
    config = DispatcherConfig(lease=LEASE, sweep_seconds=0.5, batch=50, concurrency=16)
    dispatcher = Dispatcher(SqlClaimStore(sessions), performer, clock, config, owner=owner)
    dispatcher.attach_listener(ActionListener(url, dispatcher.wake))
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

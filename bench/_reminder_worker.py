"""One dispatcher process for ``bench.reminders``:
``python -m bench._reminder_worker URL [--hold]``.

It runs the production ``Dispatcher`` (default settings, the repair pass
included) with a messenger fake that answers at once (``--hold``: never, so
the rows it claims stay claimed until it dies), prints ``ready <resident
MiB>``, and on SIGTERM stops,
then prints one JSON line: each reminder it sent with the time (Unix seconds),
its peak resident memory and the CPU time it used once ready. It imports only what a
dispatcher needs, so that peak is the dispatcher's own.
"""

from __future__ import annotations

import asyncio
import json
import resource
import signal
import sys

from adapters.reminders import Dispatcher, DispatcherConfig
from bot.chat import ChatRef
from bot.clock import SystemClock
from bot.reminders.delivery import ActionPerformer, DeliveryPolicy
from bot.reminders.repair import LedgerRepair
from bot.reply import Reply
from storage.claims import SqlClaimStore
from storage.db import build_engine, build_session_factory
from storage.notify import ActionListener
from storage.uow import SqlUnitOfWorkFactory
from tests.support.reminders import ConsoleStandIn, TopicRecorder, core_deps, messengers_with


def resident_mb() -> float:
    """This process's resident memory now (``VmRSS``), in MiB."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Stuck(ConsoleStandIn):
    """A chat service that takes a message and never answers."""

    async def send(self, chat: ChatRef, reply: Reply) -> None:
        await asyncio.Event().wait()


async def dispatch(url: str, hold: bool) -> None:
    """Run a dispatcher until SIGTERM; then print what it sent, when, and its peak RSS."""
    engine = build_engine(url)
    sessions = build_session_factory(engine)
    clock = SystemClock()
    recorder = TopicRecorder(clock)
    deps = core_deps(SqlUnitOfWorkFactory(sessions, clock=clock), clock)
    messenger = Stuck() if hold else recorder
    performer = ActionPerformer(deps, messengers_with(messenger), DeliveryPolicy())
    dispatcher = Dispatcher(
        SqlClaimStore(sessions), performer, clock, DispatcherConfig(), repair=LedgerRepair(deps)
    )
    dispatcher.attach_listener(ActionListener(url, dispatcher.notified))
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await dispatcher.start()
    print(f"ready {resident_mb()}", flush=True)
    started = cpu_seconds()
    await stop.wait()
    await dispatcher.stop()
    await engine.dispose()
    sent = [(topic, at.timestamp()) for topic, at in recorder.sent]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {"sent": sent, "peak_mb": peak_mb, "cpu_s": cpu_seconds() - started}
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    asyncio.run(dispatch(sys.argv[1], hold="--hold" in sys.argv[2:]))

"""``meetbridge work``: the work of the commands ``serve`` acknowledged.

``serve`` answers a messenger's request once the command is in the database
(the accepted-commands queue); this process claims those commands and does
them. Apart, the two never wait on each other's event loop, and the operating
system shares the cores between them, the acknowledgements first: the work
runs at a lower priority (``WORK_NICENESS``) so a busy worker cannot make
the acknowledgements late. Any number of workers may run on one database.

By default ``serve`` starts one as its child (``meetbridge.work_child``), so a single
process to run is still all a deployment needs; with ``WORK_PROCESS=false``
the deployment runs ``meetbridge work`` itself (as many as it likes). A child
stops with its parent: when the parent's end of its stdin closes (even after
a SIGKILL of the parent), it stops as it would on SIGTERM.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import sys
import threading
from collections.abc import Sequence

from adapters.edge import WorkPart
from adapters.http import Component
from adapters.http.service import stop_all
from adapters.http.shutdown import ShutdownBudget
from adapters.metrics import MetricsListener, PrometheusMetrics, metrics_token
from adapters.metrics.work_process import MULTIPROCESS_VARIABLE
from bot.errors import ConfigError
from meetbridge.compose import build_app
from meetbridge.config import Config
from meetbridge.failures import StartupError
from meetbridge.reminders import ReminderComponent
from meetbridge.serve import wiring_for
from meetbridge.signals import StopSignals, run_until_stopped
from meetbridge.validation import refuse_invalid
from meetbridge.version import build

log = logging.getLogger(__name__)

NOTHING_TO_WORK_ON = (
    "meetbridge work has nothing to do: only Slack's commands go to a work process"
    " (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET), and serve does the other"
    " messengers' commands itself: do not run meetbridge work (WORK_PROCESS=true,"
    " the default, and no deploy/kubernetes/work)"
)

# The worker yields the cores to the process that acknowledges (and to the
# database): its work has minutes, an acknowledgement 3 seconds.
WORK_NICENESS = 10


async def work(
    config: Config,
    *,
    child: bool = False,
    ready_fd: int | None = None,
    metrics_port: int | None = None,
) -> None:
    """Run the enabled messengers' workers until a stop signal (or, for
    ``serve``'s child, until the parent is gone); once they work, a line to
    ``ready_fd`` tells the parent. ``metrics_port`` (else WORK_METRICS_PORT):
    a process run apart serves its ``/metrics`` there."""
    refuse_invalid(config)
    if not any(edge.worker is not None for edge in config.messengers()):
        # Refused before anything starts: exiting 0 after a warning read as
        # done, and a Deployment of it restarted without end.
        raise ConfigError(NOTHING_TO_WORK_ON)
    with contextlib.suppress(OSError):  # not permitted: run at the usual priority
        os.nice(WORK_NICENESS)
    await run_until_stopped(
        config.core.shutdown_timeout_seconds,
        functools.partial(
            _work,
            config,
            child=child,
            ready_fd=ready_fd,
            metrics_port=metrics_port or config.core.work_metrics_port,
        ),
    )


async def _work(
    config: Config,
    budget: ShutdownBudget,
    signals: StopSignals,
    *,
    child: bool,
    ready_fd: int | None,
    metrics_port: int | None,
) -> None:
    stop = asyncio.Event()
    # serve's child counts what it does where serve's /metrics adds it up;
    # one run apart shows its own on metrics_port.
    counted = MULTIPROCESS_VARIABLE in os.environ or (metrics_port is not None and not child)
    metrics = PrometheusMetrics(build=build()) if counted else None
    async with build_app(config, metrics=metrics) as app:
        wiring = wiring_for(app)
        parts: list[WorkPart] = [
            edge.worker(config.of(edge), wiring)
            for edge in config.messengers()
            if edge.worker is not None
        ]
        started: list[Component] = []
        try:
            if metrics is not None and metrics_port is not None and not child:
                host = config.core.work_metrics_host
                token = metrics_token(config.core)
                listener = MetricsListener(metrics, host, metrics_port, token=token)
                try:
                    await listener.start()
                except OSError as exc:  # taken, or a host that is no address here
                    raise StartupError(
                        f"cannot listen on {host}:{metrics_port} for /metrics: {exc}"
                    ) from None
                started.append(listener)
            for part in parts:
                await part.start()
                started.append(part)
            # The reminders and live cards of the messengers working here
            # (serve leaves them to this process); serve prunes old rows.
            reminders = ReminderComponent(app.settings, app.deps, app.messengers, retention=False)
            await reminders.start()
            started.append(reminders)
            signals.serving(lambda _sig: stop.set())
            if child:
                _follow_parent(parts, stop)
            log.info("working on accepted commands (%s)", ", ".join(p.name for p in parts))
            if ready_fd is not None:
                with contextlib.suppress(OSError):  # the parent stopped waiting
                    os.write(ready_fd, b"working\n")
                    os.close(ready_fd)
            await stop.wait()
        finally:
            budget.begin()
            await stop_all(started, budget)


def _follow_parent(parts: Sequence[WorkPart], stop: asyncio.Event) -> None:
    """The parent holds the other end of stdin: it writes a byte there for
    each command it accepts (look now), and the pipe closes when the parent
    exits, however it exits (stop)."""
    loop = asyncio.get_running_loop()

    def wake() -> None:
        for part in parts:
            part.wake()

    def watch() -> None:
        with contextlib.suppress(OSError, ValueError):
            while os.read(sys.stdin.fileno(), 4096):
                loop.call_soon_threadsafe(wake)
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()

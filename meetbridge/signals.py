"""Stop signals for ``meetbridge serve``, in every state it can be in.

SIGTERM, SIGINT and SIGHUP all ask for the same graceful stop (a SIGHUP from a
closing terminal or a supervisor must not kill the process mid-send). While
the service is still starting (migrations, the sandbox) the start is
cancelled; once it serves, the server stops accepting and the components
finish their work. Whatever happens, the process has left when
SHUTDOWN_TIMEOUT_SECONDS have passed since the first signal: a stop that hangs
(a library that ignores cancellation) is cut short by a watchdog thread.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from collections.abc import Awaitable, Callable

from adapters.http.shutdown import ShutdownBudget

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# The exit code when the watchdog had to end the process.
WATCHDOG_EXIT = 1


def _hard_exit(seconds: float) -> None:
    log.error(
        "did not stop within SHUTDOWN_TIMEOUT_SECONDS=%g; exiting now "
        "(unsent reminders are taken over by another process when their lease runs out)",
        seconds,
    )
    for handler in logging.getLogger().handlers:
        handler.flush()
    os._exit(WATCHDOG_EXIT)


class StopSignals:
    """Installs the handlers on the running loop; ``serving`` is set once the
    HTTP server runs (it then gets the signal), before that the start-up task
    is cancelled."""

    def __init__(
        self,
        budget: ShutdownBudget,
        *,
        hard_exit: Callable[[float], None] = _hard_exit,
    ) -> None:
        self._budget = budget
        self._hard_exit = hard_exit
        self._task: asyncio.Task[object] | None = None
        self._serving: Callable[[int], None] | None = None
        self._watchdog: threading.Timer | None = None
        self.received: int | None = None

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        for sig in STOP_SIGNALS:
            loop.add_signal_handler(sig, self._on_signal, sig)

    def uninstall(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
        if self._watchdog is not None:
            self._watchdog.cancel()

    def serving(self, stop: Callable[[int], None]) -> None:
        """From now on a signal goes to ``stop`` (the server's graceful exit)."""
        self._serving = stop
        if self.received is not None:  # a signal came while it was starting
            stop(self.received)

    @property
    def stopping(self) -> bool:
        return self.received is not None

    def _on_signal(self, sig: int) -> None:
        first = self.received is None
        self.received = sig
        self._budget.begin()
        if first:
            log.info("%s received: stopping", signal.Signals(sig).name)
            self._watchdog = threading.Timer(
                self._budget.remaining(), self._hard_exit, args=(self._budget.seconds,)
            )
            self._watchdog.daemon = True
            self._watchdog.start()
        if self._serving is not None:
            self._serving(sig)
        elif self._task is not None and first:
            self._task.cancel("stop signal during start-up")


async def run_until_stopped(
    seconds: float, body: Callable[[ShutdownBudget, StopSignals], Awaitable[None]]
) -> None:
    """Run ``body`` (serve's or work's) with the stop signals installed and a
    shutdown budget of ``seconds``; a signal during start-up cancels it."""
    budget = ShutdownBudget(seconds)
    signals = StopSignals(budget)
    signals.install()
    try:
        await body(budget, signals)
    except asyncio.CancelledError:
        if not signals.stopping:
            raise
        log.info("stopped during start-up")
    finally:
        signals.uninstall()

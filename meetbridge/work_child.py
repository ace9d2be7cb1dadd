"""``serve``'s child ``meetbridge work`` (see ``meetbridge.work``): started with
the service, started again if it ends by itself, stopped with the service."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from starlette.routing import BaseRoute

from adapters.http.readiness import CheckResult, failed, passed
from adapters.metrics.work_process import MULTIPROCESS_VARIABLE

log = logging.getLogger(__name__)

CHILD_FLAG = "--child"
READY_FLAG = "--ready-fd"  # the child writes a line to this descriptor once it works
# Pokes not yet read by the child past which no more are written.
POKES_PENDING = 64
# How long serve's start waits for its work process to be working; past that
# it serves anyway (accepted commands wait in the database meanwhile).
READY_WITHIN = 60.0
# A child that ended by itself is started again after this long, doubled each
# time it ends within RESTART_RESET seconds of its start, up to RESTART_MOST.
RESTART_FIRST = 0.5
RESTART_MOST = 30.0
RESTART_RESET = 60.0


class WorkChild:
    """``serve``'s part that keeps one ``meetbridge work`` running beside it:
    started with the service, started again if it ends by itself, stopped
    (SIGTERM, then SIGKILL once the budget is spent) with the service."""

    name = "work-process"
    routes: Sequence[BaseRoute] = ()

    def __init__(
        self, argv: Sequence[str] | None = None, *, metrics_directory: Path | None = None
    ) -> None:
        """``metrics_directory``: where the child keeps its counts, for
        ``serve``'s ``/metrics`` (None: the child counts nothing)."""
        self._argv = list(argv or (sys.executable, "-m", "meetbridge", "work", CHILD_FLAG))
        self.metrics_directory = metrics_directory
        self._ready: asyncio.StreamReader | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._keeper: asyncio.Task[None] | None = None
        self._stopping = False
        self._working = False  # the running child said it works
        self._ended = 0  # times a child ended by itself
        self._last_exit: int | None = None
        self._waiting: asyncio.Task[None] | None = None  # for the ready line

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def poke(self) -> None:
        """A command was accepted: the child looks at once (one byte on its
        stdin; dropped while it is being restarted, when it looks anyway)."""
        process = self._process
        if process is None or process.stdin is None or process.returncode is not None:
            return
        if process.stdin.transport.get_write_buffer_size() > POKES_PENDING:
            return  # it has not read the last ones yet: one more says nothing new
        with contextlib.suppress(ConnectionError, RuntimeError):
            process.stdin.write(b"\n")

    async def start(self) -> None:
        """Start it and wait until it works (at most ``READY_WITHIN``): once
        ``serve`` answers, the commands it acknowledges are being worked on."""
        ready = await self._spawn()
        try:
            line = await asyncio.wait_for(ready.readline(), READY_WITHIN)
        except TimeoutError:
            line = b""
        if not line:
            log.warning("the work process is not working yet; serving all the same")
            self._watch_ready(ready)
        self._working = bool(line)
        self._keeper = asyncio.get_running_loop().create_task(self._keep())

    async def check(self) -> CheckResult:
        """For ``/readyz``: a ``serve`` whose work process is not working
        acknowledges commands that nobody here answers."""
        pid = self.pid
        if self._working and pid is not None:
            return passed(f"working (pid {pid})")
        if self._ended:
            return failed(
                f"not working: it ended {self._ended} time(s), last with exit"
                f" {self._last_exit}; starting it again"
            )
        return failed("starting, not working yet")

    def _watch_ready(self, ready: asyncio.StreamReader) -> None:
        """The child's ready line, whenever it comes (after a restart)."""
        process = self._process
        assert process is not None

        async def wait() -> None:
            line = await ready.readline()
            # Said by the child still running: one that said it and died at
            # once (its end not yet seen by _keep) is not working.
            if line and process is self._process and process.returncode is None:
                self._working = True
                log.info("the work process is working (pid %d)", process.pid)

        task = asyncio.get_running_loop().create_task(wait())
        self._waiting = task  # kept until done: the loop holds tasks weakly

    async def _spawn(self) -> asyncio.StreamReader:
        loop = asyncio.get_running_loop()
        read_end, write_end = os.pipe()
        try:
            # stdout and stderr are the service's: one log for both processes.
            self._process = await asyncio.create_subprocess_exec(
                *self._argv,
                READY_FLAG,
                str(write_end),
                stdin=asyncio.subprocess.PIPE,
                pass_fds=(write_end,),
                env=self._environment(),
            )
        finally:
            os.close(write_end)
        log.info("started the work process (pid %d)", self._process.pid)
        ready = asyncio.StreamReader()
        await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(ready), os.fdopen(read_end, "rb")
        )
        return ready

    def _environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        if self.metrics_directory is not None:
            environment[MULTIPROCESS_VARIABLE] = str(self.metrics_directory)
        return environment

    async def _keep(self) -> None:
        delay = RESTART_FIRST
        loop = asyncio.get_running_loop()
        while not self._stopping:
            assert self._process is not None
            began = loop.time()
            code = await self._process.wait()
            self._working = False
            if self._stopping:
                return
            self._ended += 1
            self._last_exit = code
            log.warning("the work process ended (exit %s); starting another", code)
            delay = RESTART_FIRST if loop.time() - began > RESTART_RESET else delay
            await asyncio.sleep(delay)
            delay = min(RESTART_MOST, delay * 2)
            if not self._stopping:
                self._watch_ready(await self._spawn())

    async def stop(self) -> None:
        self._stopping = True
        for task in (self._keeper, self._waiting):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        process = self._process
        if process is None or process.returncode is not None:
            return
        try:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            code = await process.wait()
            log.info("the work process stopped (exit %s)", code)
        finally:
            if process.returncode is None:  # the budget ran out first
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await asyncio.shield(process.wait())

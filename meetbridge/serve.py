"""``meetbridge serve``: one ASGI server for every messenger and the dispatcher."""

from __future__ import annotations

import functools
import gc
import logging
import secrets
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

import uvicorn

from adapters.edge import ServedMessenger, Wiring
from adapters.http import Component, build_web_app
from adapters.http.calendar_feed import CalendarFeedComponent
from adapters.http.open_link import OpenLinkComponent, open_links_from
from adapters.http.readiness import Check, ReadinessComponent, Started
from adapters.http.shutdown import ShutdownBudget
from adapters.metrics import MetricsComponent, PrometheusMetrics, metrics_token
from adapters.metrics.work_process import work_process_directory
from bot.calendars.files import CalendarFiles
from bot.link_pages import LinkPages
from meetbridge.compose import App, build_app
from meetbridge.config import Config
from meetbridge.doctor_public import check_link_secret
from meetbridge.failures import StartupError
from meetbridge.logs import route_uvicorn_to_root
from meetbridge.readiness import DatabaseCheck, readiness_for
from meetbridge.reminders import ReminderComponent
from meetbridge.signals import StopSignals, run_until_stopped
from meetbridge.validation import refuse_invalid, refuse_unsafe, start_warnings
from meetbridge.version import build
from meetbridge.work_child import WorkChild
from storage.command_queue import SqlCommandQueue
from storage.send_windows import SqlSendWindows

log = logging.getLogger(__name__)

# How often the dependency checks run when nothing probes /readyz, so their
# metrics stay current.
READINESS_REFRESH_SECONDS = 15.0


class GracefulServer(uvicorn.Server):
    """uvicorn re-raises SIGTERM/SIGINT after its graceful shutdown, which would
    kill the process before the bridge closes its database and releases its
    work. Here the bridge's own handlers (``StopSignals``, installed for the
    whole run, start-up included) ask the server to stop; the bridge then shuts
    down in order and exits 0. The first signal starts the shutdown budget."""

    def __init__(self, config: uvicorn.Config, budget: ShutdownBudget) -> None:
        super().__init__(config)
        self._budget = budget

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._budget.begin()
        if not self.should_exit:
            log.info("stopping: no new connections; finishing the work in flight")
        super().handle_exit(sig, frame)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        freeze_startup_heap()

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # StopSignals has them already


def freeze_startup_heap() -> None:
    """Move everything start-up made (modules, the app, its clients) out of
    the garbage collector's sight. Otherwise each full collection walks those
    hundreds of thousands of objects again, pausing the event loop for over
    100 ms (measured under load): longer than every other acknowledgement."""
    gc.collect()
    gc.freeze()


def components_for(app: App, budget: ShutdownBudget | None = None) -> list[Component]:
    """The parts this configuration turns on, in start order. Once ``budget``
    has begun (the first stop signal), ``/readyz`` answers 503."""
    components: list[Component] = []
    # The commands the messengers accept are worked on in a child process,
    # which counts them where /metrics adds them up.
    child = None
    metrics = app.deps.metrics if isinstance(app.deps.metrics, PrometheusMetrics) else None
    if app.settings.work_process and any(e.worker for e in app.config.messengers()):
        child = WorkChild(metrics_directory=work_process_directory() if metrics else None)
    if metrics is not None:
        directory = child.metrics_directory if child else None
        components.append(MetricsComponent(metrics, directory, token=metrics_token(app.settings)))
    links = open_links_from(app.settings)
    if links is not None:
        components.append(OpenLinkComponent(links, LinkPages(app.deps), app.deps.clock))
    if app.feeds is not None:
        components.append(CalendarFeedComponent(app.feeds, CalendarFiles(app.deps)))
    wiring = wiring_for(app, accepted=child.poke if child is not None else None)
    # The queues of the messengers whose commands a work process takes up:
    # /readyz reports whether one does.
    queues = {
        edge.name: wiring.command_queue(edge.name)
        for edge in app.config.messengers()
        if edge.worker is not None and wiring.command_queue is not None
    }
    messengers: dict[str, ServedMessenger] = {}
    for edge in app.config.messengers():
        if edge.component is not None:
            messengers[edge.name] = edge.component(app.config.of(edge), wiring)
    components.extend(messengers.values())
    if child is not None:
        components.append(child)
    database = DatabaseCheck(app.settings.database_url)

    def stopping() -> bool:
        return budget is not None and budget.began

    observe = metrics.dependency_checked if metrics is not None else None
    # It sends through the messengers the components above register; the
    # reminders and live cards of the messengers that work in the child are
    # the child's, so their polls and sends stay off the acknowledgements' loop.
    worked_apart = frozenset(
        e.name for e in app.config.messengers() if child is not None and e.worker is not None
    )
    served_here = {e.name for e in app.config.messengers()} - worked_apart
    components.append(
        ReminderComponent(
            app.settings,
            app.deps,
            app.messengers,
            left_to_others=worked_apart,
            dispatches=child is None or bool(served_here),
        )
    )
    # Last: its "started" check passes once every component above has started.
    started = Started()
    readiness = readiness_for(
        app,
        database,
        Check("started", started),
        messengers=messengers,
        work=Check(child.name, child.check) if child is not None else None,
        queues=queues,
        stopping=stopping,
        observe=observe,
    )
    ready = ReadinessComponent(
        readiness,
        close=database.close,
        started=started,
        refresh_seconds=READINESS_REFRESH_SECONDS,
    )
    components.append(ready)
    return components


def wiring_for(app: App, *, accepted: Callable[[], None] | None = None) -> Wiring:
    """What the messengers' parts are built from, in ``serve`` and ``work``
    alike: the command service as every edge has wrapped it, and the tables
    shared with the other processes. ``accepted``: called for each command
    accepted into the database (``serve`` wakes its work process)."""
    service = app.service
    for edge in app.config.messengers():
        if edge.wrap_service is not None:
            service = edge.wrap_service(app.config.of(edge), service, app.messengers, app.deps)
    send_windows = None
    if app.engine.dialect.name == "postgresql":  # SQLite serves one process: its own limits
        send_windows = functools.partial(SqlSendWindows, app.engine)
    return Wiring(
        app.config,
        service,
        app.deps,
        app.messengers,
        open_links_from(app.settings),
        app.engine,
        send_windows,
        command_queue=functools.partial(SqlCommandQueue, app.engine, accepted=accepted),
    )


async def serve(config: Config, *, host: str, port: int) -> None:
    """Run until a stop signal. A signal during start-up cancels the start
    (within SHUTDOWN_TIMEOUT_SECONDS like any stop); a start-up failure is a
    ``ConfigError`` or ``StartupError`` whose message is the one line to show."""
    # What doctor checks too; a messenger that would serve everyone (deny by
    # default) stops it here, before anything starts.
    refuse_invalid(config)
    await refuse_unsafe(config)
    await run_until_stopped(
        config.core.shutdown_timeout_seconds,
        functools.partial(_serve, config, host=host, port=port),
    )


def warn_of_settings(config: Config, *, host: str) -> None:
    """What serve runs with all the same, in doctor's words: said once it
    has started (a start that fails says that one thing alone). ``host``:
    where it listens."""
    for finding in check_link_secret(config.core):
        if not finding.ok:  # the links under PUBLIC_URL are off, or weakly signed
            log.warning("%s: %s", finding.name, finding.detail)
    for warning in start_warnings(config, host=host):
        log.warning("settings: %s", warning)


async def _serve(
    config: Config, budget: ShutdownBudget, signals: StopSignals, *, host: str, port: int
) -> None:
    settings = config.core
    metrics = PrometheusMetrics(build=build())
    instance = secrets.token_hex(6)  # tells this process apart in /healthz
    async with build_app(config, metrics=metrics) as app:
        web = build_web_app(
            components_for(app, budget),
            metrics=metrics,
            shutdown=budget,
            max_request_bytes=settings.max_request_bytes,
            instance=instance,
        )
        server_config = uvicorn.Config(
            web,
            host=host,
            port=port,
            log_config=None,  # the root handler (format, redaction, request id) serves uvicorn too
            access_log=False,  # request lines can carry ids people consider private
            lifespan="on",
            # Requests still open after half the budget are cut, leaving the
            # rest for the components (commands and sends in flight, leases).
            timeout_graceful_shutdown=max(1, round(settings.shutdown_timeout_seconds / 2)),
        )
        route_uvicorn_to_root()
        warn_of_settings(config, host=host)
        server = GracefulServer(server_config, budget)
        signals.serving(lambda sig: server.handle_exit(sig, None))
        log.info(
            "%s serving on http://%s:%d (instance %s)",
            build(),
            host,
            port,
            instance,
            extra={
                "event": "serving",
                "version": build().version,
                "commit": build().commit,
                "instance": instance,
            },
        )
        try:
            await server.serve()
        except SystemExit as exc:  # uvicorn's way of saying the lifespan start failed
            raise StartupError(
                f"the service could not start (exit {exc.code}): see the lines above"
            ) from None
        if not server.started and not signals.stopping:
            raise StartupError(f"cannot listen on {host}:{port}: see the lines above")

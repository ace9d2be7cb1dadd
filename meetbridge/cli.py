"""The ``meetbridge`` command: demo, console, serve, work, db upgrade, doctor."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from adapters.console.chat import ConsoleChat
from adapters.console.messenger import ConsoleMessenger
from adapters.console.texts import chat_lang
from adapters.edge import Wiring
from bot.clock import SystemClock
from bot.errors import ConfigError
from bot.live.book import card_posted
from bot.reply import Reply
from bot.settings import Settings, redact_url
from meetbridge import admin
from meetbridge.compose import build_app, migrate_alone
from meetbridge.config import Config, load_config
from meetbridge.database_state import Stage, database_state
from meetbridge.doctor import run_doctor, unreadable_settings
from meetbridge.edges import EDGES
from meetbridge.failures import StartupError, database_problem
from meetbridge.logs import configured_logging
from meetbridge.reminders import ReminderComponent
from meetbridge.serve import serve
from meetbridge.version import build
from meetbridge.work import work
from meetbridge.work_child import CHILD_FLAG, READY_FLAG
from storage.admin import MEETING_STATES

DEMO_DATABASE_FILE = Path("var/demo.db")
DEMO_DATABASE = f"sqlite+aiosqlite:///./{DEMO_DATABASE_FILE}"


def demo_config(backend: str | None = None) -> Config:
    """The embedded default: console, sandbox, SQLite. The sandbox keeps its
    conferences in memory, so the demo's database starts fresh with it.
    ``backend`` adds that server's sandbox too and makes it the default."""
    base = load_config()
    for stale in (DEMO_DATABASE_FILE, *DEMO_DATABASE_FILE.parent.glob("demo.db-*")):
        stale.unlink(missing_ok=True)
    first = EDGES.backends[0]
    chosen = EDGES.backend(backend or first.name) or first
    overrides: dict[str, object] = {
        **first.demo(base.of(first)),
        **chosen.demo(base.of(chosen)),
        "default_backend": None if chosen is first else chosen.name,
        "database_url": DEMO_DATABASE,
        # The person at the demo's keyboard runs it: the console is its admin.
        "bridge_admins": ",".join(filter(None, (base.core.bridge_admins, "console"))),
        # Cards change within seconds of a /join: polls and the ledger's
        # sweep run often here, unless the environment says otherwise.
        **{
            name: value
            for name, value, env in (
                ("live_poll_seconds", 5, "LIVE_POLL_SECONDS"),
                ("reminder_sweep_seconds", 2.0, "REMINDER_SWEEP_SECONDS"),
            )
            if env not in os.environ
        },
    }
    return load_config(values=overrides)


async def run_console(
    config: Config, *, user: str, banner: str, messenger: str | None = None
) -> None:
    async with build_app(config) as app:
        interactive = sys.stdin.isatty()
        edge = next((e for e in EDGES.messengers if e.name == messenger and e.demo), None)
        if edge is not None and edge.demo is not None:
            # That messenger's chat against its sandbox, shown in the console.
            wiring = Wiring(config, app.service, app.deps, app.messengers, None, app.engine)
            reminders = ReminderComponent(config.core, app.deps, app.messengers)
            await reminders.start()
            try:
                await edge.demo(
                    config.of(edge),
                    wiring,
                    user=user,
                    read_line=sys.stdin.readline,
                    out=sys.stdout,
                    interactive=interactive,
                )
            finally:
                await reminders.stop()
            return
        if interactive:
            print(banner)
        uow = app.deps.uow

        async def printed(reply: Reply, message_id: str) -> None:
            await card_posted(uow, reply, message_id)

        hooks = {
            line: hook
            for edge in EDGES.backends
            if (built := app.backends.built.get(edge.name)) is not None
            for line, hook in edge.console_hooks(built, uow).items()
        }
        lang_of = chat_lang(uow, config.core.default_language)
        chat = ConsoleChat(
            app.service,
            lang_of=lang_of,
            user=user,
            out=sys.stdout,
            read_line=sys.stdin.readline,
            prompt=interactive,
            hooks=hooks,
            printed=printed,
        )
        # Reminders print into the same console when they come due.
        app.messengers.register(ConsoleMessenger(sys.stdout, lang_of))
        reminders = ReminderComponent(config.core, app.deps, app.messengers)
        await reminders.start()
        try:
            await chat.run()
        finally:
            await reminders.stop()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meetbridge",
        description="Schedule TrueConf meetings from chat. Try it with `meetbridge demo`; "
        "`meetbridge doctor` checks a deployment's settings and servers; "
        "`meetbridge serve` runs the service.",
    )
    parser.add_argument("--version", action="version", version=str(build()))
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="console chat against the built-in sandbox and SQLite")
    demo.add_argument("--user", default="you", help="who you are in the chat")
    backends = [edge.name for edge in EDGES.backends if edge.demo_banner]
    demo.add_argument(
        "--backend",
        choices=backends,
        default=backends[0],
        help=f"the sandbox new meetings go to ({backends[0]}'s runs beside any other)",
    )
    chats = ["console", *(edge.name for edge in EDGES.messengers if edge.demo)]
    demo.add_argument(
        "--messenger",
        choices=chats,
        default="console",
        help="the chat to show: the console's own, or a messenger against its sandbox",
    )
    console = sub.add_parser("console", help="console chat against the configured server")
    console.add_argument("--user", default="you")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply the database migrations")
    with_json(db_sub.add_parser("current", help="the revision the database is at"))
    with_json(db_sub.add_parser("history", help="every migration, and which are applied"))
    audit = sub.add_parser("audit", help="the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    tail = with_json(audit_sub.add_parser("tail", help="the newest entries"))
    tail.add_argument("-n", "--lines", type=int, default=20, help="how many (default 20)")
    tail.add_argument("--follow", action="store_true", help="keep printing new entries")
    reminders = sub.add_parser("reminders", help="the reminder ledger")
    reminders_sub = reminders.add_subparsers(dest="reminders_command", required=True)
    with_json(reminders_sub.add_parser("pending", help="reminders still to send"))
    with_json(reminders_sub.add_parser("failed", help="reminders given up on, with the error"))
    retry = reminders_sub.add_parser("retry", help="send a failed reminder again")
    retry.add_argument("id", type=int, help="the reminder's id (from `reminders failed`)")
    meetings = sub.add_parser("meetings", help="the meetings the bridge made")
    meetings_sub = meetings.add_subparsers(dest="meetings_command", required=True)
    listing = with_json(meetings_sub.add_parser("list", help="every meeting, by id"))
    listing.add_argument(
        "--status",
        choices=MEETING_STATES,
        help="only those in this state now, as the chats show it",
    )
    show = with_json(meetings_sub.add_parser("show", help="one meeting, every field"))
    show.add_argument(
        "id", help="its number (3, or #3 as the bot's replies write it) or its conference id"
    )
    export = meetings_sub.add_parser("export", help="every meeting as CSV or JSON")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    links = sub.add_parser("links", help="people linked to TrueConf accounts")
    links_sub = links.add_subparsers(dest="links_command", required=True)
    links_list = with_json(links_sub.add_parser("list", help="links and link requests"))
    links_list.add_argument("--pending", action="store_true", help="only requests")
    for action, words in (("approve", "approve a link request"), ("remove", "remove a link")):
        change = links_sub.add_parser(action, help=words)
        change.add_argument(
            "person",
            help="as `links list` shows it: telegram:<bot id>:<user id> or slack:<team>:<user>",
        )
    doctor = sub.add_parser(
        "doctor",
        help="check settings, database, servers, messengers and PUBLIC_URL; exit 1 on a failure",
    )
    doctor.add_argument("--json", action="store_true", help="one JSON document, for scripts")
    serve = sub.add_parser("serve", help="run the HTTP service (webhooks, reminders, health)")
    serve.add_argument("--host", default=None, help="address to listen on (default: HOST)")
    serve.add_argument("--port", type=int, default=None, help="port (default: PORT)")
    for edge in EDGES.messengers:
        for option, (words, _field) in edge.serve_flags.items():
            serve.add_argument(option, action="store_true", help=words)
    add_work_parser(sub)
    return parser


def add_work_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    work_parser = sub.add_parser(
        "work",
        help="work on the commands serve acknowledged (serve starts one unless WORK_PROCESS=false)",
    )
    work_parser.add_argument(CHILD_FLAG, action="store_true", help=argparse.SUPPRESS)
    work_parser.add_argument(READY_FLAG, type=int, default=None, help=argparse.SUPPRESS)
    work_parser.add_argument(
        "--metrics-port",
        type=_port,
        default=None,
        help="serve /metrics on this port (WORK_METRICS_HOST, loopback by default); "
        "overrides WORK_METRICS_PORT",
    )


_MOST_PORT = 65535


def _port(text: str) -> int:
    """A TCP port to listen on, as WORK_METRICS_PORT takes it: 0 would fall
    back to the setting without a word, the rest fail at the bind."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port: {text!r}") from None
    if not 1 <= port <= _MOST_PORT:
        raise argparse.ArgumentTypeError(f"a port is 1 to {_MOST_PORT}, not {port}")
    return port


def with_json(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--json", action="store_true", help="JSON instead of a table")
    return parser


def config_for(args: argparse.Namespace) -> Config:
    if args.command == "demo":
        return demo_config(args.backend)
    # doctor checks the rest with a wrong setting's default, and names it.
    config = load_config(lenient=args.command == "doctor")
    if args.command == "serve":
        # Each messenger's switches, such as --telegram-polling.
        for edge in config.edges.messengers:
            for option, (_words, field) in edge.serve_flags.items():
                if getattr(args, option.lstrip("-").replace("-", "_")):
                    variable = edge.settings.env_name(field).lower()
                    config = config.with_values(**{variable: True})
    return config


# The exit code of a command whose reader went away (128 + SIGPIPE), as a
# command the signal stops reports it.
EXIT_BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = run_main(argv)
        sys.stdout.flush()  # what is still buffered fails here, not at exit
    except BrokenPipeError:
        # The reader of stdout went away (`meetbridge doctor --json | head -c 10`):
        # stop quietly, as commands do, and point stdout at /dev/null so the
        # interpreter's last flush has nowhere to fail (the Python docs' recipe).
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # no file behind stdout (a test's capture)
            pass
        finally:
            os.close(devnull)
        return EXIT_BROKEN_PIPE
    return code


def run_main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = config_for(args)
    except ConfigError as exc:
        print(f"meetbridge: {exc}", file=sys.stderr)
        if args.command == "doctor" and args.json:  # scripts read JSON on stdout
            print(unreadable_settings(str(exc)))
        return 2
    # The console chats on stdout, and doctor writes one line per check there:
    # only problems go to the log (not a line per backend call among the checks).
    quiet = args.command in ("demo", "console", "doctor")
    with configured_logging(config, level="WARNING" if quiet else None):
        return run_command(args, config)


def run_command(args: argparse.Namespace, config: Config) -> int:  # noqa: C901 (one branch per subcommand)
    settings = config.core
    try:
        if args.command == "demo":
            banner = (EDGES.backend(args.backend) or EDGES.backends[0]).demo_banner
            asyncio.run(
                run_console(config, user=args.user, banner=banner, messenger=args.messenger)
            )
        elif args.command == "console":
            asyncio.run(run_console(config, user=args.user, banner="meetbridge console"))
        elif args.command in ("audit", "reminders", "meetings", "links") or (
            args.command == "db" and args.db_command != "upgrade"
        ):
            try:
                return asyncio.run(run_admin_when_ready(args, settings))
            except (ConfigError, KeyboardInterrupt, BrokenPipeError):
                raise
            except Exception as exc:  # a driver error: one line, no traceback
                where = redact_url(settings.database_url)
                problem = database_problem(exc, settings.database_url)
                print(f"meetbridge: cannot read {where}: {problem}", file=sys.stderr)
                return 1
        elif args.command == "db":
            try:
                upgraded = asyncio.run(migrate_alone(config))
            except ConfigError:  # a wrong setting: said as every command says it
                raise
            except Exception as exc:  # a driver error is a finding: one line, no traceback
                where = redact_url(settings.database_url)
                problem = database_problem(exc, settings.database_url)
                print(f"meetbridge: cannot upgrade {where}: {problem}", file=sys.stderr)
                return 1
            print(upgraded.sentence(redact_url(settings.database_url)))
        elif args.command == "serve":
            asyncio.run(
                serve(
                    config,
                    host=args.host or settings.host,
                    port=args.port if args.port is not None else settings.port,
                )
            )
        elif args.command == "work":
            asyncio.run(
                work(
                    config, child=args.child, ready_fd=args.ready_fd, metrics_port=args.metrics_port
                )
            )
        elif args.command == "doctor":
            if config.unread:  # said as every command says it, before the checks
                lines = "\n".join(f"  {unread.problem}" for unread in config.unread)
                print(f"meetbridge: settings are not valid:\n{lines}", file=sys.stderr)
            ok = asyncio.run(run_doctor(config, SystemClock(), print, as_json=args.json))
            # 2, as for any command whose settings cannot be read; the checks ran all the same.
            return 2 if config.unread else 0 if ok else 1
    except ConfigError as exc:
        print(f"meetbridge: {exc}", file=sys.stderr)
        return 2
    except StartupError as exc:
        print(f"meetbridge: cannot start: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


async def run_admin_when_ready(args: argparse.Namespace, settings: Settings) -> int:
    """The admin commands read the bridge's tables: say so when they are not
    there (``db current`` and ``db history`` report on any database that
    exists, and create no SQLite file either)."""
    state = await database_state(settings.database_url)
    missing = state.stage in (Stage.NO_DIRECTORY, Stage.NO_FILE)
    if missing or (args.command != "db" and not state.usable):
        print(f"meetbridge: {state.sentence()}{_ADMIN_FIX[state.stage]}", file=sys.stderr)
        return 1
    return await run_admin(args, settings)


_ADMIN_FIX = {
    Stage.NO_DIRECTORY: ": check DATABASE_URL",
    Stage.NO_FILE: ": check DATABASE_URL, or run `meetbridge db upgrade` to create it",
    Stage.UNMIGRATED: ": run `meetbridge db upgrade`",
    Stage.BEHIND: ": run `meetbridge db upgrade`",
    Stage.NEWER: "",
    Stage.CURRENT: "",
}


async def run_admin(args: argparse.Namespace, settings: Settings) -> int:
    as_json = getattr(args, "json", False)
    if args.command == "db":
        if args.db_command == "current":
            return await admin.db_current(settings, print, as_json)
        return await admin.db_history(settings, print, as_json)
    if args.command == "audit":
        return await admin.audit(settings, print, as_json, limit=args.lines, follow=args.follow)
    if args.command == "meetings":
        if args.meetings_command == "list":
            return await admin.meetings_list(settings, print, as_json, args.status)
        if args.meetings_command == "show":
            return await admin.meetings_show(settings, print, as_json, args.id)
        return await admin.meetings_export(settings, print, args.format)
    if args.command == "links":
        if args.links_command == "list":
            return await admin.links_list(settings, print, as_json, args.pending)
        return await admin.links_change(settings, print, args.links_command, args.person)
    if args.reminders_command == "retry":
        return await admin.retry(settings, print, args.id)
    return await admin.reminders(settings, print, as_json, which=args.reminders_command)


if __name__ == "__main__":
    raise SystemExit(main())

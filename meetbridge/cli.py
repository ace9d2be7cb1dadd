"""The ``meetbridge`` command: demo, console, serve, db upgrade, doctor."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from adapters.console.chat import ConsoleChat
from adapters.console.messenger import ConsoleMessenger
from bot.clock import SystemClock
from bot.errors import ConfigError
from bot.settings import SANDBOX, Settings, redact_url
from meetbridge import admin
from meetbridge.compose import build_app
from meetbridge.database_state import Stage, database_state
from meetbridge.doctor import run_doctor
from meetbridge.failures import StartupError, database_problem
from meetbridge.logs import configured_logging
from meetbridge.reminders import ReminderComponent
from meetbridge.serve import serve
from meetbridge.version import build
from storage import upgrade

DEMO_DATABASE_FILE = Path("var/demo.db")
DEMO_DATABASE = f"sqlite+aiosqlite:///./{DEMO_DATABASE_FILE}"
DEMO_OWNER = "admin"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and .env; a clear line per wrong setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = [
            f"  {str(err['loc'][0]).upper()}: {err['msg']}" for err in exc.errors(include_url=False)
        ]
        raise ConfigError("settings are not valid:\n" + "\n".join(lines)) from None


def demo_settings(backend: str = "trueconf") -> Settings:
    """The embedded default: console, sandbox, SQLite. The sandbox keeps its
    conferences in memory, so the demo's database starts fresh with it.
    ``callaba`` adds the Callaba sandbox and makes it the default server."""
    base = load_settings()
    for stale in (DEMO_DATABASE_FILE, *DEMO_DATABASE_FILE.parent.glob("demo.db-*")):
        stale.unlink(missing_ok=True)
    callaba = backend == "callaba"
    return load_settings(
        trueconf_server_url=SANDBOX,
        callaba_url=SANDBOX if callaba else None,
        default_backend=backend if callaba else None,
        database_url=DEMO_DATABASE,
        trueconf_owner=base.trueconf_owner or DEMO_OWNER,
        # The person at the demo's keyboard runs it: the console is its admin.
        bridge_admins=",".join(filter(None, (base.bridge_admins, "console"))),
    )


async def run_console(settings: Settings, *, user: str, banner: str) -> None:
    async with build_app(settings) as app:
        interactive = sys.stdin.isatty()
        if interactive:
            print(banner)
        chat = ConsoleChat(
            app.service,
            user=user,
            out=sys.stdout,
            read_line=sys.stdin.readline,
            prompt=interactive,
        )
        # Reminders print into the same console when they come due.
        app.messengers.register(ConsoleMessenger(sys.stdout))
        reminders = ReminderComponent(settings, app.deps, app.messengers)
        await reminders.start()
        try:
            await chat.run()
        finally:
            await reminders.stop()


DEMO_BANNER = """meetbridge demo: a console chat against the built-in TrueConf sandbox
(data in ./var/demo.db, fresh on each start like the sandbox). Try:
  /meet weekly mon,wed 10:00 for 30m Standup @alice @bob
  /meet tomorrow 15:00 for 1h Design review @carol
  /meet in 2m Quick test, then /meet remind 1 1m  (a reminder prints in a minute)
  /meet list      /meet help      /as alice (speak as someone else)     /quit
"""


CALLABA_DEMO_BANNER = """meetbridge demo: a console chat against the built-in Callaba sandbox
(and TrueConf's, for /meet backend trueconf). Callaba rooms carry a speaker and a
view-only link; the bridge opens scheduled rooms shortly before they start. Try:
  /meet tomorrow 15:00 for 1h Design review @carol
  /meet weekly mon,wed 10:00 for 30m Standup @alice @bob
  /meet list      /meet backend      /meet help      /quit
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="meetbridge", description=__doc__)
    parser.add_argument("--version", action="version", version=str(build()))
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="console chat against the built-in sandbox and SQLite")
    demo.add_argument("--user", default="you", help="who you are in the chat")
    demo.add_argument(
        "--backend",
        choices=("trueconf", "callaba"),
        default="trueconf",
        help="the sandbox new meetings go to (callaba runs both sandboxes)",
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
    listing.add_argument("--status", help="only those with this status (e.g. active)")
    show = with_json(meetings_sub.add_parser("show", help="one meeting, every field"))
    show.add_argument("id", type=int)
    export = meetings_sub.add_parser("export", help="every meeting as CSV or JSON")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    links = sub.add_parser("links", help="people linked to TrueConf accounts")
    links_sub = links.add_subparsers(dest="links_command", required=True)
    links_list = with_json(links_sub.add_parser("list", help="links and link requests"))
    links_list.add_argument("--pending", action="store_true", help="only requests")
    for action, words in (("approve", "approve a link request"), ("remove", "remove a link")):
        change = links_sub.add_parser(action, help=words)
        change.add_argument("person", help="telegram:<user id> or slack:<team>:<user>")
    doctor = sub.add_parser(
        "doctor",
        help="check settings, database, servers, messengers and PUBLIC_URL; exit 1 on a failure",
    )
    doctor.add_argument("--json", action="store_true", help="one JSON document, for scripts")
    serve = sub.add_parser("serve", help="run the HTTP service (webhooks, reminders, health)")
    serve.add_argument("--host", default=None, help="address to listen on (default: HOST)")
    serve.add_argument("--port", type=int, default=None, help="port (default: PORT)")
    serve.add_argument(
        "--telegram-polling",
        action="store_true",
        help="fetch Telegram updates by long polling instead of the webhook",
    )
    return parser


def with_json(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--json", action="store_true", help="JSON instead of a table")
    return parser


def settings_for(args: argparse.Namespace) -> Settings:
    if args.command == "demo":
        return demo_settings(args.backend)
    settings = load_settings()
    if args.command == "serve" and args.telegram_polling:
        settings = settings.model_copy(update={"telegram_polling": True})
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_for(args)
    except ConfigError as exc:
        print(f"meetbridge: {exc}", file=sys.stderr)
        return 2
    # The console chats on stdout: only problems go to the log there.
    chat = args.command in ("demo", "console")
    with configured_logging(settings, level="WARNING" if chat else None):
        return run_command(args, settings)


def run_command(args: argparse.Namespace, settings: Settings) -> int:  # noqa: C901 (one branch per subcommand)
    try:
        if args.command == "demo":
            banner = DEMO_BANNER if args.backend == "trueconf" else CALLABA_DEMO_BANNER
            asyncio.run(run_console(settings, user=args.user, banner=banner))
        elif args.command == "console":
            asyncio.run(run_console(settings, user=args.user, banner="meetbridge console"))
        elif args.command in ("audit", "reminders", "meetings", "links") or (
            args.command == "db" and args.db_command != "upgrade"
        ):
            try:
                return asyncio.run(run_admin_when_ready(args, settings))
            except (ConfigError, KeyboardInterrupt):
                raise
            except Exception as exc:  # a driver error: one line, no traceback
                where = redact_url(settings.database_url)
                problem = database_problem(exc, settings.database_url)
                print(f"meetbridge: cannot read {where}: {problem}", file=sys.stderr)
                return 1
        elif args.command == "db":
            try:
                asyncio.run(upgrade(settings.database_url))
            except Exception as exc:  # a driver error is a finding: one line, no traceback
                where = redact_url(settings.database_url)
                problem = database_problem(exc, settings.database_url)
                print(f"meetbridge: cannot upgrade {where}: {problem}", file=sys.stderr)
                return 1
            print("database is up to date")
        elif args.command == "serve":
            asyncio.run(
                serve(
                    settings,
                    host=args.host or settings.host,
                    port=args.port if args.port is not None else settings.port,
                )
            )
        elif args.command == "doctor":
            ok = asyncio.run(run_doctor(settings, SystemClock(), print, as_json=args.json))
            return 0 if ok else 1
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

"""``meetbridge doctor``: one clear line per check (settings as ``serve`` validates
them, the database, each conference server, each messenger, PUBLIC_URL and
LINK_SECRET), a fix with each failure; ``--json`` for scripts."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AsyncExitStack

from adapters.telegram.config import allowed_chats
from adapters.trueconf.backend import TrueConfBackend
from bot.clock import Clock
from bot.errors import BridgeError, ConfigError
from bot.settings import Settings
from bot.timerules import offset_minutes
from meetbridge.callaba_setup import build_callaba
from meetbridge.checks import Check
from meetbridge.database_state import Stage, database_state
from meetbridge.doctor_messengers import check_slack, check_telegram
from meetbridge.doctor_public import check_link_secret, check_public_url
from meetbridge.failures import database_problem
from meetbridge.trueconf_setup import build_trueconf
from meetbridge.validation import settings_problems


async def check_database(settings: Settings) -> Check:
    try:
        state = await database_state(settings.database_url)
    except Exception as exc:  # any driver error is a finding, not a crash
        detail = f"cannot use it: {database_problem(exc, settings.database_url)}"
        return Check("database", False, detail)
    if state.stage is Stage.CURRENT:
        return Check("database", True, "reachable and migrated")
    if state.stage is Stage.NEWER:
        return Check("database", False, state.sentence())
    # serve creates the file and migrates on start: nothing to fix yet.
    fix = "`meetbridge serve` or `meetbridge db upgrade` applies the migrations"
    return Check("database", True, f"not migrated yet ({state.sentence()}): {fix}", warning=True)


async def check_time_offsets(settings: Settings, backend: TrueConfBackend, clock: Clock) -> Check:
    """Weekly conferences report the server's ``time_offset``: compare it with
    the offset TRUECONF_SERVER_TIMEZONE gives today."""
    expected = offset_minutes(settings.trueconf_server_timezone, clock.now())
    reported = await backend.server_time_offsets()
    if not reported:
        return Check(
            "server time zone",
            True,
            f"no weekly conference to compare with; assuming {settings.trueconf_server_timezone}",
        )
    wrong = sorted({m for m in reported if m != expected})
    if wrong:
        return Check(
            "server time zone",
            False,
            f"the server reports UTC offset {wrong[0]} min, but TRUECONF_SERVER_TIMEZONE="
            f"{settings.trueconf_server_timezone} means {expected} min now: set it to the "
            "server's zone, or weekly meetings will start at the wrong hour",
        )
    return Check("server time zone", True, f"{settings.trueconf_server_timezone} matches")


async def check_trueconf(settings: Settings, clock: Clock) -> list[Check]:
    async with AsyncExitStack() as stack:
        try:
            backend, endpoint = await build_trueconf(settings, clock, stack)
        except BridgeError as exc:
            return [Check("trueconf settings", False, str(exc))]
        where = "built-in sandbox" if endpoint.is_sandbox else endpoint.url
        try:
            await backend.check_credentials()
        except BridgeError as exc:
            return [Check("trueconf", False, f"{where}: {exc}")]
        checks = [Check("trueconf", True, f"{where}: reachable, credentials accepted")]
        try:
            checks.append(await check_time_offsets(settings, backend, clock))
        except BridgeError as exc:
            checks.append(Check("server time zone", False, f"could not list conferences: {exc}"))
        return checks


async def check_callaba(settings: Settings, clock: Clock) -> list[Check]:
    async with AsyncExitStack() as stack:
        try:
            backend, endpoint = await build_callaba(settings, clock, stack)
        except BridgeError as exc:
            return [Check("callaba settings", False, str(exc))]
        where = "built-in sandbox" if endpoint.is_sandbox else endpoint.url
        try:
            await backend.check_credentials()
        except BridgeError as exc:
            return [Check("callaba", False, f"{where}: {exc}")]
        return [Check("callaba", True, f"{where}: reachable, token accepted")]


def _uses_trueconf(settings: Settings) -> bool:
    """TrueConf is checked when configured, or when nothing else is."""
    return settings.trueconf_server_url is not None or settings.callaba_url is None


def check_settings(settings: Settings) -> list[Check]:
    # Exactly what serve refuses to start with (meetbridge.validation).
    problems = settings_problems(settings)
    checks = [Check("settings", not problems, "valid" if not problems else problems[0])]
    checks.extend(Check("settings", False, problem) for problem in problems[1:])
    if not settings.unlinked_may_create:
        # Only linked people create meetings: nobody needs a stand-in owner.
        detail = "false: only people linked to a TrueConf account create meetings"
        checks.append(Check("UNLINKED_MAY_CREATE", True, detail))
    elif not settings.trueconf_owner and _uses_trueconf(settings):
        # serve runs like this: linked people create meetings, the others are
        # told to link themselves (the bridge's error.no_owner reply).
        detail = (
            "not set: only people linked to a TrueConf account create meetings; the others "
            "are told to link themselves with /meet link or to ask the admin to set "
            "TRUECONF_OWNER (set it, or UNLINKED_MAY_CREATE=false to say so up front)"
        )
        checks.append(Check("TRUECONF_OWNER", True, detail, warning=True))
    checks.extend(check_allowlists(settings))
    return checks


def check_allowlists(settings: Settings) -> list[Check]:
    """Who may use the bridge (Telegram is deny by default), and who holds
    bot-wide powers."""
    admins = len(settings.admins.entries)
    detail = (
        f"{admins} bridge admin(s)"
        if admins
        else "nobody: link requests wait until someone is named here"
    )
    checks = [Check("BRIDGE_ADMINS", True, detail)]
    if settings.telegram_bot_token is None:
        return checks
    try:
        chats = allowed_chats(settings)
    except ConfigError as exc:
        return [*checks, Check("TELEGRAM_ALLOWED_CHATS", False, str(exc))]
    detail = "every chat (*)" if chats is None else f"{len(chats)} chat(s) may use the bot"
    return [*checks, Check("TELEGRAM_ALLOWED_CHATS", True, detail)]


async def run_checks(settings: Settings, clock: Clock) -> list[Check]:
    """Every check, one finding each; a failure's detail says what to do."""
    checks = check_settings(settings)
    checks.extend(check_link_secret(settings))
    checks.append(await check_database(settings))
    if _uses_trueconf(settings):
        checks.extend(await check_trueconf(settings, clock))
    if settings.callaba_url is not None:
        checks.extend(await check_callaba(settings, clock))
    checks.extend(await check_slack(settings))
    checks.extend(await check_telegram(settings))
    checks.extend(await check_public_url(settings))
    return checks


async def run_doctor(
    settings: Settings, clock: Clock, out: Callable[[str], None], *, as_json: bool = False
) -> bool:
    checks = await run_checks(settings, clock)
    ok = all(c.ok for c in checks)
    if as_json:
        out(json.dumps({"ok": ok, "checks": [c.as_json() for c in checks]}, indent=2))
    else:
        for check in checks:
            out(check.line())
    return ok

"""``meetbridge doctor``: one clear line per check (settings as ``serve`` validates
them, the database and its upkeep, each conference server, each messenger, PUBLIC_URL and
LINK_SECRET), a fix with each failure; ``--json`` for scripts. Each edge
brings its own lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AsyncExitStack
from http import HTTPStatus
from typing import Any

from adapters.edge import BackendEdge, BuiltBackend
from adapters.findings import Finding
from bot.clock import Clock
from bot.errors import BackendError, BridgeError, ConfigError, Refusal
from bot.settings import Settings
from meetbridge.config import Config
from meetbridge.database_state import Stage, database_state
from meetbridge.doctor_public import check_link_secret, check_public_scheme, check_public_url
from meetbridge.doctor_upkeep import check_upkeep
from meetbridge.failures import database_unusable
from meetbridge.validation import settings_problems, start_warnings


async def check_database(settings: Settings) -> Finding:
    try:
        state = await database_state(settings.database_url)
    except ConfigError as exc:
        # The URL itself is wrong (the settings line says so too): there is no
        # server to check, so no advice about one.
        return Finding("database", False, f"not checked: {exc}")
    except Exception as exc:  # any driver error is a finding, not a crash
        # The variable, the cause (password scrubbed) and what to check: as serve says it.
        return Finding("database", False, str(database_unusable(exc, settings.database_url)))
    if state.stage is Stage.CURRENT:
        return Finding("database", True, "reachable and migrated")
    if state.stage is Stage.NEWER:
        return Finding("database", False, state.sentence())
    # serve creates the file and migrates on start: nothing to fix yet.
    fix = "`meetbridge serve` or `meetbridge db upgrade` applies the migrations"
    return Finding("database", True, f"not migrated yet ({state.sentence()}): {fix}", warning=True)


def check_settings(config: Config) -> list[Finding]:
    # Exactly what serve refuses to start with (meetbridge.validation).
    # A setting read at its default is said once, as given wrong, not again
    # by the checks of that default ("TRUECONF_SERVER_URL is not set").
    unread = {u.variable for u in config.unread}
    checked = [p for p in settings_problems(config) if p.split(" ", 1)[0] not in unread]
    problems = [u.sentence() for u in config.unread] + checked
    checks = [Finding("settings", not problems, "valid" if not problems else problems[0])]
    checks.extend(Finding("settings", False, problem) for problem in problems[1:])
    core = config.core
    if not core.unlinked_may_create:
        # Only linked people create meetings: nobody needs a stand-in owner.
        detail = "false: only people linked to a TrueConf account create meetings"
        checks.append(Finding("UNLINKED_MAY_CREATE", True, detail))
    for backend in config.backends():
        checks.extend(backend.settings_findings(config.of(backend), config))
    checks.append(check_admins(core))
    for messenger in config.messengers():
        checks.extend(messenger.settings_findings(config.of(messenger), config))
    warned = [line for line in start_warnings(config) if line.split(" ", 1)[0] not in unread]
    checks.extend(Finding("settings", True, line, warning=True) for line in warned)
    return checks


NO_ADMINS = (
    "not set: nobody holds the bridge-wide powers, so link requests wait unanswered and "
    "nobody may link or unlink someone else (only a Slack workspace admin, in that "
    "workspace); name at least one: BRIDGE_ADMINS=telegram:<user id>,slack:<team id>:"
    "<user id> (or approve requests with `meetbridge links approve`)"
)


def check_admins(settings: Settings) -> Finding:
    """Who holds bot-wide powers: a warning when nobody does."""
    admins = len(settings.admins.entries)
    if not admins:
        return Finding("BRIDGE_ADMINS", True, NO_ADMINS, warning=True)
    return Finding("BRIDGE_ADMINS", True, f"{admins} bridge admin(s)")


async def check_backend(edge: BackendEdge[Any], settings: Any, clock: Clock) -> list[Finding]:
    """The server answers and takes the credentials, and what else its edge asks."""
    async with AsyncExitStack() as stack:
        try:
            built = await edge.build(settings, clock, stack, None)
        except BridgeError as exc:
            return [Finding(f"{edge.name} settings", False, str(exc))]
        try:
            await built.check_credentials()
        except BridgeError as exc:
            return [Finding(edge.name, False, f"{built.where}: {exc}{_what_to_check(exc, built)}")]
        checks = [Finding(edge.name, True, f"{built.where}: reachable, {built.accepted}")]
        return [*checks, *await edge.doctor(settings, clock, built)]


def _what_to_check(exc: BridgeError, built: BuiltBackend) -> str:
    """The settings to look at: the refused credentials, or the server's URL
    when nothing answered there."""
    if not isinstance(exc, BackendError):
        return ""
    if exc.settings:
        return f"; check {' and '.join(exc.settings)}"
    if not built.url_setting:
        return ""
    if exc.refusal in (Refusal.UNREACHABLE, Refusal.TIMEOUT):
        return f"; check {built.url_setting}"
    if exc.status == HTTPStatus.NOT_FOUND or exc.refusal is Refusal.INVALID_RESPONSE:
        # Asked for a token or a list, the address answered no such thing.
        return f"; check {built.url_setting}: no {built.kind} API answers there"
    return ""


async def check_edges(config: Config, clock: Clock) -> list[Finding]:
    """What each conference server and messenger says when asked. A server
    whose settings are wrong is not asked: the settings line names the problem."""
    checks: list[Finding] = []
    for backend in config.backends():
        if backend.problem(config.of(backend), config) is None:
            checks.extend(await check_backend(backend, config.of(backend), clock))
    for messenger in config.messengers():
        checks.extend(await messenger.doctor(config.of(messenger), config, clock))
    return checks


async def run_checks(config: Config, clock: Clock) -> list[Finding]:
    """Every check, one finding each; a failure's detail says what to do."""
    checks = check_settings(config)
    checks.extend(check_link_secret(config.core))
    checks.extend(check_public_scheme(config.core))
    database = await check_database(config.core)
    checks.append(database)
    if database.ok:  # an unusable one is not asked again
        checks.extend(await check_upkeep(config.core))
    checks.extend(await check_edges(config, clock))
    paths = [path for edge in config.messengers() for path in edge.public_paths]
    checks.extend(await check_public_url(config.core, paths))
    return checks


def unreadable_settings(problem: str) -> str:
    """``doctor --json``'s answer when the settings cannot be read at all."""
    check = Finding("settings", False, problem).as_json()
    return json.dumps({"ok": False, "checks": [check]}, indent=2)


async def run_doctor(
    config: Config, clock: Clock, out: Callable[[str], None], *, as_json: bool = False
) -> bool:
    checks = await run_checks(config, clock)
    ok = all(c.ok for c in checks)
    if as_json:
        out(json.dumps({"ok": ok, "checks": [c.as_json() for c in checks]}, indent=2))
    else:
        for check in checks:
            out(check.line())
    return ok

"""``doctor``'s TrueConf lines: the server answers and takes the credentials,
and TRUECONF_SERVER_TIMEZONE matches the offset it reports; TRUECONF_OWNER."""

from __future__ import annotations

from contextlib import AsyncExitStack

from adapters.findings import Finding
from adapters.trueconf.backend import TrueConfBackend
from adapters.trueconf.settings import TrueConfSettings
from adapters.trueconf.setup import build_trueconf
from bot.clock import Clock
from bot.errors import BridgeError
from bot.settings import Settings
from bot.timerules import offset_minutes


async def check_time_offsets(
    settings: TrueConfSettings, backend: TrueConfBackend, clock: Clock
) -> Finding:
    """Weekly conferences report the server's ``time_offset``: compare it with
    the offset TRUECONF_SERVER_TIMEZONE gives today."""
    zone = settings.server_timezone
    expected = offset_minutes(zone, clock.now())
    reported = await backend.server_time_offsets()
    if not reported:
        return Finding(
            "server time zone", True, f"no weekly conference to compare with; assuming {zone}"
        )
    wrong = sorted({m for m in reported if m != expected})
    if wrong:
        return Finding(
            "server time zone",
            False,
            f"the server reports UTC offset {wrong[0]} min, but TRUECONF_SERVER_TIMEZONE="
            f"{zone} means {expected} min now: set it to the "
            "server's zone, or weekly meetings will start at the wrong hour",
        )
    return Finding("server time zone", True, f"{zone} matches")


async def check_trueconf(settings: TrueConfSettings, core: Settings, clock: Clock) -> list[Finding]:
    async with AsyncExitStack() as stack:
        try:
            backend, endpoint = await build_trueconf(settings, clock, stack)
        except BridgeError as exc:
            return [Finding("trueconf settings", False, str(exc))]
        where = "built-in sandbox" if endpoint.is_sandbox else endpoint.url
        try:
            await backend.check_credentials()
        except BridgeError as exc:
            return [Finding("trueconf", False, f"{where}: {exc}")]
        checks = [Finding("trueconf", True, f"{where}: reachable, credentials accepted")]
        try:
            checks.append(await check_time_offsets(settings, backend, clock))
        except BridgeError as exc:
            checks.append(Finding("server time zone", False, f"could not list conferences: {exc}"))
        return checks


def owner_findings(settings: TrueConfSettings, core: Settings) -> list[Finding]:
    """Who owns the meetings of people not linked to a TrueConf account."""
    if settings.owner or not core.unlinked_may_create:
        return []
    # serve runs like this: linked people create meetings, the others are
    # told to link themselves (the bridge's error.no_owner reply).
    detail = (
        "not set: only people linked to a TrueConf account create meetings; the others "
        "are told to link themselves with /meet link or to ask the admin to set "
        "TRUECONF_OWNER (set it, or UNLINKED_MAY_CREATE=false to say so up front)"
    )
    return [Finding("TRUECONF_OWNER", True, detail, warning=True)]

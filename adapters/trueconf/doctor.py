"""``doctor``'s TrueConf lines beyond reachability: TRUECONF_SERVER_TIMEZONE
against the offset the server reports, TRUECONF_OWNER, and plain http."""

from __future__ import annotations

from urllib.parse import urlsplit

from adapters.edge import BuiltBackend, Configuration
from adapters.findings import Finding, plain_http
from adapters.trueconf.backend import TrueConfBackend
from adapters.trueconf.settings import TrueConfSettings
from bot.clock import Clock
from bot.errors import BridgeError
from bot.settings import shown_url
from bot.timerules import offset_minutes


async def check_time_offsets(
    settings: TrueConfSettings, clock: Clock, built: BuiltBackend
) -> list[Finding]:
    """Weekly conferences report the server's ``time_offset``: compare it with
    the offset TRUECONF_SERVER_TIMEZONE gives today."""
    backend = built.backend
    if not isinstance(backend, TrueConfBackend):  # pragma: no cover - built by this edge
        return []
    zone = settings.server_timezone
    expected = offset_minutes(zone, clock.now())
    try:
        reported = await backend.server_time_offsets()
    except BridgeError as exc:
        return [Finding("server time zone", False, f"could not list conferences: {exc}")]
    if not reported:
        detail = f"no weekly conference to compare with; assuming {zone}"
        return [Finding("server time zone", True, detail)]
    wrong = sorted({m for m in reported if m != expected})
    if wrong:
        detail = (
            f"the server reports UTC offset {wrong[0]} min, but TRUECONF_SERVER_TIMEZONE="
            f"{zone} means {expected} min now: set it to the "
            "server's zone, or weekly meetings will start at the wrong hour"
        )
        return [Finding("server time zone", False, detail)]
    return [Finding("server time zone", True, f"{zone} matches")]


def settings_findings(settings: TrueConfSettings, config: Configuration) -> list[Finding]:
    """doctor's TrueConf lines from the settings alone."""
    return [*owner_findings(settings, config), *scheme_findings(settings)]


def scheme_findings(settings: TrueConfSettings) -> list[Finding]:
    """The client secret and the OAuth tokens go to the server with every
    call: over plain http anyone on the way reads them."""
    if settings.server_url is None:
        return []
    https = shown_url(urlsplit(settings.server_url)._replace(scheme="https").geturl())
    why = (
        "the client secret and the OAuth tokens go to the server in clear, readable by "
        f"anyone on the way; write {https} (with the port the server serves https on)"
    )
    return plain_http(settings.server_url, "TRUECONF_SERVER_URL", why)


def owner_findings(settings: TrueConfSettings, config: Configuration) -> list[Finding]:
    """Who owns the meetings of people not linked to a TrueConf account."""
    if settings.owner or not config.core.unlinked_may_create:
        return []
    # serve runs like this: linked people create meetings, the others are
    # told to link themselves (the bridge's error.no_owner reply).
    detail = (
        "not set: only people linked to a TrueConf account create meetings; the others "
        "are told to link themselves with /meet link or to ask the admin to set "
        "TRUECONF_OWNER (set it, or UNLINKED_MAY_CREATE=false to say so up front)"
    )
    return [Finding("TRUECONF_OWNER", True, detail, warning=True)]

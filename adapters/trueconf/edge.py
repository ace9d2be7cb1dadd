"""TrueConf Server as an edge of the bridge: its settings, builder and checks."""

from __future__ import annotations

import time
from collections.abc import Mapping
from contextlib import AsyncExitStack

from adapters.edge import BackendEdge, BuiltBackend
from adapters.trueconf.demo_hooks import console_hooks
from adapters.trueconf.directory_cache import CachedDirectory
from adapters.trueconf.doctor import check_time_offsets, settings_findings
from adapters.trueconf.settings import TrueConfSettings
from adapters.trueconf.setup import build_trueconf, check_trueconf_settings
from bot.clock import Clock
from bot.metrics import Metrics
from bot.settings import SANDBOX

DEMO_OWNER = "admin"
DEMO_BANNER = """meetbridge demo: a console chat against the built-in TrueConf sandbox
(data in ./var/demo.db, fresh on each start like the sandbox). Try:
  /meet weekly mon,wed 10:00 for 30m Standup @alice @bob
  /meet tomorrow 15:00 for 1h Design review @carol
  /meet in 2m Quick test, then /meet remind 1 1m  (a reminder prints in a minute)
  /meet now Sync @alice, then /as alice and /join 1 (the card shows her in),
    /meet stop 1 (the card ends, a summary follows)
  /meet list      /meet help      /as alice (speak as someone else)     /quit
"""


async def build(
    settings: TrueConfSettings, clock: Clock, stack: AsyncExitStack, metrics: Metrics | None
) -> BuiltBackend:
    backend, endpoint = await build_trueconf(settings, clock, stack, metrics)
    return BuiltBackend(
        backend,
        where="built-in sandbox" if endpoint.is_sandbox else endpoint.url,
        check_ready=backend.check_ready,
        check_credentials=backend.check_credentials,
        url_setting="TRUECONF_SERVER_URL",
        kind="TrueConf Server",
        endpoint=endpoint,
        # The server's user accounts, its answers by e-mail reused a while.
        directory=CachedDirectory(backend, timer=time.monotonic),
        server_zone=settings.server_timezone,
        owner_login=settings.owner,
    )


def demo(settings: TrueConfSettings) -> Mapping[str, object]:
    return {"trueconf_server_url": SANDBOX, "trueconf_owner": settings.owner or DEMO_OWNER}


EDGE = BackendEdge(
    name="trueconf",
    settings=TrueConfSettings,
    enabled=lambda settings: settings.server_url is not None,
    validate=check_trueconf_settings,
    build=build,
    settings_findings=settings_findings,
    doctor=check_time_offsets,
    demo=demo,
    demo_banner=DEMO_BANNER,
    console_hooks=console_hooks,
)

"""Callaba as an edge of the bridge: its settings, builder and checks."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AsyncExitStack
from datetime import timedelta

from adapters.callaba.settings import CallabaSettings
from adapters.callaba.setup import build_callaba, check_callaba_settings
from adapters.edge import BackendEdge, BuiltBackend
from bot.clock import Clock
from bot.metrics import Metrics
from bot.settings import SANDBOX

DEMO_BANNER = """meetbridge demo: a console chat against the built-in Callaba sandbox
(and TrueConf's, for /meet backend trueconf). Callaba rooms carry a speaker and a
view-only link; the bridge opens scheduled rooms shortly before they start. Try:
  /meet tomorrow 15:00 for 1h Design review @carol
  /meet weekly mon,wed 10:00 for 30m Standup @alice @bob
  /meet list      /meet backend      /meet help      /quit
"""


async def build(
    settings: CallabaSettings, clock: Clock, stack: AsyncExitStack, metrics: Metrics | None
) -> BuiltBackend:
    backend, endpoint = await build_callaba(settings, clock, stack, metrics)
    return BuiltBackend(
        backend,
        where="built-in sandbox" if endpoint.is_sandbox else endpoint.url,
        check_ready=backend.check_ready,
        check_credentials=backend.check_credentials,
        url_setting="CALLABA_URL",
        kind="Callaba",
        accepted="token accepted",
        endpoint=endpoint,
        # Rooms have no schedule of their own: the ledger switches them on.
        activation_lead=timedelta(minutes=settings.activation_lead_minutes),
    )


def demo(settings: CallabaSettings) -> Mapping[str, object]:
    return {"callaba_url": SANDBOX}


EDGE = BackendEdge(
    name="callaba",
    settings=CallabaSettings,
    enabled=lambda settings: settings.url is not None,
    validate=check_callaba_settings,
    build=build,
    demo=demo,
    demo_banner=DEMO_BANNER,
)

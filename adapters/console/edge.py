"""The console as an edge: a messenger of the command line alone."""

from __future__ import annotations

from adapters.console.settings import ConsoleSettings
from adapters.edge import MessengerEdge

EDGE = MessengerEdge(
    name="console",
    settings=ConsoleSettings,
    # Not a part of serve: `meetbridge demo` and `meetbridge console` run it.
    enabled=lambda settings: False,
)

"""Every edge the bridge knows, in one place.

A messenger or a conference server is added here with one entry (and its own
package under ``adapters/``); serve, readiness, doctor, the settings checks
and the command line ask these lists and name no edge themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.callaba.edge import EDGE as CALLABA
from adapters.console.edge import EDGE as CONSOLE
from adapters.edge import BackendEdge, MessengerEdge
from adapters.slack.edge import EDGE as SLACK
from adapters.telegram.edge import EDGE as TELEGRAM
from adapters.trueconf.edge import EDGE as TRUECONF
from adapters.trueconf_chat.edge import EDGE as TRUECONF_CHAT


@dataclass(frozen=True)
class Edges:
    # Conference servers, in the order they are preferred when DEFAULT_BACKEND
    # is unset; the first is the one asked for when none is configured.
    backends: tuple[BackendEdge[Any], ...]
    messengers: tuple[MessengerEdge[Any], ...]

    def __post_init__(self) -> None:
        names = [edge.name for edge in self.all]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"two edges are named {', '.join(twice)}")
        if not self.backends:
            raise ValueError("the bridge needs at least one conference server")

    @property
    def all(self) -> tuple[BackendEdge[Any] | MessengerEdge[Any], ...]:
        return (*self.backends, *self.messengers)

    def backend(self, name: str) -> BackendEdge[Any] | None:
        return next((edge for edge in self.backends if edge.name == name), None)


EDGES = Edges(
    backends=(TRUECONF, CALLABA),
    messengers=(SLACK, TELEGRAM, TRUECONF_CHAT, CONSOLE),
)

"""The Callaba sandbox on a free loopback port."""

from __future__ import annotations

from typing import Any

from adapters.callaba.sandbox.app import build_app
from adapters.callaba.sandbox.state import CallabaState
from adapters.loopback import LoopbackServer


class CallabaSandbox(LoopbackServer):
    """A live sandbox Callaba on ``127.0.0.1:<free port>``::

        with CallabaSandbox() as sandbox:          # or: async with ...
            sandbox.base_url, sandbox.token, sandbox.state.log("create")

    Keyword arguments go to ``CallabaState`` (token, clock, latency).
    """

    def __init__(self, state: CallabaState | None = None, **state_options: Any) -> None:
        if state is not None and state_options:
            raise TypeError("pass either a CallabaState or its options, not both")
        self.state = state or CallabaState(**state_options)
        super().__init__(lambda: build_app(self.state), name="callaba-sandbox")

    @property
    def token(self) -> str:
        return self.state.token

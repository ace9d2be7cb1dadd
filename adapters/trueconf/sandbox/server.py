"""Running the sandbox on a free loopback port in a background thread."""

from __future__ import annotations

from typing import Any

from adapters.loopback import LoopbackServer
from adapters.trueconf.sandbox.app import build_app
from adapters.trueconf.sandbox.state import SandboxState


class SandboxServer(LoopbackServer):
    """A live sandbox TrueConf Server on ``127.0.0.1:<free port>``.

    It serves from its own thread and event loop, so sync and async tests can
    use it alike::

        with SandboxServer() as sandbox:            # or: async with SandboxServer() ...
            sandbox.base_url, sandbox.client_id, sandbox.client_secret
            sandbox.state.calls("POST /conferences")

    Keyword arguments go to ``SandboxState`` (users, clock, token_lifetime, ...).
    """

    def __init__(self, state: SandboxState | None = None, **state_options: Any) -> None:
        if state is not None and state_options:
            raise TypeError("pass either a SandboxState or its options, not both")
        self.state = state or SandboxState(**state_options)
        super().__init__(lambda: build_app(self.state), name="trueconf-sandbox")

    @property
    def client_id(self) -> str:
        return self.state.client_id

    @property
    def client_secret(self) -> str:
        return self.state.client_secret

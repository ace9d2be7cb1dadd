"""An in-memory TrueConf Server for tests, demos and benchmarks (a subset of API v3.x)."""

from adapters.trueconf.sandbox.controls import InjectedFailure, LoggedRequest
from adapters.trueconf.sandbox.records import DEFAULT_USERS, SandboxUser
from adapters.trueconf.sandbox.server import SandboxServer
from adapters.trueconf.sandbox.state import SandboxState

__all__ = [
    "DEFAULT_USERS",
    "InjectedFailure",
    "LoggedRequest",
    "SandboxServer",
    "SandboxState",
    "SandboxUser",
]

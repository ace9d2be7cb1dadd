"""An in-memory TrueConf Server for tests, demos and benchmarks (a subset of API v3.x)."""

from adapters.trueconf.sandbox.server import SandboxServer
from adapters.trueconf.sandbox.state import (
    DEFAULT_USERS,
    InjectedFailure,
    LoggedRequest,
    SandboxState,
    SandboxUser,
)

__all__ = [
    "DEFAULT_USERS",
    "InjectedFailure",
    "LoggedRequest",
    "SandboxServer",
    "SandboxState",
    "SandboxUser",
]

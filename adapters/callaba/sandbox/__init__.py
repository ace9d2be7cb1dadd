"""An in-memory Callaba rooms API for tests and demos, faithful to the reference."""

from adapters.callaba.sandbox.server import CallabaSandbox
from adapters.callaba.sandbox.state import CallabaState, Failure, LoggedCall

__all__ = ["CallabaSandbox", "CallabaState", "Failure", "LoggedCall"]

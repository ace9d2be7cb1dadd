"""One finding of ``meetbridge doctor``: a named check, whether it passed, and
a detail that, for a failure, says what to do. Edges make their own."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from adapters.httpclient import tls_problem, transport_problem


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    # Passes, but works differently from what people may expect (exit 0).
    warning: bool = False

    def line(self) -> str:
        status = "FAIL" if not self.ok else "warn" if self.warning else "ok  "
        return f"{status}  {self.name}: {self.detail}"

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def first_line(exc: BaseException) -> str:
    """The exception's kind and the first line of its message."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def unreachable(exc: BaseException, where: str, setting: str) -> str:
    """Why ``where`` could not be reached, naming the setting that points there."""
    problem = tls_problem(exc, None) or transport_problem(exc) or first_line(exc)
    return f"cannot reach {where} ({setting}): {problem}"

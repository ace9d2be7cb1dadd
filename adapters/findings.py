"""One finding of ``meetbridge doctor``: a named check, whether it passed, and
a detail that, for a failure, says what to do. Edges make their own."""

from __future__ import annotations

import ipaddress
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from adapters.httpclient import tls_problem, transport_problem
from bot.settings import SANDBOX, shown_url


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


def is_loopback(host: str) -> bool:
    """This machine by name or address: ``localhost`` (and its subdomains,
    which resolve to it), 127.0.0.0/8, ``::1`` and IPv4-mapped forms."""
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:  # a DNS name
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def plain_http(url: str | None, setting: str, why: str) -> list[Finding]:
    """A warning (never a failure) for ``url`` over plain http beyond this
    machine, saying ``why`` that matters; nothing for https, this machine or
    the sandbox."""
    if not url or url == SANDBOX:
        return []
    parts = urlsplit(url)
    if parts.scheme == "https" or is_loopback(parts.hostname or ""):
        return []
    detail = f"{shown_url(url)} is plain http: {why}"
    return [Finding(f"{setting} https", True, detail, warning=True)]

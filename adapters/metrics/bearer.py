"""``/metrics`` behind a bearer token (METRICS_TOKEN), as Prometheus sends
one (``authorization: credentials_file``): ``Authorization: Bearer <token>``,
the scheme in any case (RFC 6750). The one check for ``serve`` and ``work``."""

from __future__ import annotations

import hashlib
import hmac

from bot.settings import Settings

# What a 401 asks for (RFC 6750, section 3).
CHALLENGE = 'Bearer realm="metrics"'
# The 401's body, the same from serve and from work.
REFUSED = b"401: /metrics needs Authorization: Bearer <METRICS_TOKEN>\n"
_SCHEME = b"bearer"


class BearerToken:
    """The token a scraper must present; never shown (no repr of it)."""

    __slots__ = ("_digest",)

    def __init__(self, token: str) -> None:
        self._digest = _digest(token.encode())

    def __repr__(self) -> str:
        return "BearerToken(***)"

    def allows(self, authorization: bytes | None) -> bool:
        """Whether an ``Authorization`` header's raw value carries the token.
        Both sides are hashed first, so the compare takes the same time
        whatever was sent, its length too."""
        scheme, _, credentials = (authorization or b"").strip().partition(b" ")
        if scheme.lower() != _SCHEME:
            return False
        return hmac.compare_digest(_digest(credentials.strip(b" \t")), self._digest)


def _digest(value: bytes) -> bytes:
    return hashlib.sha256(value).digest()


def metrics_token(settings: Settings) -> BearerToken | None:
    """METRICS_TOKEN, as ``serve`` and ``work`` check it (None: unset)."""
    token = settings.metrics_token
    return BearerToken(token.get_secret_value()) if token is not None else None

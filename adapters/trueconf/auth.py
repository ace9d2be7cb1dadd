"""OAuth2 client_credentials for TrueConf Server, with a cached, shared token."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from http import HTTPStatus

import httpx
from pydantic import SecretStr

from adapters.httpclient import unreachable
from adapters.trueconf.errors import (
    CREDENTIAL_SETTINGS,
    OAUTH_CREDENTIAL_ERRORS,
    error_from_response,
)
from bot.clock import Clock, SystemClock
from bot.errors import BackendAuthError, BackendError, BackendUnavailable, Refusal
from bot.metrics import Metrics, NoMetrics

log = logging.getLogger(__name__)

TOKEN_PATH = "/oauth2/v1/token"  # noqa: S105 - a URL path, not a secret


@dataclass(frozen=True, slots=True)
class _Token:
    value: str
    refresh_at: datetime

    def __repr__(self) -> str:
        return f"_Token(refresh_at={self.refresh_at.isoformat()})"


def refresh_margin(expires_in: int) -> timedelta:
    """How long before expiry to refresh: a minute, or a tenth of short lifetimes."""
    return timedelta(seconds=min(60.0, expires_in / 10))


class TrueConfAuth:
    """Fetches and caches the bridge's access token.

    Concurrent callers share one refresh; ``invalidate`` drops a token the server
    refused so the next ``token()`` fetches a new one. ``fetch_count`` counts
    token requests (for tests and diagnostics).
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        client_id: str,
        client_secret: SecretStr | str,
        *,
        clock: Clock | None = None,
        token_path: str = TOKEN_PATH,
        metrics: Metrics | None = None,
    ) -> None:
        self._http = http
        self._client_id = client_id
        self._secret = (
            client_secret if isinstance(client_secret, SecretStr) else SecretStr(client_secret)
        )
        self._clock: Clock = clock or SystemClock()
        self._token_path = token_path
        self._token: _Token | None = None
        self._lock = asyncio.Lock()
        self._metrics: Metrics = metrics or NoMetrics()
        self.fetch_count = 0

    def __repr__(self) -> str:
        return f"TrueConfAuth(client_id={self._client_id!r}, client_secret=SecretStr('**********'))"

    @property
    def client_id(self) -> str:
        return self._client_id

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in messages (for redaction)."""
        current = self._token.value if self._token else ""
        return (self._secret.get_secret_value(), current)

    def _valid(self) -> _Token | None:
        token = self._token
        if token is not None and self._clock.now() < token.refresh_at:
            return token
        return None

    async def token(self) -> str:
        """A valid access token, fetching one only when needed."""
        cached = self._valid()
        if cached is not None:
            return cached.value
        async with self._lock:
            # Another caller may have refreshed while we waited.
            cached = self._valid()
            if cached is not None:
                return cached.value
            self._token = await self._fetch()
            return self._token.value

    def invalidate(self, token: str) -> None:
        """Forget ``token`` if it is still the cached one (the server refused it)."""
        if self._token is not None and self._token.value == token:
            self._token = None

    async def _fetch(self) -> _Token:
        self.fetch_count += 1
        form = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._secret.get_secret_value(),
        }
        try:
            response = await self._http.post(self._token_path, data=form)
        except httpx.TimeoutException as exc:
            raise BackendUnavailable(
                "timeout", "token request timed out", refusal=Refusal.TIMEOUT
            ) from exc
        except httpx.TransportError as exc:
            raise unreachable(exc, "TRUECONF_CA_BUNDLE") from exc
        if response.status_code >= HTTPStatus.BAD_REQUEST:
            raise self._error(response)
        try:
            payload = response.json()
        except ValueError as exc:
            raise BackendError(
                "invalidResponse", "token answer is not JSON", refusal=Refusal.INVALID_RESPONSE
            ) from exc
        value = payload.get("access_token") if isinstance(payload, dict) else None
        expires_in = payload.get("expires_in") if isinstance(payload, dict) else None
        if not isinstance(value, str) or not value:
            raise BackendError(
                "invalidResponse",
                "token answer has no access_token",
                refusal=Refusal.INVALID_RESPONSE,
            )
        if not isinstance(expires_in, int | float) or isinstance(expires_in, bool):
            raise BackendError(
                "invalidResponse",
                "token answer has no expires_in",
                refusal=Refusal.INVALID_RESPONSE,
            )
        # The reference disagrees on the lifetime (604800/3600/24h): trust the answer.
        lifetime = timedelta(seconds=expires_in)
        refresh_at = self._clock.now() + lifetime - refresh_margin(int(expires_in))
        log.debug("fetched a TrueConf token valid for %ss", expires_in)
        self._metrics.token_refreshed("trueconf")
        return _Token(value=value, refresh_at=refresh_at)

    def _error(self, response: httpx.Response) -> BackendError:
        error = error_from_response(response, self.secrets)
        if (
            error.reason in OAUTH_CREDENTIAL_ERRORS
            or response.status_code == HTTPStatus.UNAUTHORIZED
        ):
            return BackendAuthError(
                "invalidCredentials",
                error.detail,
                status=response.status_code,
                refusal=Refusal.CREDENTIALS,
                settings=CREDENTIAL_SETTINGS,
            )
        return error

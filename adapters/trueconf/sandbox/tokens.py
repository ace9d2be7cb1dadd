"""The token store: OAuth2 client-credential tokens and one-minute guest credentials."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from adapters.trueconf.sandbox.errors import ApiError


class OAuthError(Exception):
    """A token endpoint refusal, in OAuth2's plain-string form."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.status = status
        self.body = {"error": error, "error_description": description}


class TokenStore:
    """Issued tokens and their expiry times.

    Not locked itself: ``SandboxState`` holds its one lock around every call.
    Credentials, lifetimes and the time are passed per call because they live
    on the state, where tests change them while the sandbox runs."""

    def __init__(self) -> None:
        self._tokens: dict[str, datetime] = {}
        self._guest_tokens: dict[str, datetime] = {}
        self.issued = 0

    def issue(
        self,
        form: Mapping[str, Any],
        *,
        client_id: str,
        client_secret: str,
        lifetime: int,
        now: datetime,
    ) -> dict[str, Any]:
        grant = form.get("grant_type")
        if grant != "client_credentials":
            raise OAuthError(400, "unsupported_grant_type", f'Grant type "{grant}" not supported')
        given_id, secret = form.get("client_id"), form.get("client_secret")
        if not given_id or not secret:
            raise OAuthError(
                400, "invalid_client", "Client credentials were not found in the headers or body"
            )
        if given_id != client_id or not secrets.compare_digest(str(secret), client_secret):
            raise OAuthError(401, "invalid_client", "The client credentials are invalid")
        token = secrets.token_hex(20)
        self._tokens[token] = now + timedelta(seconds=lifetime)
        self.issued += 1
        return {
            "access_token": token,
            "expires_in": lifetime,
            "token_type": "Bearer",
            "scope": "conferences conferences:read conferences:write users users:read",
        }

    def check(self, token: str | None, now: datetime) -> None:
        expires = self._tokens.get(token) if token else None
        if expires is None:
            raise ApiError(401, "accessTokenInvalid", "The access token provided is invalid")
        if now >= expires:
            raise ApiError(403, "accessTokenInvalid", "The access token provided has expired")

    def revoke(self) -> None:
        # Only API tokens: guest credentials keep their own short expiry.
        self._tokens.clear()

    def issue_guest(self, lifetime: int, now: datetime) -> str:
        """A short-lived credential, shaped like the server's ``$2<hex>*<expiry>*<hex>``."""
        expires = now + timedelta(seconds=lifetime)
        token = f"$2{secrets.token_hex(16)}*{int(expires.timestamp())}*{secrets.token_hex(16)}"
        self._guest_tokens[token] = expires
        return token

    def guest_valid(self, token: str, now: datetime) -> bool:
        expires = self._guest_tokens.get(token)
        return expires is not None and now < expires

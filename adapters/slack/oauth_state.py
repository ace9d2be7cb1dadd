"""The OAuth ``state`` parameter, signed instead of stored.

A state is ``<expiry>.<nonce>.<HMAC>`` under ``SLACK_STATE_SECRET``: the
install flow needs no table, any replica can check it, and bolt also ties it
to the browser with a cookie, so a state cannot be used from another browser.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable

from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

LIFETIME_SECONDS = 600


class SignedStateStore(AsyncOAuthStateStore):
    def __init__(self, secret: bytes, *, now: Callable[[], float] = time.time) -> None:
        self._secret = secret
        self._now = now

    def __repr__(self) -> str:
        return "SignedStateStore()"

    @property
    def logger(self) -> logging.Logger:
        return logging.getLogger(__name__)

    def _mac(self, payload: str) -> str:
        return hmac.new(self._secret, payload.encode(), hashlib.sha256).hexdigest()

    async def async_issue(self, *args: object, **kwargs: object) -> str:
        payload = f"{int(self._now()) + LIFETIME_SECONDS}.{secrets.token_urlsafe(16)}"
        return f"{payload}.{self._mac(payload)}"

    async def async_consume(self, state: str) -> bool:
        payload, _, mac = state.rpartition(".")
        expiry, _, _ = payload.partition(".")
        if not payload or not expiry.isdigit():
            return False
        return hmac.compare_digest(self._mac(payload), mac) and int(expiry) >= self._now()

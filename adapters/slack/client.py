"""The Slack Web API client: our base URL, and retries after 429 and dropped connections."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.config import SlackConfig

# Slack asks to wait Retry-After seconds; a reminder or card is worth a few waits.
RATE_LIMIT_RETRIES = 3


def web_client(config: SlackConfig, token: str | None = None) -> AsyncWebClient:
    return AsyncWebClient(
        token=token,
        base_url=config.api_url,
        timeout=10,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )

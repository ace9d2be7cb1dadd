"""The Slack Web API client: our base URL, and retries after 429 and dropped connections."""

from __future__ import annotations

import time
from collections.abc import Callable

from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryState
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.config import SlackConfig
from bot.metrics import Metrics, NoMetrics

# Slack asks to wait Retry-After seconds; a reminder or card is worth a few waits.
RATE_LIMIT_RETRIES = 3


class CountedRateLimitRetries(AsyncRateLimitErrorRetryHandler):
    """slack-sdk's wait after a 429 (Retry-After, plus up to a second of
    jitter), reported as a rate-limiter wait so an admin sees Slack slowing
    the bridge down. bolt copies the handler list into the client it makes
    for each request, so one instance counts every call."""

    def __init__(
        self,
        metrics: Metrics,
        *,
        max_retry_count: int = RATE_LIMIT_RETRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._metrics = metrics
        self._clock = clock

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        started = self._clock()
        try:
            await super().prepare_for_next_attempt_async(
                state=state, request=request, response=response, error=error
            )
        finally:
            if response is not None:  # without one the SDK re-raises, waiting not at all
                self._metrics.rate_limiter_waited("slack", self._clock() - started)


def web_client(
    config: SlackConfig, token: str | None = None, metrics: Metrics | None = None
) -> AsyncWebClient:
    return AsyncWebClient(
        token=token,
        base_url=config.api_url,
        timeout=10,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            CountedRateLimitRetries(metrics or NoMetrics()),
        ],
    )

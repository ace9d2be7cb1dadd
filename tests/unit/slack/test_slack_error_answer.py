"""bolt's error handler: Slack's Web API out of reach is a 503 and one line;
the same kinds of error raised anywhere else keep bolt's 500 and traceback."""

from __future__ import annotations

import logging
import socket

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import answer_error


async def database_connect() -> None:
    """Stands for asyncpg's connect timing out inside bolt's authorization
    (the installation store, in multi-workspace mode): a bare TimeoutError."""
    raise TimeoutError


async def test_a_timeout_that_is_not_slacks_keeps_its_500_and_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with pytest.raises(TimeoutError) as raised:
        await database_connect()
    with caplog.at_level(logging.WARNING):
        answered = await answer_error(raised.value)
    assert answered is None  # bolt's own 500 stands
    assert "cannot reach Slack's Web API" not in caplog.text
    assert "Traceback" in caplog.text


async def test_slacks_web_api_refusing_connections_is_a_503(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as held:  # bound, never listening: refused
        held.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{held.getsockname()[1]}/api/"
        client = AsyncWebClient(token="xoxb-test", base_url=url, retry_handlers=[])
        with pytest.raises(OSError) as raised:
            await client.auth_test()
    with caplog.at_level(logging.WARNING):
        answered = await answer_error(raised.value)
    assert answered is not None
    assert answered.status == 503
    assert "cannot reach Slack's Web API" in caplog.text
    assert "Traceback" not in caplog.text

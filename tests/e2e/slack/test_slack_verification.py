"""Only requests Slack signed, recently, are served; the rest get 401 and change nothing."""

from __future__ import annotations

import time

import pytest

from tests.e2e.slack.support import SIGNING_SECRET, SlackWorld
from tests.support.fake_slack import sign, signed_headers

pytestmark = pytest.mark.timeout(60)

# Slack's worked example ("Verifying requests from Slack", api.slack.com).
EXAMPLE_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
EXAMPLE_TIMESTAMP = "1531420618"
EXAMPLE_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
    "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
    "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
    "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
EXAMPLE_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def test_the_signer_of_these_tests_reproduces_slacks_worked_example() -> None:
    assert sign(EXAMPLE_SECRET, EXAMPLE_TIMESTAMP, EXAMPLE_BODY) == EXAMPLE_SIGNATURE


def _snapshot(world: SlackWorld) -> tuple[int, int, int, int]:
    return (
        len(world.sandbox.state.conference_ids()),
        len(world.slack.responses()),
        len(world.slack.calls("users.info")),
        len(world.sandbox.state.request_log),
    )


def test_unsigned_forged_and_stale_requests_get_401_and_change_nothing(
    world: SlackWorld,
) -> None:
    body, _ = world.command_body("now Should never exist")
    now = int(time.time())
    good = signed_headers(SIGNING_SECRET, body)
    cases = {
        "forged signature": {**good, "X-Slack-Signature": sign("not-the-secret", str(now), body)},
        "signature of another body": {
            **good,
            "X-Slack-Signature": sign(SIGNING_SECRET, str(now), body + "x"),
        },
        "stale timestamp": signed_headers(SIGNING_SECRET, body, timestamp=now - 5 * 60 - 30),
        "future timestamp": signed_headers(SIGNING_SECRET, body, timestamp=now + 5 * 60 + 30),
        "no headers": {"Content-Type": "application/x-www-form-urlencoded"},
        "no signature": {k: v for k, v in good.items() if k != "X-Slack-Signature"},
        "no timestamp": {k: v for k, v in good.items() if k != "X-Slack-Request-Timestamp"},
    }
    before = _snapshot(world)
    for case, headers in cases.items():
        answer, _ = world.post(body, headers=headers)
        assert answer.status_code == 401, case
    # Slack's own example is correctly signed, but years old: refused as a replay.
    example = {
        "X-Slack-Request-Timestamp": EXAMPLE_TIMESTAMP,
        "X-Slack-Signature": EXAMPLE_SIGNATURE,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    answer, _ = world.post(EXAMPLE_BODY, headers=example)
    assert answer.status_code == 401
    # A correctly signed request proves the endpoint was listening all along.
    _, _, name = world.command("list")
    world.slack.wait_for_responses(name, 1)
    after = _snapshot(world)
    assert after[0] == before[0]  # no conference
    assert after[1] == before[1] + 1  # only the good request's answer

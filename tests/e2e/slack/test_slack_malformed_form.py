"""A signed form submission whose fields are not what the form sends (a field
that is a string where Slack sends an object, options that are not objects, a
private metadata nested past what JSON decoding takes) is refused with a 4xx,
answered with the form's own error, or read without the field it garbled;
never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.slack.support import SlackWorld, form_submission, form_values, unique

pytestmark = pytest.mark.timeout(90)


def _with(block: str, element: Any) -> dict[str, Any]:
    values = form_values("hostile")
    values[block] = element
    return values


MALFORMED_VALUES = {
    "block is a string": _with("time", "09:30"),
    "element is a string": _with("time", {"value": "09:30"}),
    "block is a list": _with("topic", [1, 2]),
    "selected_option is a string": _with("repeat", {"value": {"selected_option": "weekly"}}),
    "selected_options is a number": _with("days", {"value": {"selected_options": 7}}),
    "options are strings": _with("days", {"value": {"selected_options": ["mon", "tue"]}}),
    "reminder options are lists": _with("reminders", {"value": {"selected_options": [[1]]}}),
    "selected_users is a string": _with("invitees", {"value": {"selected_users": "UALICE"}}),
}


@pytest.mark.parametrize("values", MALFORMED_VALUES.values(), ids=MALFORMED_VALUES.keys())
def test_a_form_with_fields_no_form_sends_is_not_a_500(
    world: SlackWorld, values: dict[str, Any]
) -> None:
    payload = form_submission(values, world.slack.response_url(unique("bad")), user="UCREATOR")
    answer = world.interaction(payload)
    assert answer.status_code < 500, answer.text


METADATA = {
    "nested past the decoder's depth": "[" * 5000,
    "a number": "12",
    "a meeting that is a list": json.dumps({"lang": "en", "meeting": ["1"]}),
}


@pytest.mark.parametrize("metadata", METADATA.values(), ids=METADATA.keys())
def test_forged_private_metadata_is_not_a_500(world: SlackWorld, metadata: str) -> None:
    payload = form_submission(
        form_values("metadata"),
        world.slack.response_url(unique("meta")),
        user="UCREATOR",
        metadata=metadata,
    )
    answer = world.interaction(payload)
    assert answer.status_code < 500, answer.text


def test_private_metadata_that_is_not_a_string_is_refused(world: SlackWorld) -> None:
    payload = form_submission(
        form_values("x"), world.slack.response_url(unique("m")), user="UCREATOR"
    )
    payload["view"]["private_metadata"] = {"meeting": "1"}
    answer = world.interaction(payload)
    assert 400 <= answer.status_code < 500, answer.text


@pytest.mark.parametrize("state", ["values", {"values": {"time": "09:30"}}, ["values"]])
def test_a_state_that_is_not_an_object_of_blocks_is_refused(world: SlackWorld, state: Any) -> None:
    payload = form_submission(
        form_values("x"), world.slack.response_url(unique("s")), user="UCREATOR"
    )
    payload["view"]["state"] = state
    answer = world.interaction(payload)
    assert 400 <= answer.status_code < 500, answer.text


@pytest.mark.parametrize(
    "urls",
    [["x"], [{"channel_id": 5, "response_url": "https://hooks.slack.com/x"}], {"a": 1}],
    ids=["a string", "a channel that is a number", "an object"],
)
def test_response_urls_not_as_slack_sends_them_are_refused(world: SlackWorld, urls: Any) -> None:
    payload = form_submission(
        form_values("x"), world.slack.response_url(unique("u")), user="UCREATOR"
    )
    payload["response_urls"] = urls
    answer = world.interaction(payload)
    assert 400 <= answer.status_code < 500, answer.text

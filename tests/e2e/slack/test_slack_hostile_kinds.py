"""Signed Slack requests of kinds the bridge has no listener for, or whose
team, user or channel is neither a string nor an object, are refused with a
400 before bolt builds its context from them (bolt's extractors and matchers
raised on them: a 500, or a traceback after the acknowledgement); the
module's fixture finds no traceback in the log."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.slack.support import SIGNING_SECRET, SlackWorld
from tests.support.fake_slack import TEAM, signed_headers

pytestmark = pytest.mark.timeout(90)


def _press(**fields: object) -> dict[str, Any]:
    """A button press the bridge serves, with ``fields`` over its own."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "U"},
        "trigger_id": "t",
        "actions": [{"action_id": "mb_x"}],
    } | fields


CASES = {
    "view_closed": {"type": "view_closed", "team": "x", "user": 5, "view": "x"},
    "message_action": {
        "type": "message_action",
        "team": {"id": TEAM},
        "user": {"id": "U"},
        "callback_id": 5,
    },
    "shortcut": {
        "type": "shortcut",
        "team": {"id": TEAM},
        "user": {"id": "U"},
        "callback_id": ["x"],
    },
    "block_suggestion": {
        "type": "block_suggestion",
        "team": {"id": TEAM},
        "user": {"id": "U"},
        "action_id": 5,
        "block_id": None,
    },
    "dialog_submission": {
        "type": "dialog_submission",
        "team": {"id": TEAM},
        "user": {"id": "U"},
        "callback_id": {},
    },
    "interactive_message": {
        "type": "interactive_message",
        "team": 5,
        "actions": "x",
        "callback_id": 3,
    },
    "workflow_step_edit": {"type": "workflow_step_edit", "callback_id": 1},
    "view_submission_cb": {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": "U"},
        "view": {"id": "V1", "callback_id": ["meet_new"], "state": {"values": {}}},
    },
    # bolt reads view.type before any listener (it was a 500).
    "view_submission_no_type": {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": "U"},
        "view": {"id": "V1", "callback_id": "meet_new", "state": {"values": {}}},
    },
    "view_submission_workflow_step": {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": "U"},
        "view": {
            "id": "V1",
            "type": "workflow_step",
            "callback_id": "meet_new",
            "state": {"values": {}},
        },
    },
    "enterprise": {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "U"},
        "trigger_id": "t",
        "actions": [{"action_id": "mb_x"}],
        "enterprise": "x",
        "is_enterprise_install": "yes",
    },
    # bolt reads authorizations[0] of any payload, and a channel in item or
    # assistant_thread, building its context: before the gate's checks ran
    # out, the request was a 500 with a traceback.
    "authorizations_text": _press(authorizations="x"),
    "authorizations_object": _press(authorizations={"team_id": TEAM}),
    "authorizations_number": _press(authorizations=5),
    "authorizations_of_text": _press(authorizations=["x"]),
    "item_channel_number": _press(item={"channel": 5}),
    "assistant_thread_channel_number": _press(assistant_thread={"channel": 5}),
    "response_urls_text": _press(response_urls="x"),
    # bolt authorizes a press by its view's app_installed_team_id before its
    # team: a list there could not be looked up or compared (a 500).
    "installed_team_list": _press(view={"app_installed_team_id": ["x"]}),
    "installed_team_object": _press(view={"app_installed_team_id": {"id": TEAM}}),
    "enterprise_id_list": _press(enterprise={"id": ["E1"]}),
}


@pytest.mark.parametrize("p", CASES.values(), ids=CASES.keys())
def test_an_interaction_the_bridge_does_not_serve_is_refused(
    world: SlackWorld, p: dict[str, Any]
) -> None:
    answer = world.interaction(p)
    assert 400 <= answer.status_code < 500, answer.text


EV = {
    "message": {"type": "message", "text": {"a": 1}, "user": 5, "channel": ["x"]},
    "app_mention": {"type": "app_mention", "text": 5},
    "home_tab_list": {"type": "app_home_opened", "user": "U", "tab": ["home"]},
    "home_view": {"type": "app_home_opened", "user": "UCREATOR", "tab": "home", "view": "x"},
}


@pytest.mark.parametrize("e", EV.values(), ids=EV.keys())
def test_an_event_bolt_could_not_read_is_not_a_500(world: SlackWorld, e: dict[str, Any]) -> None:
    answer = world.event(e)
    assert answer.status_code < 500, answer.text


BODIES = {
    "authorizations_text": {"authorizations": "x"},
    "authorizations_of_numbers": {"authorizations": [5]},
    "response_urls_object": {"response_urls": {"x": 1}},
    # bolt reads team.id before team_id: a list there is its team (a 500).
    "team_id_a_list": {"team": {"id": ["x"]}},
}


@pytest.mark.parametrize("fields", BODIES.values(), ids=BODIES.keys())
def test_an_event_whose_body_bolt_could_not_read_is_refused(
    world: SlackWorld, fields: dict[str, Any]
) -> None:
    body = json.dumps(
        {
            "team_id": TEAM,
            "api_app_id": "A0APP",
            "type": "event_callback",
            "event_id": "Ev0HOSTILE",
            "event": {"type": "app_home_opened", "user": "UCREATOR", "tab": "home"},
        }
        | fields
    )
    headers = signed_headers(SIGNING_SECRET, body)
    headers["Content-Type"] = "application/json"
    answer, _ = world.post(body, headers=headers)
    assert 400 <= answer.status_code < 500, answer.text


@pytest.mark.parametrize("field", ["trigger", "channel", "user"])
def test_a_command_with_an_id_longer_than_slacks_is_refused(world: SlackWorld, field: str) -> None:
    # Its keys would not fit the accepted-commands table (a database error on
    # PostgreSQL, answered as if the database were down).
    body, _ = world.command_body("now Long ids", **{field: "X" * 65})
    answer, _ = world.post(body)
    assert 400 <= answer.status_code < 500, answer.text


@pytest.mark.parametrize("field", ["trigger", "channel", "user"])
def test_a_command_with_a_control_character_in_an_id_is_refused(
    world: SlackWorld, field: str
) -> None:
    # PostgreSQL refuses a NUL in text: the statement writing it would fail,
    # and with it every command grouped into that statement.
    body, _ = world.command_body("now NUL ids", **{field: "U\x00X"})
    answer, _ = world.post(body)
    assert 400 <= answer.status_code < 500, answer.text

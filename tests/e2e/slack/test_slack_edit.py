"""``/meet edit <id>`` alone in Slack: the meeting's form opens filled in, and
its submission is an edit (one ``PUT`` of what changed); only for whoever may
change the meeting, even when the submission is forged."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.slack.support import SlackWorld, create_meeting, form_submission, unique
from tests.support.block_kit import mrkdwn_of
from tests.support.fake_slack import slack_user

pytestmark = pytest.mark.timeout(90)


def _element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    block = next(b for b in view["blocks"] if b["block_id"] == block_id)
    element: dict[str, Any] = block["element"]
    return element


def _values(view: dict[str, Any], **changed: str) -> dict[str, Any]:
    """What Slack submits for ``view``: its initial values, ``changed`` put in."""

    def option(value: str) -> dict[str, Any]:
        return {"value": value, "text": {"type": "plain_text", "text": value}}

    def initial(block: str, key: str) -> Any:
        return _element(view, block).get(key)

    return {
        "topic": {"value": {"value": changed.get("topic", initial("topic", "initial_value"))}},
        "date": {"value": {"selected_date": initial("date", "initial_date")}},
        "time": {"value": {"selected_time": changed.get("time", initial("time", "initial_time"))}},
        "duration": {
            "value": {"selected_option": option(initial("duration", "initial_option")["value"])}
        },
        "repeat": {"value": {"selected_option": initial("repeat", "initial_option")}},
        "days": {"value": {"selected_options": initial("days", "initial_options") or []}},
        "channel": {"value": {"selected_conversation": "C0GENERAL"}},
    }


def _submit(
    world: SlackWorld, view: dict[str, Any], values: dict[str, Any], user: str
) -> tuple[Any, str]:
    name = unique("edit")
    payload = form_submission(
        values,
        world.slack.response_url(name),
        user=user,
        callback_id=view["callback_id"],
        metadata=view["private_metadata"],
    )
    return world.interaction(payload), name


def _open_form(world: SlackWorld, number: str, user: str = "UCREATOR") -> dict[str, Any]:
    before = len(world.slack.calls("views.open"))
    trigger = unique("trigger.")
    answer, took, _ = world.command(f"edit {number}", user=user, trigger=trigger)
    assert answer.status_code == 200
    assert took < 3.0
    calls = world.slack.wait_for_calls("views.open", before + 1)
    assert calls[-1].params["trigger_id"] == trigger
    view: dict[str, Any] = calls[-1].params["view"]
    return view


def test_edit_alone_opens_the_form_filled_in_and_saving_it_is_one_put(world: SlackWorld) -> None:
    number, conference_id = create_meeting(world, "tomorrow 11:30 for 45m Design review")

    view = _open_form(world, number)

    assert view["title"]["text"] == f"Edit meeting #{number}"
    assert json.loads(view["private_metadata"])["meeting"] == number
    assert _element(view, "topic")["initial_value"] == "Design review"
    assert _element(view, "time")["initial_time"] == "11:30"
    assert _element(view, "duration")["initial_option"]["value"] == "45m"
    assert _element(view, "repeat")["initial_option"]["value"] == "once"
    block_ids = {b["block_id"] for b in view["blocks"]}
    assert "invitees" not in block_ids
    assert "reminders" not in block_ids

    world.sandbox.state.clear_log()
    answer, name = _submit(world, view, _values(view, time="12:45", topic="Retro"), "UCREATOR")
    assert answer.status_code == 200
    [card] = world.slack.wait_for_responses(name, 1)
    assert f"Meeting #{number} changed" in json.dumps(card, ensure_ascii=False)
    puts = [e.endpoint for e in world.sandbox.state.request_log if e.method == "PUT"]
    assert puts == ["PUT /conferences/{id}"]
    stored = world.sandbox.state.raw_conference(conference_id)
    assert stored is not None
    assert stored["topic"] == "Retro"
    assert stored["schedule"]["duration"] == 45 * 60


def test_the_form_is_only_for_whoever_may_change_the_meeting(world: SlackWorld) -> None:
    number, conference_id = create_meeting(world, "tomorrow 10:15 Mine")
    opened = len(world.slack.calls("views.open"))

    _, _, name = world.command(f"edit {number}", user="UOTHER")
    [refused] = world.slack.wait_for_responses(name, 1)
    assert refused["response_type"] == "ephemeral"
    assert len(world.slack.calls("views.open")) == opened

    # A submission forged with the meeting's number changes nothing either.
    view = _open_form(world, number)
    world.sandbox.state.clear_log()
    answer, forged = _submit(world, view, _values(view, topic="Theirs"), "UOTHER")
    assert answer.status_code == 200
    [told] = world.slack.wait_for_responses(forged, 1)
    assert told["response_type"] == "ephemeral"
    assert [e for e in world.sandbox.state.request_log if e.method == "PUT"] == []
    stored = world.sandbox.state.raw_conference(conference_id)
    assert stored is not None
    assert stored["topic"] == "Mine"


def test_app_home_lists_the_next_meetings_soonest_first(world: SlackWorld) -> None:
    world.slack.state.users["UORDER"] = slack_user("UORDER", "orla", tz="Europe/Moscow")
    for line in ("once 2031-03-06 10:00 Third", "once 2031-03-04 10:00 First"):
        _, _, name = world.command(line, user="UORDER")
        world.slack.wait_for_responses(name, 1)
    _, _, name = world.command("once 2031-03-05 10:00 Second <@UORDER>", user="UCREATOR")
    world.slack.wait_for_responses(name, 1)
    before = len(world.slack.calls("views.publish"))

    world.event({"type": "app_home_opened", "user": "UORDER", "tab": "home"})

    view = world.slack.wait_for_calls("views.publish", before + 1)[-1].params["view"]
    text = " ".join(mrkdwn_of(view["blocks"]))
    assert text.index("First") < text.index("Second") < text.index("Third")

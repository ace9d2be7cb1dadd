"""The ``/meet`` form posts only to the conversation it was opened in: the
bridge writes that conversation into the form's private metadata, and a
submission for another one (a tampered form, or a pick of a conversation the
person never typed in) gets the form's error and makes no meeting. A form
opened from App Home names none, and its picker chooses."""

from __future__ import annotations

import json

import pytest

from tests.e2e.slack.support import SlackWorld, form_submission, form_values, unique

pytestmark = pytest.mark.timeout(90)


def _submit(world: SlackWorld, metadata: dict[str, str]) -> tuple[dict[str, object], str]:
    name = unique("form")
    payload = form_submission(
        form_values(unique("bound")),
        world.slack.response_url(name),
        user="UCREATOR",
        metadata=json.dumps(metadata),
    )
    answer = world.interaction(payload)
    assert answer.status_code == 200, answer.text
    return (answer.json() if answer.content else {}), name


def test_the_form_names_the_conversation_it_was_opened_in(world: SlackWorld) -> None:
    before = len(world.slack.calls("views.open"))
    world.command("", channel="C0GENERAL")
    view = world.slack.wait_for_calls("views.open", before + 1)[-1].params["view"]
    assert json.loads(view["private_metadata"])["channel"] == "C0GENERAL"


def test_a_form_opened_elsewhere_cannot_post_here(world: SlackWorld) -> None:
    meetings = set(world.sandbox.state.conference_ids())
    # Opened in C0OTHER; its response URL is for C0GENERAL (form_submission's).
    answer, name = _submit(world, {"lang": "en", "channel": "C0OTHER"})
    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert isinstance(errors, dict)
    assert "posts only where it was opened" in errors["channel"]
    assert set(world.sandbox.state.conference_ids()) == meetings
    assert world.slack.responses(name) == []


def test_a_form_that_names_no_conversation_is_refused(world: SlackWorld) -> None:
    answer, _ = _submit(world, {"lang": "ru"})
    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert isinstance(errors, dict)
    assert errors["channel"] == "Эта форма устарела: закройте её и наберите /meet снова."


def test_the_conversation_it_was_opened_in_and_app_homes_pick_are_served(
    world: SlackWorld,
) -> None:
    for bound in ("C0GENERAL", ""):
        answer, name = _submit(world, {"lang": "en", "channel": bound})
        assert "response_action" not in answer
        [card] = world.slack.wait_for_responses(name, 1)
        assert card["response_type"] == "in_channel"

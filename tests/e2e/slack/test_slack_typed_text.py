"""Text typed in Slack means what it looks like, end to end: the slash
command's entities are decoded once (the conference gets the topic as typed,
the card shows it once, escaped), and the form's topic adds no grammar."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.slack.support import SlackWorld, form_submission, form_values, unique
from tests.support.block_kit import mrkdwn_of

pytestmark = pytest.mark.timeout(90)


def _new_conference(world: SlackWorld, before: set[str]) -> dict[str, Any]:
    [conference_id] = set(world.sandbox.state.conference_ids()) - before
    stored = world.sandbox.state.raw_conference(conference_id)
    assert stored is not None
    return stored


def test_an_entity_encoded_command_creates_the_topic_as_typed_and_shows_it_once(
    world: SlackWorld,
) -> None:
    before = set(world.sandbox.state.conference_ids())
    # What Slack sends for: now R&D <team> & "x &lt; y" @alice
    sent = "now R&amp;D &lt;team&gt; &amp; x &amp;lt; y <@UALICE|alice>"
    _, _, name = world.command(sent)
    [card] = world.slack.wait_for_responses(name, 1)
    stored = _new_conference(world, before)
    assert stored["topic"] == "R&D <team> & x &lt; y"
    assert "alice" in stored["invitations"]  # Slack's own mention still recognised
    header = next(b for b in card["blocks"] if b["type"] == "header")
    assert header["text"]["text"] == "R&D <team> & x &lt; y"  # plain text, as typed
    # In mrkdwn each character is escaped once: shown as typed, never twice.
    shown = "R&amp;D &lt;team&gt; &amp; x &amp;lt; y"
    assert shown in card["text"]
    assert "&amp;amp;D" not in card["text"]
    assert "&amp;amp;" not in "\n".join(mrkdwn_of(card["blocks"])).replace(shown, "")


@pytest.mark.parametrize(
    "topic",
    [
        "«Form» Plan” @carol “tail",
        'Plan" @carol "tail',
        "Review for 5h @carol <@UALICE>",
    ],
)
def test_a_topic_typed_into_the_form_invites_nobody_and_stays_as_typed(
    world: SlackWorld, topic: str
) -> None:
    before = set(world.sandbox.state.conference_ids())
    name = unique("form")
    payload = form_submission(form_values(topic), world.slack.response_url(name), user="UOTHER")
    answer = world.interaction(payload)
    assert answer.status_code == 200
    [card] = world.slack.wait_for_responses(name, 1)
    assert card["response_type"] == "in_channel", card
    stored = _new_conference(world, before)
    assert stored["topic"] == topic
    # Only the owner: neither carol (typed) nor alice (a typed mention) is invited.
    assert stored["invitations"] == ["admin"]
    assert stored["schedule"]["duration"] == 45 * 60  # the form's, not a typed "for 5h"


def test_a_command_that_says_payload_is_a_command(world: SlackWorld) -> None:
    """bolt takes every form that contains the word "payload" for an
    interaction, and used to read this command as nothing at all (404)."""
    before = set(world.sandbox.state.conference_ids())
    answer, _, name = world.command("now payload review")
    assert answer.status_code == 200
    world.slack.wait_for_responses(name, 1)
    assert _new_conference(world, before)["topic"] == "payload review"

"""What people type in Slack means what it looks like: slash-command text is
decoded from Slack's entities once, and nothing typed into the form's topic
adds grammar (a quote, ``@name``, ``<@U…>``, ``for 5h``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from adapters.slack.entities import decode_text
from adapters.slack.modal import meeting_form
from adapters.slack.render import escape
from bot.catalogue import CATALOGUE
from bot.chat import Mention
from bot.commands import NewMeeting
from bot.grammar.tail import MAX_TOPIC, clean_text
from bot.grammar.tokens import clean_line

pytestmark = pytest.mark.timeout(60)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sent", "typed"),
    [
        ("R&amp;D &lt;team&gt;", "R&D <team>"),
        # A typed entity arrives encoded once more and is decoded once only.
        ("x &amp;lt; y &amp;amp; z", "x &lt; y &amp; z"),
        # Slack's own markup is kept as Slack wrote it.
        (
            "now Sync <@U123|al&amp;ice> &amp; <#C1|general>",
            "now Sync <@U123|al&amp;ice> & <#C1|general>",
        ),
        (
            "mail <mailto:a@b.example|a@b.example> &gt; 1",
            "mail <mailto:a@b.example|a@b.example> > 1",
        ),
        ("<!here> &lt;!here&gt;", "<!here> <!here>"),
        ("&AMP; &quot; &#60; &", "&AMP; &quot; &#60; &"),  # only Slack's three entities
    ],
)
def test_slack_text_is_decoded_once_outside_its_markup(sent: str, typed: str) -> None:
    assert decode_text(sent) == typed


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_whatever_is_typed_comes_back_from_slacks_escaping(typed: str) -> None:
    # Slack escapes typed text exactly as the renderer does before posting.
    assert decode_text(escape(typed)) == typed


def _form(topic: str, people: list[str]) -> dict[str, Any]:
    def option(value: str) -> dict[str, Any]:
        return {"value": value}

    return {
        "topic": {"value": {"value": topic}},
        "date": {"value": {"selected_date": "2031-03-04"}},
        "time": {"value": {"selected_time": "09:30"}},
        "duration": {"value": {"selected_option": option("45m")}},
        "repeat": {"value": {"selected_option": option("once")}},
        "invitees": {"value": {"selected_users": people}},
    }


def _parsed(topic: str, people: list[str]) -> NewMeeting:
    """The form's command as the core reads it, the picked people resolved
    as the Slack adapter resolves them."""
    form, picked = meeting_form(_form(topic, people))
    resolved = tuple(Mention(handle=user.lower(), user_id=user) for user in picked)
    result = CATALOGUE.grammar.read_form(replace(form, invitees=resolved), now=NOW, zone="UTC")
    assert isinstance(result, NewMeeting), (form, result)
    return result


ATTACKS = [
    "«Form» Plan” @carol “tail",
    'Plan" @carol "x',
    "Review for 5h @carol",
    "Sync <@UCAROL> ‘x’ @bob",
    "» « ” “ „ ‘ ’ ' \"",
    "for",
    "@carol",
]


@pytest.mark.parametrize("topic", ATTACKS)
def test_a_typed_topic_adds_no_grammar(topic: str) -> None:
    meeting = _parsed(topic, ["UALICE"])
    assert meeting.topic == topic
    assert [m.user_id for m in meeting.invitees] == ["UALICE"]
    assert meeting.duration == timedelta(minutes=45)


@settings(max_examples=500, deadline=None)
@given(st.text(min_size=1, max_size=MAX_TOPIC))
@example("«Form» Plan” @carol “tail")
def test_any_typed_topic_is_the_topic_and_invites_nobody(topic: str) -> None:
    meeting = _parsed(topic, [])
    # As the grammar shows any topic: invisible characters dropped, one line.
    assert meeting.topic == clean_text(clean_line(" ".join(topic.split())))
    assert meeting.invitees == ()
    assert meeting_form(_form(topic, []))[1] == ()


def test_only_picked_people_are_looked_up() -> None:
    values = _form("Sync <@UCAROL>", ["UALICE", "not an id", "UBOB"])
    assert meeting_form(values)[1] == ("UALICE", "UBOB")

"""The card's buttons, the new-meeting modal and App Home, as Slack sends them."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.slack.actions import pressed
from adapters.slack.render import ACTION_PREFIX
from bot.catalogue import CATALOGUE
from bot.commands import CancelMeeting, GuestLink, MeetingCalendar, StartMeeting
from tests.e2e.slack.support import (
    PUBLIC_URL,
    SlackWorld,
    buttons_of,
    create_meeting,
    form_submission,
    form_values,
    unique,
)
from tests.support.block_kit import mrkdwn_of
from tests.support.fake_slack import TEAM

pytestmark = pytest.mark.timeout(90)


# The card's buttons by the names of the previous release's action ids.
_BUTTONS = {
    "meet_cancel": CancelMeeting,
    "meet_guest": GuestLink,
    "meet_calendar": MeetingCalendar,
    "meet_start": StartMeeting,
}


def _button(action: str, number: str) -> tuple[str, str]:
    """The action id and value of the card's button as the bridge renders it now."""
    command = _BUTTONS[action](number)
    return ACTION_PREFIX + CATALOGUE.of(command).name, CATALOGUE.token(command)


def _press(world: SlackWorld, action: str, number: str, user: str) -> dict[str, Any]:
    answer, name = world.button(*_button(action, number), user=user)
    assert answer.status_code == 200
    [posted] = world.slack.wait_for_responses(name, 1)
    return posted


def test_buttons_of_the_previous_release_still_work(world: SlackWorld) -> None:
    number, conference_id = create_meeting(world, "tomorrow 11:30 Old buttons")
    answer, name = world.button("meet_guest", number, user="UOTHER")
    assert answer.status_code == 200
    [guest] = world.slack.wait_for_responses(name, 1)
    assert guest["response_type"] == "ephemeral"
    assert any(b.get("action_id") == "meet_link_guest" for b in buttons_of(guest["blocks"]))
    answer, name = world.button("meet_cancel", number, user="UCREATOR")
    assert "cancelled" in world.slack.wait_for_responses(name, 1)[0]["text"]
    assert world.sandbox.state.raw_conference(conference_id) is None


def test_a_link_request_is_private_and_an_admin_approves_it(world: SlackWorld) -> None:
    _, _, name = world.command("link carol", user="UOTHER")
    [request] = world.slack.wait_for_responses(name, 1)
    # Only the person sees what they asked for; the channel sees nothing.
    assert request["response_type"] == "ephemeral"
    assert "waits for a bridge admin" in request["text"]
    assert [b for b in buttons_of(request["blocks"]) if "value" in b] == []

    _, _, refused = world.command("link <@UOTHER|other>", user="UALICE")
    [no] = world.slack.wait_for_responses(refused, 1)
    assert "Only a bridge admin" in no["text"]

    _, _, done = world.command("link <@UOTHER|other>", user="UADMIN")
    [yes] = world.slack.wait_for_responses(done, 1)
    assert "is now linked to TrueConf user carol" in yes["text"]


def test_cancel_is_only_for_the_creator_or_a_workspace_admin(world: SlackWorld) -> None:
    number, conference_id = create_meeting(world, "tomorrow 11:00 Cancel check")

    refused = _press(world, "meet_cancel", number, user="UOTHER")
    assert refused["response_type"] == "ephemeral"
    assert "Only the person who created" in refused["text"]
    assert world.sandbox.state.raw_conference(conference_id) is not None

    done = _press(world, "meet_cancel", number, user="UADMIN")  # is_admin in the profile
    assert done["response_type"] == "in_channel"
    assert "cancelled" in done["text"]
    assert world.sandbox.state.raw_conference(conference_id) is None

    mine, mine_conference = create_meeting(world, "tomorrow 12:00 Own cancel")
    assert _press(world, "meet_cancel", mine, user="UCREATOR")["response_type"] == "in_channel"
    assert world.sandbox.state.raw_conference(mine_conference) is None


def test_start_now_opens_a_scheduled_meeting_for_its_creator_only(world: SlackWorld) -> None:
    before = set(world.sandbox.state.conference_ids())
    _, _, name = world.command("tomorrow 10:00 Early start", user="UCREATOR")
    [card] = world.slack.wait_for_responses(name, 1)
    offered = [pressed(b) for b in buttons_of(card["blocks"]) if "value" in b]
    [number] = [c.meeting_ref for c in offered if isinstance(c, StartMeeting)]
    [conference_id] = set(world.sandbox.state.conference_ids()) - before

    refused = _press(world, "meet_start", number, user="UOTHER")
    assert "Only the person who created" in refused["text"]
    raw = world.sandbox.state.raw_conference(conference_id)
    assert raw is not None
    assert raw["state"] != "running"

    started = _press(world, "meet_start", number, user="UCREATOR")
    assert started["response_type"] == "in_channel"
    assert "started" in started["text"]
    raw = world.sandbox.state.raw_conference(conference_id)
    assert raw is not None
    assert raw["state"] == "running"


def test_guest_link_is_fresh_on_every_press_and_only_for_the_presser(world: SlackWorld) -> None:
    number, _ = create_meeting(world, "tomorrow 13:00 Guest check")
    first = _press(world, "meet_guest", number, user="UOTHER")
    second = _press(world, "meet_guest", number, user="UOTHER")
    assert first["response_type"] == second["response_type"] == "ephemeral"
    links = [
        [b["url"] for b in buttons_of(p["blocks"]) if b.get("action_id") == "meet_link_guest"]
        for p in (first, second)
    ]
    assert links[0]
    assert links[1]
    assert links[0] != links[1]


def test_add_to_calendar_gives_google_outlook_and_the_ics_file(world: SlackWorld) -> None:
    number, conference_id = create_meeting(world, "tomorrow 14:00 Calendar check")
    posted = _press(world, "meet_calendar", number, user="UALICE")
    assert posted["response_type"] == "ephemeral"
    urls = [b["url"] for b in buttons_of(posted["blocks"]) if "url" in b]
    assert any("google.com" in url for url in urls)
    assert any("outlook" in url for url in urls)
    # The bridge's own signed .ics under PUBLIC_URL, not the server's API URL
    # (which answers 401 to anyone without a TrueConf token).
    assert any(url.startswith(f"{PUBLIC_URL}/ics/") and url.endswith(".ics") for url in urls)
    assert not any("/api/" in url for url in urls)
    assert conference_id in " ".join(urls)


@pytest.mark.parametrize(
    ("action", "value"),
    [
        ("meet_cancel", "1; cancel 2"),
        ("meet_press_cancel", "m2:cancel:1;2"),
        ("meet_press_cancel", "cancel 1"),
        ("meet_press_link", "m2:ok:U1:extra:words:too"),
    ],
)
def test_a_forged_button_value_does_nothing(world: SlackWorld, action: str, value: str) -> None:
    answer, name = world.button(action, value, user="UADMIN")
    assert answer.status_code == 200
    _, _, probe = world.command("list")
    world.slack.wait_for_responses(probe, 1)
    assert world.slack.responses(name) == []


def _form(repeat: str, days: list[str]) -> dict[str, Any]:
    return form_values(
        'Sync "A&B" <!here>', repeat=repeat, days=days, invitees=["UALICE"], reminders=["10m", "1h"]
    )


def test_meet_without_arguments_opens_the_modal(world: SlackWorld) -> None:
    before = len(world.slack.calls("views.open"))
    trigger = unique("trigger.")
    answer, took, _ = world.command("", trigger=trigger)
    assert answer.status_code == 200
    assert took < 3.0
    calls = world.slack.wait_for_calls("views.open", before + 1)
    view = calls[-1].params["view"]
    assert calls[-1].params["trigger_id"] == trigger
    assert view["callback_id"] == "meet_new"
    block_ids = {b["block_id"] for b in view["blocks"]}
    assert block_ids >= {
        "topic",
        "date",
        "time",
        "duration",
        "repeat",
        "days",
        "invitees",
        "reminders",
        "channel",
    }


def test_modal_submission_creates_a_weekly_meeting_and_posts_its_card(world: SlackWorld) -> None:
    before = set(world.sandbox.state.conference_ids())
    name = unique("modal")
    payload = form_submission(
        _form("weekly", ["mon", "thu"]), world.slack.response_url(name), user="UCREATOR"
    )
    answer = world.interaction(payload)
    assert answer.status_code == 200
    # One command, one reply: the card, with the form's reminder offsets set
    # on the new meeting in the same transaction.
    [card] = world.slack.wait_for_responses(name, 1)
    assert card["response_type"] == "in_channel"
    assert "2 reminders — 10 min, 1 h before the start" in card["text"]
    assert all("<!here>" not in text for text in mrkdwn_of(card["blocks"]))
    header = next(b for b in card["blocks"] if b["type"] == "header")
    assert header["text"]["text"] == 'Sync "A&B" <!here>'  # plain text, shown as typed
    [conference_id] = set(world.sandbox.state.conference_ids()) - before
    stored = world.sandbox.state.raw_conference(conference_id)
    assert stored is not None
    assert "alice" in stored["invitations"]
    assert stored["topic"] == 'Sync "A&B" <!here>'
    # Moscow (the creator's Slack zone) is also the server's zone: same days and time.
    schedule = stored["schedule"]
    assert (schedule["type"], schedule["days"], schedule["time"]) == (
        0,
        ["monday", "thursday"],
        "09:30",
    )
    assert schedule["duration"] == 45 * 60


def test_weekly_without_days_is_refused_in_the_form(world: SlackWorld) -> None:
    before = set(world.sandbox.state.conference_ids())
    name = unique("modal")
    answer = world.interaction(
        form_submission(_form("weekly", []), world.slack.response_url(name), user="UCREATOR")
    )
    assert answer.status_code == 200
    assert answer.json()["response_action"] == "errors"
    assert "days" in answer.json()["errors"]
    assert set(world.sandbox.state.conference_ids()) == before


def test_app_home_lists_the_persons_meetings_with_their_actions(world: SlackWorld) -> None:
    number, _ = create_meeting(world, "tomorrow 16:00 Home check <@UALICE>")
    before = len(world.slack.calls("views.publish"))
    answer = world.event({"type": "app_home_opened", "user": "UALICE", "tab": "home"})
    assert answer.status_code == 200
    published = world.slack.wait_for_calls("views.publish", before + 1)[-1]
    assert published.params["user_id"] == "UALICE"
    view = published.params["view"]
    assert view["type"] == "home"
    assert "Home check" in " ".join(mrkdwn_of(view["blocks"]))
    actions = {b.get("action_id") for b in buttons_of(view["blocks"])}
    commands = {pressed(b) for b in buttons_of(view["blocks"]) if "value" in b}
    assert GuestLink(number) in commands
    assert MeetingCalendar(number) in commands
    assert CancelMeeting(number) not in commands  # alice was invited; she did not create it
    assert "meet_new" in actions

    # A press on App Home has no channel and no response URL: the meeting's own
    # channel is found, and the answer comes as a direct message.
    action_id, value = _button("meet_guest", number)
    posts = len(world.slack.calls("chat.postMessage"))
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "UALICE", "team_id": TEAM},
        "trigger_id": unique("trigger."),
        "container": {"type": "view", "view_id": "V1"},
        "view": {"id": "V1", "type": "home"},
        # A button repeated in one view (one per meeting) carries a suffix: ".2".
        "actions": [{"type": "button", "action_id": action_id + ".2", "value": value}],
    }
    assert world.interaction(payload).status_code == 200
    sent = world.slack.wait_for_calls("chat.postMessage", posts + 1)[-1]
    assert sent.params["channel"] == "UALICE"
    assert any(b.get("action_id") == "meet_link_guest" for b in buttons_of(sent.params["blocks"]))


def test_an_app_home_press_reaches_only_the_pressers_own_meetings(world: SlackWorld) -> None:
    number, conference_id = create_meeting(world, "tomorrow 17:00 Not bobs")
    action_id, value = _button("meet_guest", number)
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "UOTHER", "team_id": TEAM},
        "trigger_id": unique("trigger."),
        "container": {"type": "view", "view_id": "V2"},
        "actions": [{"type": "button", "action_id": action_id, "value": value}],
    }
    posts = len(world.slack.calls("chat.postMessage"))
    assert world.interaction(payload).status_code == 200
    _, _, probe = world.command("list")
    world.slack.wait_for_responses(probe, 1)
    assert len(world.slack.calls("chat.postMessage")) == posts
    assert world.sandbox.state.raw_conference(conference_id) is not None

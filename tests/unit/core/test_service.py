"""The command service driven with fakes: what each command does to the server
and the store, and what the person reads."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.chat import UserRef
from bot.commands import CommandInput
from bot.errors import BackendError, Refusal
from bot.meeting import LiveState, MeetingStatus
from bot.reply import Capabilities, Copyable, Links, Visibility
from bot.schedule import Once, Weekday, Weekly
from tests import fakes
from tests.unit.core.conftest import CHAT, Bridge


async def test_weekly_meeting_reply_carries_every_way_to_join(bridge: Bridge) -> None:
    reply = await bridge.say("weekly mon,wed 10:00 for 30m Standup @alice @bob")

    text = reply.plain_text()
    assert reply.visibility is Visibility.CHAT
    assert "Standup" in text
    conference_id = next(iter(bridge.backend.conferences))
    assert conference_id in text
    join = bridge.backend._view(conference_id).join
    offered = [join.page_url, join.browser_url, join.app_deeplink, join.view_url]
    offered += [*join.sip, *join.h323]
    assert len([x for x in offered if x]) >= 2
    for expected in (
        *(x for x in offered if x),
        "alice, bob",
        "30 min",
        "Mon, Wed at 10:00 (Europe/Moscow)",
        "next: Wed 25 Nov 2026, 10:00 (Europe/Moscow)",
    ):
        assert expected in text, expected
    assert bridge.backend.calls == ["create"]
    conf = bridge.backend.conferences[conference_id]
    # A server with accounts holds the invitations; otherwise they are mentions.
    assert conf.invited == (["helen", "alice", "bob"] if bridge.accounts else [])
    assert [i.handle for i in bridge.uow.state.meetings[1].invitees] == ["alice", "bob"]
    assert conf.spec.schedule == Weekly(
        frozenset({Weekday.MONDAY, Weekday.WEDNESDAY}), time(10, 0), "Europe/Moscow"
    )
    stored = bridge.uow.state.meetings[1]
    assert stored.conference_id == conference_id
    assert stored.duration == timedelta(minutes=30)


async def test_pin_goes_only_to_the_creator(trueconf_bridge: Bridge) -> None:
    bridge = trueconf_bridge
    reply = await bridge.say("tomorrow 15:00 Review")

    assert "4321" not in reply.plain_text()  # the card itself, seen by the chat
    assert [n.visibility for n in reply.private_notes] == [Visibility.PRIVATE]
    assert "4321" in reply.private_notes[0].plain_text()
    info = await bridge.say("info 1")
    assert "4321" not in info.plain_text()
    assert "4321" in info.private_notes[0].plain_text()


async def test_one_time_start_is_converted_from_the_persons_zone(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 for 1h Design review @carol")

    spec = next(iter(bridge.backend.conferences.values())).spec
    assert spec.schedule == Once(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), "Europe/Moscow")
    assert spec.duration == timedelta(hours=1)


async def test_profile_zone_wins_over_chat_default(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Review", zone="America/New_York")

    spec = next(iter(bridge.backend.conferences.values())).spec
    assert spec.schedule == Once(datetime(2026, 11, 24, 20, 0, tzinfo=UTC), "America/New_York")


async def test_an_old_zone_from_the_profile_is_taken_as_given(bridge: Bridge) -> None:
    # /meet tz refuses EST, which a person types; a messenger's profile is
    # not theirs to put right, so its zone is kept.
    await bridge.say("tomorrow 15:00 Review", zone="EST")

    spec = next(iter(bridge.backend.conferences.values())).spec
    assert spec.schedule == Once(datetime(2026, 11, 24, 20, 0, tzinfo=UTC), "EST")


async def test_now_starts_the_conference_and_names_unmapped_people(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    reply = await bridge.say("now Incident call @alice @zed")

    conf = next(iter(bridge.backend.conferences.values()))
    assert conf.state == "running"
    assert conf.invited == ["helen", "alice"]
    text = reply.plain_text()
    assert "Not on the server: zed" in text
    assert "/meet link" in text
    assert "/meet guest 1" in text


async def test_linked_person_is_owner_and_invited(trueconf_bridge: Bridge) -> None:
    bridge = trueconf_bridge
    await bridge.say("link carol", user="cj")
    await bridge.say("link @cj", user="root", admin=True)  # an admin approves
    await bridge.say("now Sync @alice", user="cj")

    conf = next(iter(bridge.backend.conferences.values()))
    assert conf.spec.owner_login == "carol"
    assert conf.invited == ["carol", "alice"]


async def test_list_and_info(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 First")
    await bridge.say("weekly weekdays 09:00 Daily")

    listing = (await bridge.say("list")).plain_text()
    name = bridge.backend.name
    assert f"#1 First — Tue 24 Nov 2026, 15:00 (Europe/Moscow) · scheduled · {name}" in listing
    assert "#2 Daily — weekly, weekdays at 09:00 (Europe/Moscow)" in listing
    assert listing.count(f"· {name}") == 2
    info = await bridge.say("info #2")
    assert "Daily" in info.plain_text()
    assert bridge.backend.calls[-1] == "get"


async def test_cancel_deletes_the_conference_and_marks_the_meeting(bridge: Bridge) -> None:
    await bridge.say("now Call")
    conference_id = next(iter(bridge.backend.conferences))

    reply = await bridge.say("cancel 1")

    assert "cancelled" in reply.plain_text()
    assert conference_id not in bridge.backend.conferences
    assert bridge.backend.calls[-1] == "delete"
    assert bridge.uow.state.meetings[1].status is MeetingStatus.CANCELLED
    again = await bridge.say("cancel 1")
    assert again.is_error
    assert "already cancelled" in again.plain_text()
    for command in ("info 1", "start 1"):
        told = await bridge.say(command)
        assert told.is_error
        assert told.plain_text().startswith("Meeting #1 was cancelled.")


async def test_only_creator_or_admin_may_cancel(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Mine", user="helen")

    refused = await bridge.say("cancel 1", user="mallory")
    assert refused.is_error
    assert refused.visibility is Visibility.PRIVATE
    assert len(bridge.backend.conferences) == 1
    allowed = await bridge.say("cancel 1", user="root", admin=True)
    assert not allowed.is_error
    assert bridge.backend.conferences == {}


async def test_a_cancel_again_by_another_member_asks_the_server_nothing(bridge: Bridge) -> None:
    # A cancel of a meeting already cancelled asks the server to delete it
    # again (c120042): only its creator or an admin may have it do that.
    await bridge.say("tomorrow 15:00 Mine", user="helen")
    await bridge.say("cancel 1", user="helen")
    bridge.backend.calls.clear()

    refused = await bridge.say("cancel 1", user="mallory")

    assert refused.is_error
    assert refused.visibility is Visibility.PRIVATE
    assert "Only the person who created" in refused.plain_text()
    assert bridge.backend.calls == []


async def test_a_running_conference_is_stopped_before_it_is_deleted(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    await bridge.say("now Call")

    await bridge.say("cancel 1")

    assert bridge.backend.calls[-3:] == ["delete", "stop", "delete"]
    assert bridge.backend.conferences == {}


async def test_stopping_a_conference_the_server_is_not_running_is_told_so(
    bridge: Bridge,
) -> None:
    await bridge.say("tomorrow 15:00 Review")

    reply = await bridge.say("stop 1")

    assert reply.is_error
    assert reply.plain_text() == "The conference is not running now: nothing was changed."
    assert bridge.uow.state.meetings[1].state is LiveState.SCHEDULED
    assert [c.state for c in bridge.backend.conferences.values()] == ["stopped"]


async def test_starting_a_finished_one_time_conference_is_told_so(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    await bridge.say("today 12:00 for 30m Soon")
    bridge.clock.advance(timedelta(hours=3))

    reply = await bridge.say("start 1")

    assert reply.is_error
    assert reply.plain_text() == "The conference has already finished. Schedule a new one."
    assert [c.state for c in bridge.backend.conferences.values()] == ["stopped"]
    assert bridge.uow.state.meetings[1].state is LiveState.SCHEDULED


async def test_invite_and_uninvite(trueconf_bridge: Bridge) -> None:
    bridge = trueconf_bridge
    await bridge.say("now Call")
    conf = next(iter(bridge.backend.conferences.values()))

    reply = await bridge.say("invite 1 @alice @nobody")
    assert conf.invited == ["helen", "alice"]
    assert "being called" in reply.plain_text()  # running: invited into the call too
    assert "invite_now" in bridge.backend.calls
    assert "nobody" in reply.plain_text()

    again = await bridge.say("invite 1 @alice")
    assert "Already invited" in again.plain_text()

    # The server keeps a running conference's invitations as they are.
    refused = await bridge.say("uninvite 1 @alice")
    assert refused.is_error
    assert refused.plain_text() == (
        "The conference is running and cannot be changed now. Stop it first."
    )
    assert conf.invited == ["helen", "alice"]
    await bridge.say("stop 1")

    gone = await bridge.say("uninvite 1 @alice")
    assert "Removed from #1: alice" in gone.plain_text()
    assert conf.invited == ["helen"]
    assert [i.handle for i in bridge.uow.state.meetings[1].invitees] == ["nobody"]


async def test_uninviting_someone_never_invited_says_nothing_changed_for_them(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    await bridge.say("tomorrow 15:00 Review @alice")

    one = await bridge.say("uninvite 1 @bob")
    several = await bridge.say("uninvite 1 @alice @bob @carol")
    await bridge.say("lang ru")
    russian = await bridge.say("убрать 1 @bob")

    assert one.plain_text() == "bob: not on #1's invitations, nothing changed."
    assert several.plain_text().splitlines() == [
        "Removed from #1: alice",
        "bob: not on #1's invitations, nothing changed.",
        "carol: not on #1's invitations, nothing changed.",
    ]
    assert russian.plain_text() == "bob: нет в приглашённых на #1, ничего не изменилось."
    assert bridge.uow.state.meetings[1].invitees == ()


OWNER_NOTE = "helen: the conference's owner, on #1 already; not added to its invitations."


async def test_inviting_the_conferences_owner_says_they_are_on_it_already(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge  # its meetings are owned by helen's login, helen
    await bridge.say("tomorrow 15:00 Review")
    conf = next(iter(bridge.backend.conferences.values()))

    both = await bridge.say("invite 1 @helen @alice")
    alone = await bridge.say("invite 1 @helen")

    assert both.plain_text().splitlines() == ["Invited to #1: alice", OWNER_NOTE]
    assert alone.plain_text() == OWNER_NOTE
    assert not alone.is_error
    assert conf.invited == ["helen", "alice"]
    assert [i.handle for i in bridge.uow.state.meetings[1].invitees] == ["alice"]


async def test_someone_linked_to_the_owners_login_is_the_owner_too(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    linked = await bridge.say("link @alice helen", admin=True)
    assert not linked.is_error, linked.plain_text()
    await bridge.say("tomorrow 15:00 Review")

    reply = await bridge.say("invite 1 @alice")

    assert reply.plain_text() == OWNER_NOTE.replace("helen:", "alice:")
    assert bridge.uow.state.meetings[1].invitees == ()


async def test_a_new_meeting_naming_its_owner_says_they_are_on_it_already(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    reply = await bridge.say("tomorrow 15:00 Review @helen @alice")

    conf = next(iter(bridge.backend.conferences.values()))
    assert conf.spec.invitee_logins == ("alice",)
    assert [i.handle for i in bridge.uow.state.meetings[1].invitees] == ["alice"]
    assert "Invited: alice" in reply.plain_text()
    assert OWNER_NOTE in reply.plain_text().splitlines()


async def test_uninviting_someone_the_server_no_longer_invites_removes_them(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    await bridge.say("tomorrow 15:00 Review @alice")
    [conf] = bridge.backend.conferences.values()
    conf.invited.remove("alice")  # an administrator took her off on the server

    gone = await bridge.say("uninvite 1 @alice")

    assert not gone.is_error, gone.plain_text()
    assert "Removed from #1: alice" in gone.plain_text()
    assert bridge.uow.state.meetings[1].invitees == ()


async def test_inviting_only_unknown_people_says_nobody_was_invited(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    await bridge.say("tomorrow 15:00 Review")
    conf = next(iter(bridge.backend.conferences.values()))

    reply = await bridge.say("invite 1 @nosuchuser")

    assert conf.invited == ["helen"]
    assert reply.is_error
    assert reply.plain_text() == (
        "Nobody found on the server for nosuchuser: not invited to #1. Once they run "
        "/meet link <trueconf login>, invite them again; or they can join as guests: "
        "/meet guest 1"
    )


async def test_a_partly_found_invite_says_who_was_invited_and_who_was_not(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    await bridge.say("язык ru")
    await bridge.say("tomorrow 15:00 Review")
    conf = next(iter(bridge.backend.conferences.values()))

    reply = await bridge.say("пригласить 1 @alice @nosuchuser")

    assert conf.invited == ["helen", "alice"]
    assert not reply.is_error
    lines = reply.plain_text().splitlines()
    assert lines[0] == "Приглашены на #1: alice"
    assert lines[1].startswith("На сервере не найдены nosuchuser: не приглашены на #1.")
    assert not any("nosuchuser" in line for line in lines if line.startswith("Приглашены"))


async def test_guest_link_is_private(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Call")

    reply = await bridge.say('guest 1 "Ian Taylor"')

    assert reply.visibility is Visibility.PRIVATE
    links = next(b for b in reply.blocks if isinstance(b, Links))
    conference_id = next(iter(bridge.backend.conferences))
    assert links.items[0].url.startswith("https://")
    assert conference_id in links.items[0].url


async def test_unknown_meeting_and_usage_are_specific(bridge: Bridge) -> None:
    missing = await bridge.say("info 99")
    assert missing.is_error
    assert "no meeting 99" in missing.plain_text()

    usage = await bridge.say("weekly mon Standup")
    assert usage.is_error
    assert any(isinstance(b, Copyable) and "/meet" in b.values[0] for b in usage.blocks)


async def test_backend_errors_become_sentences_in_the_chat_language(bridge: Bridge) -> None:
    await bridge.say("lang ru")
    bridge.backend.fail_next = BackendError(
        "conferenceLimit", "limit", status=400, refusal=Refusal.CONFERENCE_LIMIT
    )

    reply = await bridge.say("now Call")

    assert reply.is_error
    assert "conferenceLimit" not in reply.plain_text()
    assert any("а" <= ch <= "я" for ch in reply.plain_text())  # Russian


async def test_unexpected_errors_never_leak_a_traceback(bridge: Bridge) -> None:
    bridge.backend.fail_next = RuntimeError("boom secret-token")  # type: ignore[assignment]

    reply = await bridge.say("now Call")

    assert reply.is_error
    assert "boom" not in reply.plain_text()
    assert "Traceback" not in reply.plain_text()
    assert bridge.uow.state.audit[-1][1:3] == ("new", "internal")


async def test_tz_and_lang_are_chat_settings(bridge: Bridge) -> None:
    assert "Asia/Tokyo" in (await bridge.say("tz Asia/Tokyo")).plain_text()
    await bridge.say("tomorrow 15:00 Call")
    spec = next(iter(bridge.backend.conferences.values())).spec
    assert spec.schedule == Once(datetime(2026, 11, 24, 6, 0, tzinfo=UTC), "Asia/Tokyo")

    assert "русский" in (await bridge.say("lang ru")).plain_text()
    listing = (await bridge.say("list")).plain_text()
    assert "Встречи в этом чате" in listing


async def test_link_checks_the_login_exists(bridge: Bridge) -> None:
    refused = await bridge.say("link ghost")
    assert refused.is_error
    assert "no TrueConf user ghost" in refused.plain_text()

    other = await bridge.say("link @bob bob", user="eve")
    assert other.is_error  # linking someone else needs an admin
    assert bridge.uow.state.links == {}

    linked = await bridge.say("link alice", user="al", admin=True)
    assert linked.plain_text() == "You are now linked to TrueConf user alice."
    assert {k: r.login for k, r in bridge.uow.state.links.items()} == {"console:local:al": "alice"}
    unlinked = await bridge.say("unlink", user="al")
    assert unlinked.plain_text() == "Your link to TrueConf is removed."
    assert bridge.uow.state.links == {}
    assert (await bridge.say("unlink", user="al")).plain_text() == "You were not linked."

    by_admin = await bridge.say("link @bob bob", user="root", admin=True)
    assert by_admin.plain_text() == "bob is now linked to TrueConf user bob."
    assert {k: r.login for k, r in bridge.uow.state.links.items()} == {"console:local:bob": "bob"}


async def test_every_command_is_audited(bridge: Bridge) -> None:
    await bridge.say("help")
    await bridge.say("tomorrow 15:00 Call")
    await bridge.say("frobnicate")

    assert [a[1:3] for a in bridge.uow.state.audit] == [
        ("help", "ok"),
        ("new", "ok"),
        ("usage", bridge.uow.state.audit[-1][2]),
    ]


async def test_help_in_both_languages(bridge: Bridge) -> None:
    overview = (await bridge.say("help")).plain_text()
    assert "/meet weekly" in overview
    assert "help." not in overview  # a real text, not a catalog key

    topic = (await bridge.say("help weekly")).plain_text()
    assert "weekdays" in topic

    await bridge.say("lang ru")
    assert "/meet" in (await bridge.say("помощь")).plain_text()
    assert "еженедельно" in (await bridge.say("help weekly")).plain_text().lower()


async def test_owner_is_told_when_dst_will_shift_the_server_rule(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    # Moscow has no DST; a Berlin-based team's rule drifts on 2027-03-28.
    reply = await bridge.say("weekly mon 10:00 Sync", zone="Europe/Berlin")

    notes = [n.plain_text() for n in reply.private_notes]
    assert any("Mon 29 Mar 2027, 10:00 (Europe/Berlin)" in n for n in notes), notes
    assert all(n.visibility is Visibility.PRIVATE for n in reply.private_notes)


async def test_no_dst_note_when_zones_agree(bridge: Bridge) -> None:
    reply = await bridge.say("weekly mon 10:00 Sync")

    assert not any("an hour" in n.plain_text() for n in reply.private_notes)


async def test_app_links_are_copyable_where_custom_schemes_cannot_be_clicked(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    command_input = CommandInput(
        text="tomorrow 15:00 Review", chat=CHAT, user=UserRef("console", "local", "helen")
    )
    reply = await bridge.service.handle(command_input, Capabilities(custom_scheme_links=False))

    clickable = [link.url for b in reply.blocks if isinstance(b, Links) for link in b.items]
    copyable = [v for b in reply.blocks if isinstance(b, Copyable) for v in b.values]
    assert all(url.startswith("https://") for url in clickable)
    assert any(v.startswith("trueconf:") for v in copyable)


async def test_one_line_cannot_flood_the_server_with_lookups(bridge: Bridge) -> None:
    crowd = " ".join(f"@user{n}" for n in range(101))

    reply = await bridge.say(f"now Town hall {crowd}")

    assert reply.is_error
    assert "101 people in one command is too many" in reply.plain_text()
    assert bridge.backend.calls == []


async def test_a_failed_start_removes_the_new_conference(trueconf_bridge: Bridge) -> None:
    bridge = trueconf_bridge
    bridge.backend.running_at_create = False  # so the bridge starts it itself
    bridge.backend.fail_calls["start"] = BackendError("ongoingConferencesLimit", status=400)

    reply = await bridge.say("now Incident")

    assert reply.is_error
    assert bridge.backend.calls == ["create", "start", "delete"]
    assert bridge.backend.conferences == {}
    assert bridge.uow.state.meetings == {}


async def test_a_failed_save_removes_the_new_conference(
    bridge: Bridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def disk_full(_self: object, _meeting: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(fakes._Meetings, "add", disk_full)

    reply = await bridge.say("tomorrow 15:00 Review")

    assert reply.is_error
    assert "could not be saved" in reply.plain_text()
    assert bridge.backend.calls == ["create", "delete"]
    assert bridge.backend.conferences == {}


async def test_a_partly_refused_invite_keeps_what_the_server_holds(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    await bridge.say("tomorrow 15:00 Review")
    conf = next(iter(bridge.backend.conferences.values()))
    bridge.backend.refused_logins["bob"] = BackendError("conferenceMaxInvitationsLimit", status=400)

    reply = await bridge.say("invite 1 @alice @bob @carol")

    assert conf.invited == ["helen", "alice"]
    assert [i.handle for i in bridge.uow.state.meetings[1].invitees] == ["alice"]
    text = reply.plain_text()
    assert "Invited to #1: alice" in text
    assert "Not invited to #1: bob, carol." in text
    assert reply.is_error


async def test_inviting_again_someone_the_server_does_not_know_is_not_already_invited(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    await bridge.say("tomorrow 15:00 Review @zed")

    reply = await bridge.say("invite 1 @zed")

    text = reply.plain_text()
    assert "Already invited" not in text
    assert "Nobody found on the server for zed: not invited to #1" in text
    assert reply.is_error
    assert [i.handle for i in bridge.uow.state.meetings[1].invitees] == ["zed"]


async def test_someone_not_found_before_is_invited_once_the_server_knows_them(
    trueconf_bridge: Bridge,
) -> None:
    bridge = trueconf_bridge
    await bridge.say("tomorrow 15:00 Review @zed")
    conf = next(iter(bridge.backend.conferences.values()))
    await bridge.say("link @zed carol", user="root", admin=True)

    reply = await bridge.say("invite 1 @zed")

    assert conf.invited == ["helen", "carol"]
    assert reply.plain_text() == "Invited to #1: zed"
    invitees = bridge.uow.state.meetings[1].invitees
    assert [(i.handle, i.login) for i in invitees] == [("zed", "carol")]
    shown = (await bridge.say("show 1")).plain_text()
    assert "Not on the server" not in shown
    assert "Already invited" in (await bridge.say("invite 1 @zed")).plain_text()


async def test_someone_not_found_before_who_is_already_invited_by_login_leaves_the_unfound(
    trueconf_bridge: Bridge,
) -> None:
    """Found now to be someone invited under another name: one person, whose
    card no longer names them as not on the server."""
    bridge = trueconf_bridge
    await bridge.say("tomorrow 15:00 Review @zed @carol")
    conf = next(iter(bridge.backend.conferences.values()))
    await bridge.say("link @zed carol", user="root", admin=True)

    reply = await bridge.say("invite 1 @zed")

    assert reply.plain_text() == "Already invited to #1: zed"
    assert conf.invited == ["helen", "carol"]
    invitees = bridge.uow.state.meetings[1].invitees
    assert [(i.handle, i.login) for i in invitees] == [("carol", "carol")]
    assert "Not on the server" not in (await bridge.say("show 1")).plain_text()


async def test_listing_an_instant_meeting_says_it_runs_until_it_is_stopped(
    bridge: Bridge,
) -> None:
    await bridge.say("now Incident")
    running = (await bridge.say("list")).plain_text()
    assert "#1 Incident — started Mon 23 Nov 2026, 11:00 (Europe/Moscow) · running" in running

    await bridge.say("stop 1")

    listing = (await bridge.say("list")).plain_text()
    assert "Incident" not in listing
    assert "Ended: 1. See them with /meet list all" in listing
    everything = (await bridge.say("list all")).plain_text()
    assert "#1 Incident — Mon 23 Nov 2026, 11:00 (Europe/Moscow) (past) · ended" in everything
    assert "started" not in everything


async def test_an_unknown_command_names_it_and_shows_one_example_as_plain_text(
    bridge: Bridge,
) -> None:
    reply = await bridge.say("frobnicate")
    assert reply.visibility is Visibility.PRIVATE
    # The example has no label, so the plain text (notifications, alerts) is
    # the line itself, not ": /meet help".
    assert reply.plain_text() == "I don't know the command “frobnicate”.\n/meet help"


@pytest.mark.parametrize(
    ("line", "rule", "kept"),
    [
        ("weekly mon 10:00 Sync", "weekly, Mon at 07:00 (Europe/London)", "Mon at 10:00"),
        (
            "weekly mon,wed 01:00 Late",
            "weekly, Tue, Sun at 22:00 (Europe/London)",
            "Mon, Wed at 01:00",
        ),
    ],
)
async def test_info_of_a_weekly_meeting_set_in_another_zone_shows_the_readers(
    bridge: Bridge, line: str, rule: str, kept: str
) -> None:
    # It showed "weekly, Mon at 10:00 (Europe/Moscow); next: Mon …, 07:00
    # (Europe/London)": two zones on one line, the rule in the other one.
    await bridge.say(line, zone="Europe/Moscow")
    text = (await bridge.say("info 1", zone="Europe/London")).plain_text()
    when = next(row for row in text.split("\n") if "next:" in row)
    assert f"{rule}; next: " in when
    assert when.endswith(f"(Europe/London) — always {kept} in Europe/Moscow"), when
    assert "(Europe/Moscow)" not in when


async def test_info_of_a_weekly_meeting_in_the_readers_zone_names_it_once_per_time(
    bridge: Bridge,
) -> None:
    await bridge.say("weekly mon 10:00 Sync", zone="Europe/London")
    text = (await bridge.say("info 1", zone="Europe/London")).plain_text()
    assert "always" not in text
    assert "weekly, Mon at 10:00 (Europe/London); next: Mon" in text

"""Two servers side by side: a server without accounts keeps people as mentions,
each chat picks where new meetings go, and a meeting stays on its own server."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.clock import FrozenClock
from bot.context import Defaults, Deps
from bot.reply import Links, Visibility
from bot.service import CommandService
from tests.fakes import FakeBackend, FakeCallaba, FakeDirectory, MemoryUnitOfWorkFactory
from tests.unit.core.conftest import NOW, USERS, Bridge

pytestmark = pytest.mark.timeout(30)


async def test_people_are_mentions_on_a_server_without_accounts(callaba_bridge: Bridge) -> None:
    bridge = callaba_bridge
    reply = await bridge.say("now Incident @alice @zed")

    text = reply.plain_text()
    assert "Invited: alice, zed" in text
    assert "Not on the server" not in text
    assert "/meet link" not in text
    conf = next(iter(bridge.backend.conferences.values()))
    assert conf.spec.invitee_logins == ()
    assert conf.spec.owner_login == ""
    assert conf.state == "running"  # created open: no separate start
    assert bridge.backend.calls == ["create"]
    stored = bridge.uow.state.meetings[1]
    assert [(i.handle, i.login) for i in stored.invitees] == [("alice", ""), ("zed", "")]
    directory = bridge.service._deps.directory
    assert isinstance(directory, FakeDirectory)
    assert directory.lookups == []  # no user lookups for a server without accounts


async def test_invite_and_uninvite_change_only_the_mentions(callaba_bridge: Bridge) -> None:
    bridge = callaba_bridge
    await bridge.say("now Call @alice")

    added = await bridge.say("invite 1 @bob @carol")
    assert not added.is_error
    assert "Invited to #1: bob, carol" in added.plain_text()
    assert "being called" not in added.plain_text()
    again = await bridge.say("invite 1 @bob")
    assert "Already invited to #1: bob" in again.plain_text()
    gone = await bridge.say("uninvite 1 @alice")
    assert "Removed from #1: alice" in gone.plain_text()

    assert [i.handle for i in bridge.uow.state.meetings[1].invitees] == ["bob", "carol"]
    assert bridge.backend.calls == ["create"]  # nothing asked of the server


async def test_a_server_without_guest_links_is_not_asked_and_the_reply_says_so(
    callaba_bridge: Bridge,
) -> None:
    bridge = callaba_bridge
    bridge.backend.guests = None
    await bridge.say("tomorrow 15:00 Call")

    reply = await bridge.say("guest 1")

    assert reply.is_error
    assert "Meeting #1 is on callaba, which gives no guest links." in reply.plain_text()
    assert bridge.backend.calls == ["create"]  # asked nothing it lacks


async def test_card_has_the_view_only_link_and_nothing_callaba_lacks(
    callaba_bridge: Bridge,
) -> None:
    reply = await callaba_bridge.say("tomorrow 15:00 Review")

    cid = next(iter(callaba_bridge.backend.conferences))
    links = [
        (link.label, link.url) for b in reply.blocks if isinstance(b, Links) for link in b.items
    ]
    assert links == [
        ("Join in browser", f"https://rooms.test/conferences/{cid}"),
        ("Watch only (view mode)", f"https://rooms.test/conferences-view-mode/{cid}"),
    ]
    text = reply.plain_text()
    for absent in ("SIP", "H.323", "trueconf:", "intent:", "Conference page", "PIN"):
        assert absent not in text, absent
    assert reply.private_notes == ()  # no PIN, no server-zone drift to tell about
    assert callaba_bridge.backend.conferences[cid].state == "stopped"  # the bridge opens it


async def test_weekly_on_a_server_without_schedules_has_no_drift_note(
    callaba_bridge: Bridge,
) -> None:
    reply = await callaba_bridge.say("weekly mon 10:00 Sync", zone="Europe/Berlin")

    assert reply.private_notes == ()


async def test_guest_link_lasts_on_callaba(callaba_bridge: Bridge) -> None:
    await callaba_bridge.say("tomorrow 15:00 Call")

    reply = await callaba_bridge.say("guest 1")

    assert reply.visibility is Visibility.PRIVATE
    assert "anyone with it can join" in reply.plain_text()
    assert "one minute" not in reply.plain_text()


async def test_start_and_stop_switch_the_room(callaba_bridge: Bridge) -> None:
    await callaba_bridge.say("tomorrow 15:00 Call")
    conf = next(iter(callaba_bridge.backend.conferences.values()))

    assert "started" in (await callaba_bridge.say("start 1")).plain_text()
    assert conf.state == "running"
    assert "stopped" in (await callaba_bridge.say("stop 1")).plain_text()
    assert conf.state == "stopped"


# ---- two servers -------------------------------------------------------------


class Both:
    def __init__(self, *, directory: bool = True, default: str = "trueconf") -> None:
        self.trueconf = FakeBackend("trueconf", pin="4321")
        self.callaba = FakeCallaba("callaba")
        self.uow = MemoryUnitOfWorkFactory()
        deps = Deps(
            backends={"trueconf": self.trueconf, "callaba": self.callaba},
            default_backend=default,
            directory=FakeDirectory(USERS) if directory else None,
            uow=self.uow,
            clock=FrozenClock(NOW),
            defaults=Defaults("Europe/Moscow", "en", timedelta(hours=1), "helen", "Europe/Moscow"),
        )
        self.bridge = Bridge(CommandService(deps), self.trueconf, self.uow, FrozenClock(NOW))


async def test_each_chat_chooses_and_meetings_stay_on_their_server() -> None:
    both = Both()
    say = both.bridge.say

    assert "go to trueconf" in (await say("backend")).plain_text()
    await say("tomorrow 15:00 On TrueConf @alice")
    chosen = await say("backend callaba")
    assert "New meetings in this chat go to callaba" in chosen.plain_text()
    await say("tomorrow 16:00 On Callaba @alice")

    assert len(both.trueconf.conferences) == 1
    assert len(both.callaba.conferences) == 1
    listing = (await say("list")).plain_text()
    on_trueconf = "#1 On TrueConf — Tue 24 Nov 2026, 15:00 (Europe/Moscow) · scheduled · trueconf"
    assert on_trueconf in listing
    assert "#2 On Callaba — Tue 24 Nov 2026, 16:00 (Europe/Moscow) · scheduled · callaba" in listing

    # The first meeting is still TrueConf's: info, invite and cancel go there.
    await say("info 1")
    assert both.trueconf.calls[-1] == "get"
    await say("invite 1 @bob")
    assert next(iter(both.trueconf.conferences.values())).invited == ["helen", "alice", "bob"]
    await say("cancel 1")
    assert both.trueconf.conferences == {}
    assert len(both.callaba.conferences) == 1
    assert "add_invitations" not in both.callaba.calls


async def test_backend_choice_in_russian_and_bad_names() -> None:
    both = Both()
    say = both.bridge.say

    await say("lang ru")
    done = await say("сервер callaba")
    assert "callaba" in done.plain_text()
    assert both.uow.state.settings["console:local:room"].backend == "callaba"

    unknown = await say("backend zoom")
    assert unknown.is_error
    assert "zoom" in unknown.plain_text()
    assert "trueconf, callaba" in unknown.plain_text()

    usage = await say("backend 42")
    assert usage.is_error
    assert "/meet сервер callaba" in usage.plain_text()

    extra = await say("backend callaba now")
    assert extra.is_error


async def test_a_removed_server_is_named_not_used() -> None:
    both = Both()
    await both.bridge.say("backend callaba")
    await both.bridge.say("tomorrow 15:00 Review")
    deps = both.bridge.service._deps
    only_trueconf = replace(deps, backends={"trueconf": both.trueconf})
    service = CommandService(only_trueconf)
    bridge = Bridge(service, both.trueconf, both.uow, both.bridge.clock)

    reply = await bridge.say("info 1")

    assert reply.is_error
    assert (
        "The server callaba is not configured here. Servers here: trueconf." in reply.plain_text()
    )
    created = await bridge.say("tomorrow 16:00 Another")
    assert created.is_error  # the chat's choice is gone: say so rather than guess
    assert both.trueconf.conferences == {}


async def test_without_a_directory_link_says_why() -> None:
    both = Both(directory=False, default="callaba")

    reply = await both.bridge.say("link alice")

    assert reply.is_error
    assert "nothing to link to" in reply.plain_text()


async def test_help_names_the_backend_command() -> None:
    both = Both()

    assert "backend trueconf|callaba" in (await both.bridge.say("help")).plain_text()
    topic = (await both.bridge.say("help backend")).plain_text()
    assert "/meet backend callaba" in topic

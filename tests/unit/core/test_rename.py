"""``/meet rename <id> <topic>`` on both shapes of server."""

from __future__ import annotations

import pytest

from tests.unit.core.conftest import Bridge


async def test_rename_changes_the_topic_on_the_server_and_in_the_bridge(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Sync @alice")
    conference_id = next(iter(bridge.backend.conferences))

    reply = await bridge.say("rename 1 Quarterly review")

    assert reply.plain_text() == "Meeting #1 “Sync” is now “Quarterly review”."
    assert bridge.backend.calls[-1] == "edit"
    assert bridge.backend.conferences[conference_id].spec.topic == "Quarterly review"
    assert bridge.uow.state.meetings[1].topic == "Quarterly review"
    assert "Quarterly review" in (await bridge.say("list")).plain_text()


async def test_rename_in_russian(bridge: Bridge) -> None:
    await bridge.say("язык ru")
    await bridge.say("завтра 15:00 Синк")
    reply = await bridge.say("переименовать 1 Квартальный обзор")
    assert reply.plain_text() == "Встреча #1 «Синк» теперь называется «Квартальный обзор»."
    assert bridge.uow.state.meetings[1].topic == "Квартальный обзор"


async def test_only_the_creator_or_an_admin_may_rename(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Mine", user="helen")
    refused = await bridge.say("rename 1 Theirs", user="mallory")
    assert refused.is_error
    assert bridge.uow.state.meetings[1].topic == "Mine"
    assert "edit" not in bridge.backend.calls


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("rename", "needs a meeting after it"),
        ("rename 1", "what is the new topic?"),
        ("rename 1 " + "x" * 241, "the limit is 240"),
        ("rename 99 New", "99"),
    ],
)
async def test_what_is_wrong_is_named(bridge: Bridge, line: str, says: str) -> None:
    await bridge.say("tomorrow 15:00 Sync")
    reply = await bridge.say(line)
    assert reply.is_error
    assert says in reply.plain_text()
    assert bridge.uow.state.meetings[1].topic == "Sync"

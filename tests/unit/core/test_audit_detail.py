"""An audit line about a meeting names it (number, server, conference), so an
admin reading ``meetbridge audit tail`` knows which meeting it is about; it
never carries the topic, a PIN or a guest link."""

from __future__ import annotations

from tests.unit.core.conftest import Bridge


def _about(bridge: Bridge) -> list[tuple[str, str, str]]:
    return [(command, outcome, detail) for _, command, outcome, _, detail in bridge.uow.state.audit]


async def test_meeting_commands_name_the_meeting_in_the_audit(bridge: Bridge) -> None:
    await bridge.say("now Secret plans")  # the fake TrueConf gives PIN 4321
    [conference_id] = bridge.backend.conferences
    named = f"#1 {bridge.backend.name} conference {conference_id}"
    for line in ("info 1", "guest 1", "start 1", "stop 1", "edit 1 25.11 16:30", "cancel 1"):
        await bridge.say(line)
    await bridge.say("stop 1")  # refused, as cancelled: still about meeting 1
    await bridge.say("info 9")  # no such meeting: nothing to name

    trail = _about(bridge)
    assert [(c, d) for c, _, d in trail[:7]] == [
        ("new", named),
        ("info", named),
        ("guest", named),
        ("start", named),
        ("stop", named),
        ("edit", named),
        ("cancel", named),
    ]
    assert trail[7] == ("stop", "error.was_cancelled", named)
    assert trail[8] == ("info", "error.meeting_not_found", "")
    for _, _, detail in trail:
        for private in ("Secret", "4321", "https:"):  # the topic, the PIN, any link
            assert private not in detail


async def test_an_invitation_names_the_meeting_in_the_audit(bridge: Bridge) -> None:
    await bridge.say("tomorrow 15:00 Review")
    [conference_id] = bridge.backend.conferences

    await bridge.say("invite 1 @alice")
    await bridge.say("uninvite 1 @alice")

    named = f"#1 {bridge.backend.name} conference {conference_id}"
    assert [(c, d) for c, _, d in _about(bridge)] == [
        ("new", named),
        ("invite", named),
        ("uninvite", named),
    ]

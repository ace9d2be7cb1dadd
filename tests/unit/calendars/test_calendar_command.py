"""``/meet calendar``: what each messenger is handed, with and without a
public URL, and the file that follows the meeting's edits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Event

from bot.calendars.files import CalendarFiles
from bot.chat import ChatRef, UserRef
from bot.commands import CommandInput
from bot.context import Deps
from bot.meeting import DirectoryUser, Meeting
from bot.reply import Capabilities, Copyable, File, Links, Reply, Text
from bot.service import CommandService
from tests.fakes import FakeBackend, FakeCallaba, fake_deps
from tests.support.ics import only_event

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
CHAT = ChatRef("console", "local", "room")
TELEGRAM = Capabilities(buttons=True, file_upload=True)
SLACK = Capabilities(ephemeral=True, buttons=True)
CONSOLE = Capabilities(custom_scheme_links=True)


class Feeds:
    def ics_url(self, meeting: Meeting) -> str:
        return f"https://bridge.example.com/ics/{meeting.id}-{'a' * 32}.ics"


def _deps(backend: FakeBackend, *, feeds: Feeds | None) -> Deps:
    return fake_deps(
        backend,
        [DirectoryUser("helen", "Helen")],
        NOW,
        calendar_host="bridge.example.com",
        feeds=feeds,
    )


async def _say(service: CommandService, text: str, capabilities: Capabilities) -> Reply:
    user = UserRef("console", "local", "helen", "helen")
    return await service.handle(CommandInput(text=text, chat=CHAT, user=user), capabilities)


def _links(reply: Reply) -> dict[str, str]:
    return {link.label: link.url for b in reply.blocks if isinstance(b, Links) for link in b.items}


@pytest.mark.parametrize("backend", [FakeBackend("trueconf"), FakeCallaba("callaba")])
async def test_with_a_public_url_every_messenger_gets_links_and_the_subscription(
    backend: FakeBackend,
) -> None:
    service = CommandService(_deps(backend, feeds=Feeds()))
    await _say(service, "weekly mon,wed 10:00 for 30m Standup", SLACK)
    before = list(backend.calls)
    reply = await _say(service, "calendar 1", SLACK)
    assert backend.calls == before  # made by the bridge, not asked of the server
    links = _links(reply)
    assert links["Google Calendar"].startswith("https://calendar.google.com/")
    assert "addfromweb" in links["Outlook (Microsoft 365)"]
    assert links["Outlook.com"].startswith("https://outlook.live.com/")
    assert links["Calendar file (.ics)"] == "https://bridge.example.com/ics/1-" + "a" * 32 + ".ics"
    [subscribe] = [b for b in reply.blocks if isinstance(b, Copyable)]
    assert subscribe.values == ("webcal://bridge.example.com/ics/1-" + "a" * 32 + ".ics",)

    console = await _say(service, "calendar 1", CONSOLE)  # custom schemes are clickable there
    assert any(url.startswith("webcal://") for url in _links(console).values())


async def test_without_a_public_url_the_reply_says_what_the_file_link_needs() -> None:
    service = CommandService(_deps(FakeBackend("trueconf"), feeds=None))
    await _say(service, "weekly mon 10:00 Standup", SLACK)
    reply = await _say(service, "calendar 1", SLACK)
    links = _links(reply)
    assert set(links) == {"Google Calendar"}  # no Outlook link that would lose the rule
    [note] = [b for b in reply.blocks if isinstance(b, Text)]
    assert "PUBLIC_URL" in note.text
    assert note.text.endswith("The links above work without it.")  # whichever are shown


async def test_a_messenger_that_uploads_gets_the_file_itself() -> None:
    service = CommandService(_deps(FakeBackend("trueconf"), feeds=None))
    await _say(service, "tomorrow 15:00 Design review", TELEGRAM)
    reply = await _say(service, "calendar 1", TELEGRAM)
    [file] = [b for b in reply.blocks if isinstance(b, File)]
    assert file.name == "Design review.ics"
    assert file.media_type == "text/calendar"
    assert only_event(file.content).summary == "Design review"
    # Outlook's compose link suits a one-time meeting.
    assert any("deeplink/compose" in url for url in _links(reply).values())
    assert not any(isinstance(b, Text) for b in reply.blocks)


async def test_the_served_file_follows_edits_and_cancellation() -> None:
    deps = _deps(FakeBackend("trueconf"), feeds=Feeds())
    service = CommandService(deps)
    files = CalendarFiles(deps)
    await _say(service, "weekly tue 09:00 Planning", SLACK)

    async def served() -> Event:
        file = await files.file_of(1)
        assert file is not None
        return only_event(file.content)

    created = await served()
    assert created.sequence == 0
    assert created.walk("VALARM")[0].decoded("TRIGGER") == -timedelta(minutes=10)

    await _say(service, "remind 1 1h", SLACK)
    edited = await served()
    assert edited.sequence > created.sequence
    assert edited.uid == created.uid
    assert edited.walk("VALARM")[0].decoded("TRIGGER") == -timedelta(hours=1)

    await _say(service, "cancel 1", SLACK)
    cancelled = await served()
    assert cancelled.status == "CANCELLED"
    assert cancelled.sequence > edited.sequence
    assert await files.file_of(2) is None


async def test_a_meeting_started_at_once_has_no_calendar() -> None:
    deps = _deps(FakeBackend("trueconf"), feeds=Feeds())
    service = CommandService(deps)
    await _say(service, "now Incident", SLACK)
    reply = await _say(service, "calendar 1", SLACK)
    assert reply.is_error
    assert await CalendarFiles(deps).file_of(1) is None

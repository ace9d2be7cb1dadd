"""The meeting card: everything a reply about one meeting carries."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot import formatting
from bot.chat import Lang
from bot.commands import CancelMeeting, Command, GuestLink, MeetingCalendar
from bot.context import Request
from bot.i18n import Translator
from bot.meeting import BackendFeatures, JoinInfo, LiveState, Meeting
from bot.reply import (
    Action,
    ActionKind,
    Actions,
    Block,
    Copyable,
    Field,
    Fields,
    Link,
    LinkContext,
    LinkKind,
    Links,
    Reply,
    Text,
    Title,
    Tone,
    Visibility,
)
from bot.schedule import Instant, Once, Weekly
from bot.states import current_state
from bot.timerules import next_start

# How long after a meeting's end its app links still open the app.
LINK_MARGIN = timedelta(hours=2)
# A meeting without a duration is taken to last this long for its links.
_LINK_DURATION = timedelta(hours=4)


def when_text(meeting: Meeting, *, t: Translator, zone: str, lang: Lang, now: datetime) -> str:
    """The start in the reader's zone; for weekly meetings the rule and the next one."""
    schedule = meeting.schedule
    ended = current_state(meeting, now) is LiveState.ENDED
    match schedule:
        case Instant():
            started = formatting.when(meeting.created_at, zone, lang)
            return t("card.past" if ended else "card.started_at", when=started)
        case Once(start=start):
            text = formatting.when(start, zone, lang)
            return t("card.past", when=text) if ended else text
        case Weekly():
            upcoming = next_start(schedule, now)
            assert upcoming is not None
            return t(
                "card.next",
                rule=formatting.weekly_rule(schedule, t),
                next=formatting.when(upcoming, zone, lang),
            )


def describe_when(meeting: Meeting, request: Request) -> str:
    return when_text(meeting, t=request.t, zone=request.zone, lang=request.lang, now=request.now)


def link_expiry(meeting: Meeting, now: datetime) -> datetime:
    """Until when the meeting's app links open the app: its end plus a margin;
    for a weekly meeting, the end of the occurrence now running or next."""
    duration = meeting.duration or _LINK_DURATION
    match meeting.schedule:
        case Instant():
            end = max(meeting.created_at + duration, now)
        case Once(start=start):
            end = start + duration
        case Weekly() as rule:
            upcoming = next_start(rule, now - duration)
            assert upcoming is not None
            end = upcoming + duration
    return end + LINK_MARGIN


def app_links(
    app_deeplink: str,
    android_intent: str,
    request: Request,
    about: LinkContext | None = None,
) -> tuple[list[Link], list[Copyable]]:
    """The ``trueconf:`` and ``intent:`` links: clickable where the messenger can
    open custom schemes, otherwise shown to copy."""
    t = request.t
    links: list[Link] = []
    copyables: list[Copyable] = []
    for label, url, kind in (
        (t("card.app"), app_deeplink, LinkKind.APP),
        (t("card.android"), android_intent, LinkKind.ANDROID),
    ):
        if not url:
            continue
        if request.capabilities.custom_scheme_links:
            links.append(Link(label, url, kind, about))
        else:
            copyables.append(Copyable(label, (url,)))
    return links, copyables


def link_context(meeting: Meeting, request: Request) -> LinkContext | None:
    if meeting.id is None:
        return None
    return LinkContext(meeting.id, link_expiry(meeting, request.now), request.lang)


def _join_links(
    join: JoinInfo, request: Request, about: LinkContext | None = None
) -> tuple[tuple[Link, ...], tuple[Copyable, ...]]:
    t = request.t
    links: list[Link] = []
    if join.page_url:
        links.append(Link(t("card.page"), join.page_url, LinkKind.PAGE))
    if join.browser_url:
        links.append(Link(t("card.browser"), join.browser_url, LinkKind.BROWSER))
    if join.view_url:
        links.append(Link(t("card.view_only"), join.view_url, LinkKind.BROWSER))
    app, copyables = app_links(join.app_deeplink, join.android_intent, request, about)
    links.extend(app)
    if join.sip:
        copyables.append(Copyable(t("card.sip"), join.sip))
    if join.sip_external:
        copyables.append(Copyable(t("card.sip_external"), (join.sip_external,)))
    if join.h323:
        copyables.append(Copyable(t("card.h323"), join.h323))
    return tuple(links), tuple(copyables)


def card_actions(
    meeting: Meeting, request: Request, features: BackendFeatures, *, may_cancel: bool = True
) -> tuple[Action, ...]:
    """What a meeting's card (or its line in a list) offers: the one place that
    decides it, from the meeting (one started at once has no calendar), its
    server's features (guest links) and the messenger's capabilities (without
    buttons only the join link). ``may_cancel``: offer cancelling (a list of
    the person's meetings offers it on their own only)."""
    t = request.t
    number = meeting.id
    assert number is not None
    ref = str(number)
    offered = [Action(ActionKind.JOIN, t("card.action.join"), number)]
    if not request.capabilities.buttons:
        return tuple(offered)

    def press(kind: ActionKind, command: Command) -> None:
        offered.append(Action(kind, t(f"card.action.{kind.value}"), number, command=command))

    if not isinstance(meeting.schedule, Instant):
        press(ActionKind.CALENDAR, MeetingCalendar(ref))
    if features.guests:
        press(ActionKind.GUEST, GuestLink(ref))
    if may_cancel:
        press(ActionKind.CANCEL, CancelMeeting(ref))
    return tuple(offered)


def meeting_card(
    meeting: Meeting, request: Request, features: BackendFeatures, *, headline: str = ""
) -> Reply:
    """``features``: its server's; without accounts the invitees are chat
    mentions and nobody is "not on the server"."""
    t = request.t
    accounts = features.accounts
    assert meeting.id is not None
    blocks: list[Block] = []
    if headline:
        blocks.append(Text(headline, Tone.MUTED))
    blocks.append(Title(meeting.topic))
    fields = [Field(t("card.when"), describe_when(meeting, request))]
    if meeting.duration is not None:
        fields.append(Field(t("card.duration"), formatting.duration(meeting.duration, t)))
    fields.append(Field(t("card.conference_id"), meeting.conference_id))
    mapped = [i.handle for i in meeting.invitees if i.mapped or not accounts]
    unmapped = [i.handle for i in meeting.invitees if not i.mapped and accounts]
    fields.append(Field(t("card.invited"), ", ".join(mapped) if mapped else t("card.nobody")))
    if unmapped:
        fields.append(Field(t("card.unmapped"), ", ".join(unmapped)))
    blocks.append(Fields(tuple(fields)))
    if unmapped:
        hint = t("card.unmapped_hint", names=", ".join(unmapped), id=meeting.id)
        blocks.append(Text(hint, Tone.MUTED))
    links, copyables = _join_links(meeting.join, request, link_context(meeting, request))
    if links:
        blocks.append(Links(links))
    blocks.extend(copyables)
    blocks.append(Actions(card_actions(meeting, request, features)))
    return Reply(tuple(blocks))


def state_text(meeting: Meeting, t: Translator, now: datetime) -> str:
    """Scheduled, running (with how many are in, when known) or ended."""
    state = current_state(meeting, now)
    if state is LiveState.RUNNING and meeting.people_in is not None:
        return t("state.running_in", count=meeting.people_in)
    return t(f"state.{state.value}")


def list_line(meeting: Meeting, request: Request) -> str:
    assert meeting.id is not None
    return request.t(
        "list.item",
        id=meeting.id,
        topic=meeting.topic,
        when=describe_when(meeting, request),
        state=state_text(meeting, request.t, request.now),
        backend=meeting.backend,
    )


def join_blocks(
    join: JoinInfo, request: Request, about: LinkContext | None = None
) -> tuple[Block, ...]:
    """Every way to join, as link and copyable blocks (reminders carry them)."""
    links, copyables = _join_links(join, request, about)
    return ((Links(links),) if links else ()) + copyables


def pin_note(meeting: Meeting, pin: str, request: Request) -> Reply:
    """The PIN, for the creator alone: it is never posted to the chat."""
    return Reply((Text(request.t("card.pin", id=meeting.id, pin=pin)),), Visibility.PRIVATE)

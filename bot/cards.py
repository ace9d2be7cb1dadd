"""The meeting card: everything a reply about one meeting carries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot import formatting
from bot.audience import Audience
from bot.card_buttons import CardButton, Offer
from bot.chat import Lang
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
from bot.states import begun_ahead_of, current_state, start_shown
from bot.timerules import next_start

# How long after a meeting's end its app links still open the app.
LINK_MARGIN = timedelta(hours=2)
# A meeting without a duration is taken to last this long for its links.
_LINK_DURATION = timedelta(hours=4)


def when_text(meeting: Meeting, *, t: Translator, zone: str, lang: Lang, now: datetime) -> str:
    """The start in the reader's zone; for weekly meetings the rule and the next one."""
    schedule = meeting.schedule
    ended = current_state(meeting, now) is LiveState.ENDED
    start = start_shown(meeting, now)
    text = formatting.when(start, zone, lang)
    if meeting.state_since is not None and begun_ahead_of(meeting, start, now):
        # Its time is still ahead, yet it runs: say when it was started.
        since = formatting.when(meeting.state_since, zone, lang)
        text = t("card.begun_early", when=text, since=since)
    match schedule:
        case Instant():
            return t("card.past" if ended else "card.started_at", when=text)
        case Once():
            # Stopped before its start: ended, yet its time is not past.
            return t("card.past", when=text) if ended and start <= now else text
        case Weekly():
            if schedule.zone == zone:
                return t("card.next", rule=formatting.weekly_rule(schedule, t), next=text)
            # Its times in the reader's zone alone; the zone it keeps said apart.
            here = formatting.weekly_seen_from(schedule, start, zone)
            return t(
                "card.kept_in",
                text=t("card.next", rule=formatting.weekly_rule(here, t), next=text),
                days=formatting.day_list(schedule.days, t),
                time=f"{schedule.at:%H:%M}",
                zone=schedule.zone,
            )


def describe_when(meeting: Meeting, audience: Audience) -> str:
    return when_text(
        meeting, t=audience.t, zone=audience.zone, lang=audience.lang, now=audience.now
    )


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
    audience: Audience,
    about: LinkContext | None = None,
) -> tuple[list[Link], list[Copyable]]:
    """The ``trueconf:`` and ``intent:`` links: clickable where the messenger can
    open custom schemes, otherwise shown to copy."""
    t = audience.t
    links: list[Link] = []
    copyables: list[Copyable] = []
    for label, url, kind in (
        (t("card.app"), app_deeplink, LinkKind.APP),
        (t("card.android"), android_intent, LinkKind.ANDROID),
    ):
        if not url:
            continue
        if audience.capabilities.custom_scheme_links:
            links.append(Link(label, url, kind, about))
        else:
            copyables.append(Copyable(label, (url,)))
    return links, copyables


def link_context(meeting: Meeting, audience: Audience) -> LinkContext | None:
    if meeting.id is None:
        return None
    return LinkContext(meeting.id, link_expiry(meeting, audience.now), audience.lang)


def _join_links(
    join: JoinInfo, audience: Audience, about: LinkContext | None = None
) -> tuple[tuple[Link, ...], tuple[Copyable, ...]]:
    t = audience.t
    links: list[Link] = []
    if join.page_url:
        links.append(Link(t("card.page"), join.page_url, LinkKind.PAGE))
    if join.browser_url:
        links.append(Link(t("card.browser"), join.browser_url, LinkKind.BROWSER))
    if join.view_url:
        links.append(Link(t("card.view_only"), join.view_url, LinkKind.BROWSER))
    app, copyables = app_links(join.app_deeplink, join.android_intent, audience, about)
    links.extend(app)
    if join.sip:
        copyables.append(Copyable(t("card.sip"), join.sip))
    if join.sip_external:
        copyables.append(Copyable(t("card.sip_external"), (join.sip_external,)))
    if join.h323:
        copyables.append(Copyable(t("card.h323"), join.h323))
    return tuple(links), tuple(copyables)


def card_actions(
    meeting: Meeting,
    audience: Audience,
    features: BackendFeatures,
    buttons: Sequence[CardButton],
    *,
    may_change: bool = True,
) -> tuple[Action, ...]:
    """What a meeting's card (or its line in a list) offers: the one place that
    decides it, from the meeting, its server's features and the messenger's
    capabilities (without buttons only the join link). ``buttons``: every
    command's card button (the catalogue's); each is offered when its own
    condition holds; an ended meeting offers no join. ``may_change``: offer
    changes (a list of the person's meetings offers them on their own only)."""
    t = audience.t
    number = meeting.id
    assert number is not None
    # An ended meeting has no room to join.
    ended = current_state(meeting, audience.now) is LiveState.ENDED
    offered = [] if ended else [Action(ActionKind.JOIN, t("card.action.join"), number)]
    if not audience.capabilities.buttons:
        return tuple(offered)
    offer = Offer(meeting, features, may_change)
    ref = str(number)
    offered += [
        Action(b.kind, t(b.label), number, command=b.command(ref), confirm=b.confirm)
        for b in buttons
        if b.offered(offer)
    ]
    return tuple(offered)


def meeting_card(
    meeting: Meeting,
    audience: Audience,
    features: BackendFeatures,
    buttons: Sequence[CardButton],
    *,
    headline: str = "",
) -> Reply:
    """``features``: its server's; without accounts the invitees are chat
    mentions and nobody is "not on the server". ``buttons``: see ``card_actions``."""
    t = audience.t
    accounts = features.accounts
    assert meeting.id is not None
    blocks: list[Block] = []
    if headline:
        blocks.append(Text(headline, Tone.MUTED))
    blocks.append(Title(meeting.topic))
    fields = [Field(t("card.when"), describe_when(meeting, audience))]
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
    links, copyables = _join_links(meeting.join, audience, link_context(meeting, audience))
    if links:
        blocks.append(Links(links))
    blocks.extend(copyables)
    blocks.append(Actions(card_actions(meeting, audience, features, buttons)))
    return Reply(tuple(blocks))


def state_text(meeting: Meeting, t: Translator, now: datetime) -> str:
    """Scheduled, running (with how many are in, when known) or ended."""
    state = current_state(meeting, now)
    if state is LiveState.RUNNING and meeting.people_in is not None:
        return t("state.running_in", count=meeting.people_in)
    return t(f"state.{state.value}")


def list_line(meeting: Meeting, audience: Audience) -> str:
    assert meeting.id is not None
    return audience.t(
        "list.item",
        id=meeting.id,
        topic=meeting.topic,
        when=describe_when(meeting, audience),
        state=state_text(meeting, audience.t, audience.now),
        backend=meeting.backend,
    )


def join_blocks(
    join: JoinInfo, audience: Audience, about: LinkContext | None = None
) -> tuple[Block, ...]:
    """Every way to join, as link and copyable blocks (reminders carry them)."""
    links, copyables = _join_links(join, audience, about)
    return ((Links(links),) if links else ()) + copyables


def pin_note(meeting: Meeting, pin: str, audience: Audience) -> Reply:
    """The PIN, for the creator alone: it is never posted to the chat."""
    return Reply((Text(audience.t("card.pin", id=meeting.id, pin=pin)),), Visibility.PRIVATE)

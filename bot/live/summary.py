"""What the chat gets when a meeting ends: when it began, how long it lasted,
who joined (guests counted), and its recording where the server keeps one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot import formatting
from bot.audience import Audience
from bot.i18n import Translator
from bot.live.model import CallLog, LiveRecord, Participant, Recording
from bot.meeting import Meeting
from bot.reply import Block, Field, Fields, Link, LinkKind, Links, Reply, Title


def guests_text(count: int, t: Translator) -> str:
    """Guests are counted, not named: "1 guest", "2 guests"."""
    return t("live.guest") if count == 1 else t("live.guests", count=count)


def joined_text(people: Sequence[Participant], request: Audience) -> str:
    t = request.t
    names = sorted({p.name for p in people if not p.guest}, key=str.casefold)
    guests = len({p.name for p in people if p.guest})
    parts = list(names)
    if guests:
        parts.append(guests_text(guests, t))
    return ", ".join(parts) if parts else t("summary.nobody")


def summary_reply(
    meeting: Meeting,
    record: LiveRecord,
    calls: Sequence[CallLog],
    recordings: Sequence[Recording],
    request: Audience,
) -> Reply:
    """From the server's call logs when it has them (the sessions of this
    run), else from what the bridge itself saw while it watched."""
    t = request.t
    ended = request.now
    started = record.running_since
    people: tuple[Participant, ...] = record.seen
    if calls:
        first, last = calls[0], calls[-1]
        started = first.started or started
        ended = last.ended or ended
        people = tuple(p for call in calls for p in call.participants)
    fields: list[Field] = []
    if started is not None:
        fields.append(
            Field(t("summary.started"), formatting.when(started, request.zone, request.lang))
        )
        lasted = max(ended - started, timedelta(0))
        minutes = max(1, round(lasted.total_seconds() / 60))
        fields.append(
            Field(t("summary.duration"), formatting.duration(timedelta(minutes=minutes), t))
        )
    fields.append(Field(t("summary.joined"), joined_text(people, request)))
    links: list[Link] = []
    for recording in _this_run(recordings, started):
        if recording.url:
            links.append(
                Link(f"{t('summary.recording')}: {recording.name}", recording.url, LinkKind.PAGE)
            )
        else:
            private = t("summary.recording_private", name=recording.name)
            fields.append(Field(t("summary.recording"), private))
    blocks: list[Block] = [
        Title(t("summary.title", id=meeting.id, topic=meeting.topic)),
        Fields(tuple(fields)),
    ]
    if links:
        blocks.append(Links(tuple(links)))
    return Reply(tuple(blocks))


def _this_run(recordings: Sequence[Recording], started: datetime | None) -> list[Recording]:
    """Recordings made since the run began (a recording without a date counts)."""
    if started is None:
        return list(recordings)
    margin = timedelta(minutes=1)
    return [r for r in recordings if r.created is None or r.created >= started - margin]

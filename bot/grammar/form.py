"""A form's new meeting, checked as a typed line is: a time that has passed or
does not exist in the person's zone, a duration out of range and a topic too
long get the grammar's own answers."""

from __future__ import annotations

from datetime import timedelta

from bot.commands import MeetingForm, NewMeeting
from bot.grammar import keys
from bot.grammar.context import Context
from bot.grammar.durations import MAX_MINUTES, MIN_MINUTES
from bot.grammar.errors import GrammarError
from bot.grammar.tail import MAX_TOPIC, clean_text, first_words
from bot.grammar.tokens import clean_line
from bot.schedule import Once, Schedule, Weekly


def read_form(form: MeetingForm, ctx: Context) -> NewMeeting:
    schedule: Schedule
    if form.day is not None:
        when = f"{form.day.isoformat()} {form.at:%H:%M}"
        schedule = Once(ctx.to_utc(form.day, form.at, keys.EX_ONCE, word=when), ctx.zone)
        ctx.tz(keys.EX_ONCE)
    elif form.days:
        ctx.tz(keys.EX_WEEKLY)
        schedule = Weekly(form.days, form.at.replace(tzinfo=None), ctx.zone)
    else:
        raise GrammarError(keys.MISSING_DAYS, keys.EX_WEEKLY, word="weekly")
    duration = form.duration
    if duration is not None and not (
        timedelta(minutes=MIN_MINUTES) <= duration <= timedelta(minutes=MAX_MINUTES)
    ):
        raise GrammarError(keys.DURATION_OUT_OF_RANGE, keys.EX_DURATION, word=str(duration))
    topic = clean_text(clean_line(form.topic))  # as the grammar shows a typed topic
    if len(topic) > MAX_TOPIC:
        example = keys.EX_ONCE if form.day is not None else keys.EX_WEEKLY
        raise GrammarError(
            keys.TOPIC_TOO_LONG,
            example,
            word=first_words(topic),
            length=str(len(topic)),
            limit=str(MAX_TOPIC),
        )
    return NewMeeting(schedule, duration, topic, form.invitees, form.reminder_offsets)

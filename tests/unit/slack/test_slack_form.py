"""The new-meeting form becomes fields, never a command line: what a person
types into it stays what it is."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest

from adapters.slack.modal import FormError, meeting_form
from bot.schedule import Weekday

pytestmark = pytest.mark.timeout(30)


def option(value: str) -> dict[str, Any]:
    return {"value": value, "text": {"type": "plain_text", "text": value}}


def values(**fields: dict[str, Any]) -> dict[str, Any]:
    return {name: {"value": field} for name, field in fields.items()}


ONCE = values(
    topic={"value": 'x" cancel 1 "'},
    date={"selected_date": "2031-03-04"},
    time={"selected_time": "09:30"},
    duration={"selected_option": option("45m")},
    repeat={"selected_option": option("once")},
    invitees={"selected_users": ["UALICE", "UBOB"]},
    reminders={"selected_options": [option("1h"), option("10m"), option("7m")]},
)


def test_a_one_time_form_is_its_fields() -> None:
    form, people = meeting_form(ONCE)
    assert form.day == date(2031, 3, 4)
    assert form.at == time(9, 30)
    assert form.duration == timedelta(minutes=45)
    assert form.topic == 'x" cancel 1 "'  # a topic, whatever words it holds
    # Only offsets the form offers, sorted, as the core reads them.
    assert form.reminder_offsets == (timedelta(minutes=10), timedelta(hours=1))
    assert people == ("UALICE", "UBOB")


def test_a_weekly_form_takes_its_days_and_ignores_the_date() -> None:
    weekly = {
        **ONCE,
        **values(
            repeat={"selected_option": option("weekly")},
            days={"selected_options": [option("mon"), option("thu"), option("xyz")]},
            reminders={},
        ),
    }
    form, _ = meeting_form(weekly)
    assert form.day is None
    assert form.days == {Weekday.MONDAY, Weekday.THURSDAY}
    assert form.reminder_offsets is None  # the chat's default reminders


@pytest.mark.parametrize(
    ("changed", "block"),
    [
        (values(repeat={"selected_option": option("weekly")}), "days"),
        (values(time={"selected_time": "25:99"}), "time"),
        (values(date={"selected_date": "tomorrow"}), "time"),
        (values(time={}), "time"),
    ],
)
def test_fields_no_picker_sends_are_refused_by_name(changed: dict[str, Any], block: str) -> None:
    with pytest.raises(FormError) as caught:
        meeting_form({**ONCE, **changed})
    assert caught.value.block == block

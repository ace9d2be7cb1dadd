"""``/meet`` with no arguments: a form for those who do not like typing dates.

The submission becomes a ``MeetingForm`` (fields, not text: nothing a person
types into it can read as a command word); the core checks it as it checks a
typed line, makes the meeting with its reminders in one transaction, and the
one reply is posted through the response URL Slack gives for the chosen
conversation.

A form opened by ``/meet`` in a conversation is bound to it: its private
metadata (which Slack hands back as the bridge wrote it) names the
conversation, and a submission for another one is answered with the form's
error, not worked on. The bridge cannot ask Slack who is in a conversation
(that needs the ``channels:read`` and ``groups:read`` scopes): the person typed
``/meet`` there, so they are. A form opened from App Home names no
conversation, and its picker chooses.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.bridge import SlackBridge
from adapters.slack.texts import DAYS, text
from bot.chat import Lang
from bot.commands import MeetingForm
from bot.grammar.offsets import parse_offsets
from bot.schedule import Weekday

log = logging.getLogger(__name__)

CALLBACK_ID = "meet_new"
DURATIONS = ("15m", "30m", "45m", "60m", "90m", "120m")
DEFAULT_DURATION = "30m"
# Offsets the form offers; left empty, the chat's default reminders apply.
REMINDERS = ("5m", "10m", "15m", "30m", "1h", "1d")
_WEEKDAYS = {code: Weekday(number) for number, (code, _) in enumerate(DAYS)}
# A duration as the form offers it ("45m", or an edited meeting's own "50m").
_MINUTES = re.compile(r"([1-9][0-9]{0,3})m")
# A meeting's bridge number, as an edit form keeps it.
_NUMBER = re.compile(r"[1-9][0-9]{0,9}")
# A Slack user id as the people picker sends it.
_USER = re.compile(r"[UW][A-Z0-9]{1,20}")


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False
) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label}, "value": value}


def _initial(element: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    return {**element, key: value} if value else element


def new_meeting_view(
    lang: Lang, today: str, prefill: MeetingForm | None = None, *, channel: str = ""
) -> dict[str, Any]:
    """The form of a new meeting; with ``prefill``, of an edit of the meeting
    it names, its fields filled in (people and reminders have commands of
    their own, so the edit form leaves them out). ``channel``: the
    conversation it was opened in, the only one it may post to (empty: App
    Home, where the picker chooses)."""
    once, weekly = text("modal.once", lang), text("modal.weekly", lang)
    durations: tuple[str, ...] = DURATIONS
    chosen = DEFAULT_DURATION
    is_weekly = False
    picked_days: list[dict[str, Any]] = []
    if prefill is not None:
        if prefill.duration is not None:
            chosen = f"{int(prefill.duration.total_seconds() // 60)}m"
            durations = DURATIONS if chosen in DURATIONS else (*DURATIONS, chosen)
        is_weekly = prefill.day is None
        picked_days = [
            _option(code, names[lang]) for code, names in DAYS if _WEEKDAYS[code] in prefill.days
        ]
        today = (prefill.day or date.fromisoformat(today)).isoformat()
    topic = {"type": "plain_text_input", "action_id": "value", "max_length": 240}
    days = {
        "type": "checkboxes",
        "action_id": "value",
        "options": [_option(day, names[lang]) for day, names in DAYS],
    }
    at = f"{prefill.at:%H:%M}" if prefill is not None else "10:00"
    blocks = [
        _input(
            "topic",
            text("modal.topic", lang),
            _initial(topic, "initial_value", prefill.topic if prefill else ""),
            optional=True,
        ),
        _input(
            "date",
            text("modal.date", lang),
            {"type": "datepicker", "action_id": "value", "initial_date": today},
        ),
        _input(
            "time",
            text("modal.time", lang),
            {"type": "timepicker", "action_id": "value", "initial_time": at},
        ),
        _input(
            "duration",
            text("modal.duration", lang),
            {
                "type": "static_select",
                "action_id": "value",
                "options": [_option(d, d) for d in durations],
                "initial_option": _option(chosen, chosen),
            },
        ),
        _input(
            "repeat",
            text("modal.repeat", lang),
            {
                "type": "radio_buttons",
                "action_id": "value",
                "options": [_option("once", once), _option("weekly", weekly)],
                "initial_option": _option("weekly", weekly) if is_weekly else _option("once", once),
            },
        ),
        _input(
            "days",
            text("modal.days", lang),
            _initial(days, "initial_options", picked_days),
            optional=True,
        ),
    ]
    if prefill is None:
        blocks += [
            _input(
                "invitees",
                text("modal.invitees", lang),
                {"type": "multi_users_select", "action_id": "value"},
                optional=True,
            ),
            _input(
                "reminders",
                text("modal.reminders", lang),
                {
                    "type": "multi_static_select",
                    "action_id": "value",
                    "options": [_option(r, r) for r in REMINDERS],
                },
                optional=True,
            ),
        ]
    blocks.append(
        _input(
            "channel",
            text("modal.channel", lang),
            {
                "type": "conversations_select",
                "action_id": "value",
                "default_to_current_conversation": True,
                "response_url_enabled": True,
            },
        )
    )
    metadata: dict[str, str] = {"lang": lang, "channel": channel}
    title, submit = text("modal.title", lang), text("modal.submit", lang)
    if prefill is not None:
        metadata["meeting"] = prefill.meeting_ref
        title = f"{text('modal.edit_title', lang)} #{prefill.meeting_ref}"
        submit = text("modal.save", lang)
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": title[:24]},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": text("modal.close", lang)},
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


async def open_new_meeting_modal(
    client: AsyncWebClient,
    trigger_id: str,
    lang: Lang,
    zone: str | None = None,
    prefill: MeetingForm | None = None,
    *,
    channel: str,
) -> None:
    """Open the form; ``channel``: where ``/meet`` was typed, empty from App Home."""
    today = datetime.now(ZoneInfo(zone or "UTC")).date().isoformat()
    view = new_meeting_view(lang, today, prefill, channel=channel)
    await client.views_open(trigger_id=trigger_id, view=view)


def _object(node: Any, key: str) -> dict[str, Any]:
    """``node[key]`` when both are objects; ``{}`` for whatever else a forged
    submission holds there (a string, a list, nothing)."""
    found = node.get(key) if isinstance(node, dict) else None
    return found if isinstance(found, dict) else {}


def _value(values: dict[str, Any], block: str) -> dict[str, Any]:
    return _object(_object(values, block), "value")


def _picked(values: dict[str, Any], block: str) -> Any:
    """The value of the one option chosen in ``block``; ``None`` when none is."""
    return _object(_value(values, block), "selected_option").get("value")


def _chosen(values: dict[str, Any], block: str, offered: tuple[str, ...]) -> list[str]:
    options = _value(values, block).get("selected_options")
    if not isinstance(options, list):
        return []
    picked = (o.get("value") for o in options if isinstance(o, dict))
    return [value for value in picked if isinstance(value, str) and value in offered]


class FormError(ValueError):
    """A field the form cannot take; ``block`` is where Slack shows the message."""

    def __init__(self, block: str, key: str) -> None:
        super().__init__(block)
        self.block = block
        self.key = key


def meeting_form(values: dict[str, Any]) -> tuple[MeetingForm, tuple[str, ...]]:
    """The form's new meeting and the Slack users it invites; ``FormError`` for a
    weekly meeting without days, or a date or time no picker sends."""
    weekly = _picked(values, "repeat") == "weekly"
    try:
        at = time.fromisoformat(str(_value(values, "time").get("selected_time") or ""))
        picked = str(_value(values, "date").get("selected_date") or "")
        day = None if weekly else date.fromisoformat(picked)
    except ValueError:
        raise FormError("time", "modal.when_needed") from None
    days = frozenset(_WEEKDAYS[d] for d in _chosen(values, "days", tuple(_WEEKDAYS)))
    if weekly and not days:
        raise FormError("days", "modal.days_needed")
    duration = str(_picked(values, "duration") or "")
    minutes = _MINUTES.fullmatch(duration)
    offsets = _chosen(values, "reminders", REMINDERS)
    form = MeetingForm(
        at=at,
        day=day,
        days=days,
        duration=timedelta(minutes=int(minutes[1])) if minutes else None,
        topic=str(_value(values, "topic").get("value") or ""),
        # Left empty, the chat's default reminders apply.
        reminder_offsets=parse_offsets(",".join(offsets)) if offsets else None,
    )
    # Only the people picked in the form are invited: a ``<@U…>`` typed into
    # the topic is text.
    people = _value(values, "invitees").get("selected_users")
    if not isinstance(people, list):
        people = []
    return form, tuple(u for u in people if isinstance(u, str) and _USER.fullmatch(u))


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        found = json.loads(view.get("private_metadata") or "{}")
    except (ValueError, TypeError, RecursionError):  # forged: not JSON, or nested too deep
        return {}
    return found if isinstance(found, dict) else {}


def _lang_of(view: dict[str, Any]) -> Lang:
    """The language the form was opened in (kept in its private metadata)."""
    return "ru" if _metadata(view).get("lang") == "ru" else "en"


def _channel_problem(body: dict[str, Any], view: dict[str, Any]) -> str | None:
    """The form's error when the submission would post elsewhere than the
    form may: another conversation than the one it was opened in, or a
    form that names none (not one the bridge opened: metadata without the
    key, as forms opened before the binding were)."""
    bound = _metadata(view).get("channel")
    if not isinstance(bound, str):
        return "modal.reopen"
    urls = body.get("response_urls") or []
    chosen = urls[0].get("channel_id") if urls else None
    if bound and chosen != bound:
        log.warning("refused a Slack form for %s: it was opened in %s", chosen, bound)
        return "modal.other_channel"
    return None


def _meeting_of(view: dict[str, Any]) -> str:
    """The meeting an edit form changes; empty for a new meeting's form. The
    core checks, as for a typed edit, that the person may change it there."""
    ref = _metadata(view).get("meeting")
    return ref if isinstance(ref, str) and _NUMBER.fullmatch(ref) else ""


class ModalSubmission:
    def __init__(self, bridge: SlackBridge) -> None:
        self._bridge = bridge

    async def __call__(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        lang = _lang_of(view)
        try:
            form, people = meeting_form(view["state"]["values"])
        except FormError as error:
            await ack(response_action="errors", errors={error.block: text(error.key, lang)})
            return
        if problem := _channel_problem(body, view):
            await ack(response_action="errors", errors={"channel": text(problem, lang)})
            return
        await ack()
        form = replace(form, meeting_ref=_meeting_of(view))
        answer = self._answer(body, view, form, people, client)
        if not self._bridge.work.submit(answer, if_dropped=self._bridge.tell(body, "not_done")):
            self._bridge.inflight.spawn(self._bridge.refuse_busy(body))

    async def _answer(
        self,
        body: dict[str, Any],
        view: dict[str, Any],
        form: MeetingForm,
        people: tuple[str, ...],
        client: AsyncWebClient,
    ) -> None:
        if not await self._bridge.first_time(f"view:{view['id']}"):
            return
        urls = body.get("response_urls") or []
        if not urls:
            return  # Slack always sends one for the conversation select
        target = urls[0]
        team_id = body["team"]["id"]
        invitees = await self._bridge.people.mentions_of(people, client, team_id)
        command_input = await self._bridge.command_input(
            client,
            text="",
            command=replace(form, invitees=invitees),
            team_id=team_id,
            channel_id=target["channel_id"],
            user_id=body["user"]["id"],
        )
        # One command: the meeting and its reminders in one transaction, one reply.
        reply = await self._bridge.run(command_input)
        respond = self._bridge.respond_to(target["response_url"])
        await self._bridge.post(respond, reply, channel=(client, target["channel_id"]))

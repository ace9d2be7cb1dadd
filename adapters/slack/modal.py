"""``/meet`` with no arguments: a form for those who do not like typing dates.

The submission is turned into the same command line a person would type and
goes through the core's grammar, so the form and the command can never accept
different things; the result is posted through the response URL Slack gives
for the chosen conversation. What a person types into the form is quoted so
that no character of it adds grammar (see ``quoted_words``), and only the
people picked in the form are invited.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.bridge import SlackBridge
from adapters.slack.texts import DAYS, text
from bot.chat import Lang
from bot.reply import Actions, Reply

CALLBACK_ID = "meet_new"
# A Slack user id as the people picker gives it.
_USER = re.compile(r"[UW][A-Z0-9]{1,20}")
DURATIONS = ("15m", "30m", "45m", "60m", "90m", "120m")
DEFAULT_DURATION = "30m"
# Offsets the form offers; left empty, the chat's default reminders apply.
REMINDERS = ("5m", "10m", "15m", "30m", "1h", "1d")


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


def new_meeting_view(lang: Lang, today: str) -> dict[str, Any]:
    once, weekly = text("modal.once", lang), text("modal.weekly", lang)
    blocks = [
        _input(
            "topic",
            text("modal.topic", lang),
            {"type": "plain_text_input", "action_id": "value", "max_length": 240},
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
            {"type": "timepicker", "action_id": "value", "initial_time": "10:00"},
        ),
        _input(
            "duration",
            text("modal.duration", lang),
            {
                "type": "static_select",
                "action_id": "value",
                "options": [_option(d, d) for d in DURATIONS],
                "initial_option": _option(DEFAULT_DURATION, DEFAULT_DURATION),
            },
        ),
        _input(
            "repeat",
            text("modal.repeat", lang),
            {
                "type": "radio_buttons",
                "action_id": "value",
                "options": [_option("once", once), _option("weekly", weekly)],
                "initial_option": _option("once", once),
            },
        ),
        _input(
            "days",
            text("modal.days", lang),
            {
                "type": "checkboxes",
                "action_id": "value",
                "options": [_option(day, names[lang]) for day, names in DAYS],
            },
            optional=True,
        ),
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
        _input(
            "channel",
            text("modal.channel", lang),
            {
                "type": "conversations_select",
                "action_id": "value",
                "default_to_current_conversation": True,
                "response_url_enabled": True,
            },
        ),
    ]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": text("modal.title", lang)},
        "submit": {"type": "plain_text", "text": text("modal.submit", lang)},
        "close": {"type": "plain_text", "text": text("modal.close", lang)},
        "private_metadata": json.dumps({"lang": lang}),
        "blocks": blocks,
    }


async def open_new_meeting_modal(
    client: AsyncWebClient, trigger_id: str, lang: Lang, zone: str | None = None
) -> None:
    today = datetime.now(ZoneInfo(zone or "UTC")).date().isoformat()
    await client.views_open(trigger_id=trigger_id, view=new_meeting_view(lang, today))


def quoted_words(text: str) -> str:
    """Each word of ``text`` as a quoted string of its own: ``«word»``.

    A quoted string ends only at a closing quote followed by a space or the
    end of the line, and a word has no space inside, so each ends exactly at
    its own ``»`` whatever it holds: quotes of any kind, ``@name``, ``<@U…>``,
    ``for 5h``. The grammar joins a topic's words with single spaces, as the
    form's text already is, so the topic arrives exactly as typed.
    """
    return " ".join(f"«{word}»" for word in text.split())


def _value(values: dict[str, Any], block: str) -> dict[str, Any]:
    state: dict[str, Any] = values.get(block, {}).get("value", {})
    return state


def reminder_offsets(values: dict[str, Any]) -> list[str]:
    chosen = [o["value"] for o in _value(values, "reminders").get("selected_options") or []]
    return [offset for offset in chosen if offset in REMINDERS]


def created_meeting(reply: Reply) -> int | None:
    """The number of the meeting a creation reply is about (its card's actions)."""
    if reply.is_error:
        return None
    for block in reply.blocks:
        if isinstance(block, Actions) and block.items:
            return block.items[0].meeting_id
    return None


def command_line(values: dict[str, Any]) -> str | None:
    """The ``/meet`` line the form stands for; ``None`` for a weekly meeting without days."""
    date = _value(values, "date").get("selected_date") or ""
    time = _value(values, "time").get("selected_time") or ""
    duration = (_value(values, "duration").get("selected_option") or {}).get("value", "")
    repeat = (_value(values, "repeat").get("selected_option") or {}).get("value", "once")
    days = [o["value"] for o in _value(values, "days").get("selected_options") or []]
    topic = " ".join(str(_value(values, "topic").get("value") or "").split())
    people = _value(values, "invitees").get("selected_users") or []
    if repeat == "weekly":
        if not days:
            return None
        parts = ["weekly", ",".join(days), time]
    else:
        parts = ["once", date, time]
    if duration:
        parts += ["for", duration]
    if topic:
        parts.append(quoted_words(topic))
    parts += [f"<@{user}>" for user in people if isinstance(user, str) and _USER.fullmatch(user)]
    return " ".join(parts)


def invited(values: dict[str, Any]) -> str:
    """The people picked in the form, as Slack's mentions: the only ones the
    bridge looks up and invites (a ``<@U…>`` typed into the topic is text)."""
    people = _value(values, "invitees").get("selected_users") or []
    return " ".join(
        f"<@{user}>" for user in people if isinstance(user, str) and _USER.fullmatch(user)
    )


def _lang_of(view: dict[str, Any]) -> Lang:
    """The language the form was opened in (kept in its private metadata)."""
    try:
        lang = json.loads(view.get("private_metadata") or "{}").get("lang")
    except (ValueError, AttributeError):
        lang = None
    return "ru" if lang == "ru" else "en"


class ModalSubmission:
    def __init__(self, bridge: SlackBridge) -> None:
        self._bridge = bridge

    async def __call__(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        lang = _lang_of(view)
        line = command_line(view["state"]["values"])
        if line is None:
            await ack(response_action="errors", errors={"days": text("modal.days_needed", lang)})
            return
        await ack()
        answer = self._answer(body, view, line, client)
        if not self._bridge.work.submit(answer, if_dropped=self._bridge.tell(body, "not_done")):
            await self._bridge.refuse_busy(body)

    async def _answer(
        self, body: dict[str, Any], view: dict[str, Any], line: str, client: AsyncWebClient
    ) -> None:
        if not await self._bridge.first_time(f"view:{view['id']}"):
            return
        urls = body.get("response_urls") or []
        if not urls:
            return  # Slack always sends one for the conversation select
        target = urls[0]
        command_input = await self._bridge.command_input(
            client,
            text=line,
            team_id=body["team"]["id"],
            channel_id=target["channel_id"],
            user_id=body["user"]["id"],
            mentions_in=invited(view["state"]["values"]),
        )
        reply = await self._bridge.run(command_input)
        respond = self._bridge.respond_to(target["response_url"])
        await self._bridge.post(respond, reply)
        offsets = reminder_offsets(view["state"]["values"])
        number = created_meeting(reply)
        if offsets and number is not None:
            # The same command a person would type after creating the meeting.
            remind = replace(command_input, text=f"remind {number} {','.join(offsets)}")
            await self._bridge.post(respond, await self._bridge.run(remind))

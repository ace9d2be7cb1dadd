"""Driving ``meetbridge serve``'s Telegram webhook as Telegram would: post an
update, read what the bot sent back from the fake Bot API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.serve import ServeProcess, wait_until
from tests.support.telegram_api import (
    Call,
    FakeTelegramServer,
    bot_message,
    callback_update,
    message_update,
)

SECRET = "webhook-secret-for-tests"


def post(
    served: ServeProcess,
    update: dict[str, Any],
    *,
    secret: str | None = SECRET,
) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    answer = httpx.post(served.url("/telegram/webhook"), json=update, headers=headers, timeout=10)
    return answer.status_code


def buttons(card: Call) -> dict[str, dict[str, Any]]:
    """The card's buttons by label."""
    return {b["text"]: b for row in card.markup.get("inline_keyboard", []) for b in row}


class Chat:
    """One group (or private chat) as a test drives it."""

    def __init__(self, telegram: FakeTelegramServer, served: ServeProcess, chat_id: int) -> None:
        self.telegram, self.served, self.chat_id = telegram, served, chat_id
        self.seen = 0

    def say(self, text: str, sender: dict[str, Any], **options: Any) -> Call:
        """Post a message; returns the first new message the bot sends back."""
        return self.say_all(text, sender, **options)[0]

    def say_all(
        self, text: str, sender: dict[str, Any], count: int = 1, **options: Any
    ) -> list[Call]:
        self.send(text, sender, **options)
        return self.wait(count)

    def send(self, text: str, sender: dict[str, Any], **options: Any) -> None:
        """Post a message and wait for nothing."""
        update = message_update(text, chat_id=self.chat_id, sender=sender, **options)
        update["update_id"] = self.telegram.state.next_update_id()
        assert post(self.served, update) == 200

    def wait(self, count: int = 1) -> list[Call]:
        wait_until(
            lambda: len(self.telegram.state.sent(self.chat_id)) >= self.seen + count,
            timeout=20,
            what=f"{count} new messages in chat {self.chat_id}",
        )
        new = self.telegram.state.sent(self.chat_id)[self.seen :]
        self.seen += len(new)
        return new

    def unseen(self) -> list[Call]:
        """Messages the bot sent here since the last wait (none expected)."""
        return self.telegram.state.sent(self.chat_id)[self.seen :]

    def press(self, card: Call, data: str, sender: dict[str, Any], query_id: str) -> None:
        update = callback_update(
            data, message=bot_message(card, self.telegram.state), sender=sender, query_id=query_id
        )
        update["update_id"] = self.telegram.state.next_update_id()
        assert post(self.served, update) == 200

    def answer(self, query_id: str) -> Call:
        state = self.telegram.state
        wait_until(
            lambda: any(
                c.params.get("callback_query_id") == query_id
                for c in state.called("answerCallbackQuery")
            ),
            timeout=20,
            what=f"the answer to {query_id}",
        )
        return next(
            c
            for c in state.called("answerCallbackQuery")
            if c.params.get("callback_query_id") == query_id
        )

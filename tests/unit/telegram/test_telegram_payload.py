"""What the webhook's shape check lets through: everything Telegram sends,
including the numbers at the edges of what it allows."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.telegram.payload import INT64_MAX, INT64_MIN, NotAnUpdateError, check_update

MESSAGE: dict[str, Any] = {
    "message_id": 2**31,
    "date": 0,  # an inaccessible message
    "chat": {"id": -1_009_999_999_999, "type": "supergroup", "title": "Team", "is_forum": True},
    "from": {"id": 2**52, "is_bot": False, "first_name": "Ann"},
    "text": "/meet list",
    "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
}


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": INT64_MAX, "message": MESSAGE},
        {"update_id": 1, "message": {**MESSAGE, "chat": {"id": INT64_MIN, "type": "group"}}},
        # A callback query's id is a string: "id" may be either.
        {"update_id": 2, "callback_query": {"id": "4382", "from": MESSAGE["from"], "data": "x"}},
        {"update_id": 3, "message": {**MESSAGE, "date": 253_402_300_799, "edit_date": 1}},
    ],
)
def test_what_telegram_sends_passes_unchanged(update: dict[str, Any]) -> None:
    assert check_update(update) is update


@pytest.mark.parametrize(
    ("update", "named"),
    [
        ({"update_id": False}, "update_id"),
        ({"update_id": 1, "message": {**MESSAGE, "message_id": 1.0}}, "message_id"),
        ({"update_id": 1, "message": {**MESSAGE, "date": -1}}, "date"),
        ({"update_id": 1, "message": {**MESSAGE, "date": 253_402_300_800}}, "date"),
        ({"update_id": 1, "message": {**MESSAGE, "chat": {"id": None}}}, "id"),
        ({"update_id": 1, "message": {**MESSAGE, "chat": {"id": INT64_MAX + 1}}}, "64-bit"),
        ({"update_id": 1, "x": [[{"y": [INT64_MIN - 1]}]]}, "64-bit"),
    ],
)
def test_a_number_no_update_holds_is_named(update: dict[str, Any], named: str) -> None:
    with pytest.raises(NotAnUpdateError, match=named):
        check_update(update)


def test_nesting_deeper_than_recursion_allows_is_walked() -> None:
    deep: Any = [10**23]
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(NotAnUpdateError, match="64-bit"):
        check_update({"update_id": 1, "x": deep})

"""The shape of a webhook body, checked before PTB decodes it.

PTB trusts Telegram's types: it keeps ``"update_id": true`` (a bool is an int
in Python) and a chat id of ``10**23`` as they come. The secret proves the
sender knows it, not that its body is sane, so every number the bridge keeps
is checked here: a JSON integer anywhere in the update fits Telegram's
signed 64-bit range (chat and user ids use at most 52 bits), the fields that
are integers in the Bot API are integers and not ``true``/``false`` or
floats, and a date lies between 1970 and 9999.
"""

from __future__ import annotations

from typing import Any, TypeGuard

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
# 9999-12-31T23:59:59Z: past it ``datetime`` cannot hold the date.
MAX_DATE = 253_402_300_799
# Integers in every Bot API object that has them; ``id`` is an integer for a
# chat or a user but a string for a callback query, so it may be either.
_INTEGER_FIELDS = frozenset(
    {"update_id", "message_id", "message_thread_id", "migrate_to_chat_id", "migrate_from_chat_id"}
)
_DATE_FIELDS = frozenset({"date", "edit_date", "forward_date", "until_date"})


class NotAnUpdateError(ValueError):
    """The body is JSON but not a Telegram update the bridge may act on."""


def check_update(payload: object) -> dict[str, Any]:
    """``payload`` itself when it is an update object whose numbers are sane;
    otherwise raises ``NotAnUpdateError`` naming the first bad field."""
    if not isinstance(payload, dict) or not _is_integer(payload.get("update_id")):
        raise NotAnUpdateError("update_id is not an integer")
    # A stack, not recursion: the body may be nested as deep as JSON allows.
    pending: list[object] = [payload]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                _check_field(key, item)
                pending.append(item)
        elif isinstance(value, list):
            pending.extend(value)
        elif _is_integer(value) and not INT64_MIN <= value <= INT64_MAX:
            raise NotAnUpdateError("an integer outside the signed 64-bit range")
    return payload


def _is_integer(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_field(key: str, value: object) -> None:
    if key in _INTEGER_FIELDS and not _is_integer(value):
        raise NotAnUpdateError(f"{key} is not an integer")
    if key == "id" and not (_is_integer(value) or isinstance(value, str)):
        raise NotAnUpdateError("id is neither an integer nor a string")
    if key in _DATE_FIELDS and not (_is_integer(value) and 0 <= value <= MAX_DATE):
        raise NotAnUpdateError(f"{key} is not a date")

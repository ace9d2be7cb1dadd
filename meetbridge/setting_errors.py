"""A number or flag given wrong, said in the admin's words: the setting's
value and what it wants, not pydantic's "Input should be a valid number"."""

from __future__ import annotations

from typing import Any

from annotated_types import Ge, Gt, Le, Lt
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

# pydantic's error types for a number or flag, and what the value is not.
NOT_A = {
    "int_parsing": "a number",
    "int_type": "a number",
    "float_parsing": "a number",
    "float_type": "a number",
    "finite_number": "a number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "greater_than": None,
    "greater_than_equal": None,
    "less_than": None,
    "less_than_equal": None,
}
# The unit a setting's name ends in, as its value is counted.
UNITS: tuple[tuple[str, str], ...] = (
    *(("_seconds", "seconds"), ("_timeout", "seconds"), ("_minutes", "minutes")),
    *(("_days", "days"), ("_bytes", "bytes")),
)
SHOWN = 40  # characters of the value given; a pasted line is cut


def number_problem(name: str, info: FieldInfo | None, err: ErrorDetails) -> str | None:
    """The sentence for a wrong number or flag, else ``None`` (pydantic's own
    message, or ours from a validator, says it)."""
    if info is None or err["type"] not in NOT_A:
        return None
    given = str(err["input"])
    shown = given if len(given) <= SHOWN else given[:SHOWN] + "…"
    whole = int in _types(info.annotation)
    wrong = NOT_A[err["type"]]
    if wrong == "a number" and whole and _is_float(given):
        wrong = "a whole number"
    said = "is out of range" if wrong is None else f"is not {wrong}"
    return f"'{shown}' {said}; give {wanted(name, info, whole=whole)}"


def wanted(name: str, info: FieldInfo, *, whole: bool) -> str:
    if bool in _types(info.annotation):
        return "true or false"
    if name.lower().endswith("port"):
        return "a port number 1–65535"
    kind = "a whole number" if whole else "a number"
    unit = next((u for end, u in UNITS if name.lower().endswith(end)), None)
    parts = [f"{kind} of {unit} without a unit" if unit else kind]
    parts.extend(_range(info))
    default = info.get_default(call_default_factory=True)
    if isinstance(default, int | float) and not isinstance(default, bool):
        parts.append(f"e.g. {default:g}")
    return ", ".join(parts)


def _range(info: FieldInfo) -> list[str]:
    """ "from 0 to 120" or "more than 0 and at most 120", as the field bounds it."""
    low = high = ""
    for rule in info.metadata:
        if isinstance(rule, Ge):
            low = f"from {rule.ge:g}"
        elif isinstance(rule, Gt):
            low = f"more than {rule.gt:g}"
        elif isinstance(rule, Le):
            high = f"at most {rule.le:g}"
        elif isinstance(rule, Lt):
            high = f"less than {rule.lt:g}"
    if low.startswith("from ") and high.startswith("at most "):
        return [f"{low} to {high.removeprefix('at most ')}"]
    return [" and ".join(part for part in (low, high) if part)] if low or high else []


def _types(annotation: Any) -> tuple[Any, ...]:
    return getattr(annotation, "__args__", None) or (annotation,)


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True

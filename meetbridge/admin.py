"""Admin commands over the bridge's database: ``db current|history``,
``audit tail [--follow]``, ``reminders pending|failed|retry <id>``,
``meetings list|show|export``, ``links list|approve|remove``. Readable tables
by default (every value shown by ``cell``, control characters escaped),
``--json`` for scripts."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import json
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from bot.settings import Settings
from storage import admin as storage_admin
from storage import build_engine, current_revision, head_revision, known_revisions
from storage.admin import audit_tail, reminders_with, retry_failed, revisions

Out = Callable[[str], None]
Sleep = Callable[[float], Awaitable[None]]

FOLLOW_SECONDS = 1.0
STATUSES = {"pending": ("pending", "sending"), "failed": ("failed",)}


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    return value


# Control and format characters, line and paragraph separators: an escape
# sequence would drive the admin's terminal, a newline or \r write a line of
# its own, a bidi override reorder the row.
_UNSHOWN = frozenset({"Cc", "Cf", "Zl", "Zp"})


def cell(value: object) -> str:
    r"""A value as one line of text the terminal only shows: display names and
    topics are what people typed, so control characters are written escaped
    (``\x1b``, ``\n``, ``\u202e``); ``None`` is empty."""
    if value is None:
        return ""
    text = str(_plain(value))
    if text.isprintable():
        return text
    return "".join(
        ch if ch == " " or unicodedata.category(ch) not in _UNSHOWN else ascii(ch)[1:-1]
        for ch in text
    )


# What makes a spreadsheet read a cell as a formula (OWASP's "CSV injection"):
# these signs, after any leading spaces a spreadsheet skips, and tab or
# carriage return on their own.
_FORMULA_STARTS = ("=", "+", "-", "@")
_FORMULA_LEADS = ("\t", "\r")


def _starts_formula(text: str) -> bool:
    """NFKC reads the full-width signs (＝ ＋ － ＠) as the ASCII ones, as
    spreadsheets do."""
    if text.startswith(_FORMULA_LEADS):
        return True
    return unicodedata.normalize("NFKC", text.lstrip()).startswith(_FORMULA_STARTS)


def spreadsheet_cell(value: object) -> object:
    """A value for the CSV export, which people open in spreadsheets and
    terminals: text is ``cell``'s (control characters escaped) and, when it
    would start a formula, put after an apostrophe, which spreadsheets show
    as text. Numbers stay numbers; ``--format json`` keeps the data as it is."""
    if value is None or isinstance(value, int | float):
        return value
    text = cell(value)
    # The value as typed: what cell escapes (a leading tab) a spreadsheet reads.
    return f"'{text}" if _starts_formula(str(_plain(value))) else text


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], out: Out) -> None:
    """Columns padded to their widest cell; a line saying so when empty."""
    if not rows:
        out("(none)")
        return
    cells = [[cell(row[c]) for c in columns] for row in rows]
    widths = [max(len(c), *(len(line[i]) for line in cells)) for i, c in enumerate(columns)]
    out("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for line in cells:
        out("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], out: Out, as_json: bool) -> None:
    if as_json:
        out(json.dumps([{k: _plain(v) for k, v in row.items()} for row in rows], indent=2))
    else:
        table(rows, columns, out)


async def db_current(settings: Settings, out: Out, as_json: bool) -> int:
    current, head = await current_revision(settings.database_url), head_revision()
    known = current is None or current in known_revisions()
    if as_json:
        state = {"current": current, "head": head, "up_to_date": current == head, "known": known}
        out(json.dumps(state))
    elif current == head:
        out(f"{current} (head)")
    elif not known:  # upgrading cannot help: only the newer version knows it
        out(
            f"{current} (newer than this version knows, whose newest is {head}: "
            "a newer meetbridge migrated it; run that version)"
        )
    else:
        out(f"{current or 'none'} (behind: the newest is {head}; run `meetbridge db upgrade`)")
    return 0


async def db_history(settings: Settings, out: Out, as_json: bool) -> int:
    current = await current_revision(settings.database_url)
    rows = [
        {**dataclasses.asdict(rev), "applied": _applied(rev.revision, current)}
        for rev in revisions()
    ]
    emit(rows, ("revision", "applied", "summary"), out, as_json)
    return 0


def _applied(revision: str, current: str | None) -> bool:
    return current is not None and revision <= current  # revisions are numbered 0001, 0002…


async def audit(
    settings: Settings,
    out: Out,
    as_json: bool,
    *,
    limit: int,
    follow: bool,
    sleep: Sleep = asyncio.sleep,
) -> int:
    engine = build_engine(settings.database_url)
    columns = ("id", "at", "chat", "user", "command", "outcome", "detail")
    try:
        entries = await audit_tail(engine, limit)
        if not follow:
            emit([dataclasses.asdict(e) for e in entries], columns, out, as_json)
            return 0
        last = entries[-1].id if entries else 0
        rows = [dataclasses.asdict(e) for e in entries]
        while True:
            for row in rows:  # one line (or JSON object) each, as they come
                out(json.dumps({k: _plain(v) for k, v in row.items()}) if as_json else _line(row))
            await sleep(FOLLOW_SECONDS)
            fresh = await audit_tail(engine, 1000, after=last)
            if fresh:
                last = fresh[-1].id
            rows = [dataclasses.asdict(e) for e in fresh]
    finally:
        await engine.dispose()


def _line(row: dict[str, Any]) -> str:
    fields = ("at", "id", "chat", "user", "command", "outcome", "detail")
    at, number, *rest = (cell(row[name]) for name in fields)
    return " ".join((at, f"#{number}", *rest)).rstrip()


async def reminders(settings: Settings, out: Out, as_json: bool, *, which: str) -> int:
    engine = build_engine(settings.database_url)
    try:
        entries = await reminders_with(engine, STATUSES[which])
    finally:
        await engine.dispose()
    columns: tuple[str, ...] = (
        "id",
        "meeting_id",
        "kind",
        "recipient",
        "fire_at",
        "status",
        "attempts",
    )
    if which == "failed":
        columns = (*columns, "last_error")
    emit([dataclasses.asdict(e) for e in entries], columns, out, as_json)
    return 0


async def retry(settings: Settings, out: Out, action_id: int) -> int:
    engine = build_engine(settings.database_url)
    try:
        done = await retry_failed(engine, action_id, datetime.now(UTC))
    finally:
        await engine.dispose()
    if not done:
        out(f"no failed reminder {action_id}: `meetbridge reminders failed` lists them")
        return 1
    out(f"reminder {action_id} is due again: the next dispatcher round sends it")
    return 0


async def meetings_list(
    settings: Settings,
    out: Out,
    as_json: bool,
    state: str | None,
    *,
    now: datetime | None = None,
) -> int:
    engine = build_engine(settings.database_url)
    try:
        rows = await storage_admin.meetings(engine, now=now or datetime.now(UTC), state=state)
    finally:
        await engine.dispose()
    # Its state and start as the bot shows them (a meeting made to start at
    # once stores no start, and "scheduled" is its record's status).
    columns = ("id", "backend", "conference_id", "state", "schedule_kind", "start", "topic")
    emit(rows, columns, out, as_json)
    return 0


async def meetings_show(
    settings: Settings, out: Out, as_json: bool, ref: str, *, now: datetime | None = None
) -> int:
    """``ref``: the bot's number (``3``, ``#3`` as its replies write it) or a
    conference id."""
    engine = build_engine(settings.database_url)
    try:
        rows = await storage_admin.meetings(engine, now=now or datetime.now(UTC), ref=ref)
    finally:
        await engine.dispose()
    if not rows:
        out(f"no meeting {cell(ref.strip())}: `meetbridge meetings list` lists them")
        return 1
    if len(rows) > 1:
        numbers = ", ".join(f"#{row['id']}" for row in rows)
        out(f"conference {cell(ref.strip())} is meetings {numbers}: show one by its number")
        return 1
    [row] = rows
    if as_json:
        out(json.dumps({k: _plain(v) for k, v in row.items()}, indent=2))
    else:
        # One state: the bot's. The record's status (``scheduled`` for one
        # running now) beside it reads as a second answer.
        shown = {key: value for key, value in row.items() if key != "status"}
        width = max(len(k) for k in shown)
        for key, value in shown.items():
            out(f"{key.ljust(width)}  {cell(value)}")
    return 0


async def meetings_export(settings: Settings, out: Out, export_format: str) -> int:
    engine = build_engine(settings.database_url)
    try:
        rows = await storage_admin.meetings(engine, now=datetime.now(UTC))
    finally:
        await engine.dispose()
    plain = [{k: _plain(v) for k, v in row.items()} for row in rows]
    if export_format == "json":
        out(json.dumps(plain, indent=2))
        return 0
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(storage_admin.MEETING_COLUMNS))
    writer.writeheader()
    writer.writerows({k: spreadsheet_cell(v) for k, v in row.items()} for row in rows)
    out(buffer.getvalue().rstrip("\n"))
    return 0


async def links_list(settings: Settings, out: Out, as_json: bool, pending: bool) -> int:
    engine = build_engine(settings.database_url)
    try:
        rows = await storage_admin.links(engine, status="pending" if pending else None)
    finally:
        await engine.dispose()
    columns = ("person", "login", "status", "display_name")
    emit(rows, columns, out, as_json)
    return 0


async def links_change(settings: Settings, out: Out, action: str, person: str) -> int:
    try:
        who = storage_admin.person_of(person)
    except ValueError as exc:
        out(str(exc))
        return 2
    engine = build_engine(settings.database_url)
    try:
        change = storage_admin.approve_link if action == "approve" else storage_admin.remove_link
        done = await change(engine, who, datetime.now(UTC))
    finally:
        await engine.dispose()
    if not done:
        what = "link request" if action == "approve" else "link"
        out(f"no {what} for {person}: `meetbridge links list` lists them")
        return 1
    out(f"{person}: {'linked' if action == 'approve' else 'link removed'}")
    return 0

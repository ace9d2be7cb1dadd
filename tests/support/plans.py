"""How much of its tables a PostgreSQL statement read, from its plan as
``auto_explain`` reports it once run: a count of rows, not a time, so a test
can hold a statement to the work it should do on a machine of any speed."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable

# Rows a plan node handled, each counted once per loop of the node.
_COUNTED = ("Actual Rows", "Rows Removed by Filter", "Rows Removed by Join Filter")
# The session's settings that make PostgreSQL send the plan of every
# statement it runs, with its actual rows, to this client as a notice.
_EXPLAINING = (
    "LOAD 'auto_explain'",
    "SET auto_explain.log_min_duration = 0",
    "SET auto_explain.log_analyze = on",
    "SET auto_explain.log_timing = off",
    "SET auto_explain.log_format = json",
    "SET auto_explain.log_level = notice",
    "SET client_min_messages = notice",
)


def _handled(node: Mapping[str, Any]) -> int:
    loops = int(node.get("Actual Loops", 1))
    own = sum(int(node.get(key, 0)) for key in _COUNTED) * loops
    return own + sum(_handled(child) for child in node.get("Plans", ()))


async def rows_handled(
    connection: AsyncConnection, statement: Executable, parameters: Mapping[str, Any]
) -> int:
    """Run ``statement`` on ``connection`` (it takes effect) and count the
    rows its plan's nodes produced or filtered out, over all their loops.
    Needs a superuser (``LOAD``), as the tests' database has."""
    notices: list[str] = []
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection  # asyncpg's own connection

    def heard(_connection: object, message: Any) -> None:
        notices.append(str(message.message))

    for setting in _EXPLAINING:
        await connection.execute(text(setting))
    driver.add_log_listener(heard)
    try:
        await connection.execute(statement, dict(parameters))
    finally:
        driver.remove_log_listener(heard)
        await connection.execute(text("SET auto_explain.log_min_duration = -1"))
    plans = [json.loads(n[n.index("{") :]) for n in notices if '"Plan"' in n]
    if len(plans) != 1:
        raise AssertionError(f"expected one plan, heard {len(notices)} notices: {notices}")
    return _handled(plans[0]["Plan"])

"""How many rows a PostgreSQL statement's plan handled, as ``auto_explain``
reports it once the statement ran: a count, not a time, so a test can hold a
statement to the work it should do on a machine of any speed.

The count is a relative measure: each node's rows (produced, or filtered
out) times its loops, so rows passing through a sort or a limit count again
at each node, and PostgreSQL rounds a node's rows per loop to a whole number.
It does not see comparisons inside one row's test (an ``= ANY(array)``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable

# Rows a plan node handled, each counted once per loop of the node.
_COUNTED = ("Actual Rows", "Rows Removed by Filter", "Rows Removed by Join Filter")
# Settings, for the caller's transaction only, that make PostgreSQL send the
# plan of every statement it runs, with its actual rows, to this client as a
# notice. (The library stays loaded in that backend, doing nothing after.)
_EXPLAINING = (
    "LOAD 'auto_explain'",
    "SET LOCAL auto_explain.log_min_duration = 0",
    "SET LOCAL auto_explain.log_analyze = on",
    "SET LOCAL auto_explain.log_timing = off",
    "SET LOCAL auto_explain.log_format = json",
    "SET LOCAL auto_explain.log_level = notice",
    "SET LOCAL client_min_messages = notice",
)


def _handled(node: Mapping[str, Any]) -> int:
    loops = int(node.get("Actual Loops", 1))
    own = sum(int(node.get(key, 0)) for key in _COUNTED) * loops
    return own + sum(_handled(child) for child in node.get("Plans", ()))


async def rows_handled(
    connection: AsyncConnection, statement: Executable, parameters: Mapping[str, Any]
) -> int:
    """Run ``statement`` on ``connection``, inside the transaction it has
    begun (the statement takes effect), and count the rows its plan's nodes
    produced or filtered out, over all their loops. For a statement that
    changes rows (an ``UPDATE … RETURNING``, say): a plain ``SELECT`` read
    inside a transaction sends its plan only later. Needs a superuser
    (``LOAD``), as the tests' database has."""
    if not connection.in_transaction():
        raise ValueError("rows_handled runs inside a transaction the caller has begun")
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
    plans = [json.loads(n[n.index("{") :]) for n in notices if '"Plan"' in n]
    if len(plans) != 1:
        raise AssertionError(f"expected one plan, heard {len(notices)} notices: {notices}")
    return _handled(plans[0]["Plan"])

"""Start-up failures of the bridge, each said in one line that names the
setting and the fix (never a traceback: the operator can act on a sentence)."""

from __future__ import annotations

from urllib.parse import unquote

from adapters.httpclient import transport_problem
from adapters.logs.redact import Redactor
from bot.settings import redact_url, url_password


class StartupError(Exception):
    """The service cannot start for a reason outside the settings' syntax (a
    database that cannot be reached, a server that refuses); exit code 1."""


def database_problem(exc: BaseException, database_url: str) -> str:
    """One line about a database failure, with the URL's password scrubbed:
    by its place where the URL is echoed (any URL's ``user:password@``), and
    by its value as the logs mask secrets, only when it is long enough. A
    short one replaced wherever it occurs ('e') mangled every word and told,
    by where the stars fell, what it was."""
    text = f"{type(exc).__name__}: {exc}".splitlines()[0]
    url = database_url.strip()
    password = url_password(url)
    if url:
        text = text.replace(url, redact_url(url))
    text = Redactor([password, unquote(password)] if password else [])(text)
    # What kept the connection from being made, in words an admin can act
    # on, before the driver's own.
    cause = transport_problem(exc)
    return f"{cause} ({text})" if cause else text


def _ssl_refused(exc: BaseException) -> bool:
    """asyncpg's words when ``sslmode`` asks for SSL the server does not offer."""
    return isinstance(exc, ConnectionError) and "rejected SSL upgrade" in str(exc)


def database_unusable(exc: BaseException, database_url: str) -> StartupError:
    problem = database_problem(exc, database_url)
    fix = (
        ": the server does not offer SSL. Turn SSL on in PostgreSQL, or set ?sslmode=prefer "
        "(or disable) in DATABASE_URL."
        if _ssl_refused(exc)
        else ". Check that the database server runs there and that the host, port, user, "
        "password and database name are right."
    )
    return StartupError(f"DATABASE_URL={redact_url(database_url)} cannot be used: {problem}{fix}")

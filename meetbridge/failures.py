"""Start-up failures of the bridge, each said in one line that names the
setting and the fix (never a traceback: the operator can act on a sentence)."""

from __future__ import annotations

from bot.settings import redact_url, url_password


class StartupError(Exception):
    """The service cannot start for a reason outside the settings' syntax (a
    database that cannot be reached, a server that refuses); exit code 1."""


def database_problem(exc: BaseException, database_url: str) -> str:
    """One line about a database failure, with the URL's password scrubbed."""
    text = f"{type(exc).__name__}: {exc}".splitlines()[0]
    password = url_password(database_url)
    return text.replace(password, "***") if password else text


def database_unusable(exc: BaseException, database_url: str) -> StartupError:
    return StartupError(
        f"DATABASE_URL={redact_url(database_url)} cannot be used: "
        f"{database_problem(exc, database_url)}. Check that the database server runs there "
        "and that the host, port, user, password and database name are right."
    )

"""Start-up failures' lines about the database: the password kept out, the
rest of the line left as the driver wrote it."""

from __future__ import annotations

import socket

import pytest

from meetbridge.failures import database_problem, database_unusable

REFUSED = "Connect call failed ('127.0.0.1', 20001)"


@pytest.mark.parametrize("password", ["e", "a", "ed", "2000"])
def test_a_short_password_is_not_masked_in_every_word(password: str) -> None:
    # From a new admin's trial: a password 'e' was replaced in the whole line
    # ('Conn***ct call fail***d'), mangling it and showing, by where the
    # stars fell, what the password was.
    url = f"postgresql+asyncpg://bridge:{password}@127.0.0.1:20001/test"
    problem = database_problem(ConnectionRefusedError(REFUSED), url)
    assert problem == (
        "connection refused: nothing listens at that host and port "
        f"(ConnectionRefusedError: {REFUSED})"
    )
    message = str(database_unusable(ConnectionRefusedError(REFUSED), url))
    assert REFUSED in message
    assert "***" not in message.replace("bridge:***@", "")


@pytest.mark.parametrize("password", ["e", "a", "hunter2-password", "p%40ss:w0rd"])
def test_the_password_is_masked_where_the_driver_echoes_the_url(password: str) -> None:
    url = f"postgresql+asyncpg://bridge:{password}@db.example.com/test"
    problem = database_problem(ValueError(f"invalid DSN {url}: bad"), url)
    assert f":{password}@" not in problem
    assert problem.startswith("ValueError: invalid DSN postgresql+asyncpg://bridge:")
    assert problem.endswith("@db.example.com/test: bad")


def test_a_long_password_is_masked_wherever_it_stands() -> None:
    url = "postgresql+asyncpg://bridge:hunter2-password@db/test"
    problem = database_problem(RuntimeError("auth hunter2-password refused"), url)
    assert "hunter2" not in problem
    assert problem.startswith("RuntimeError: auth ")
    assert problem.endswith(" refused")


def test_a_failure_names_where_and_who_but_not_the_query_values() -> None:
    # From a new user's trial: the line showed the whole query, whose values
    # may be what no log should hold (a key's passphrase, a Kerberos name).
    url = (
        "postgresql+asyncpg://bridge:e@db.example.com:5433/meet"
        "?sslmode=require&application_name=keep-me-out&krbsrvname=kerb-name"
    )
    message = str(database_unusable(ConnectionRefusedError(REFUSED), url))
    assert "DATABASE_URL=postgresql+asyncpg://bridge:***@db.example.com:5433/meet?" in message
    assert "sslmode=require" in message  # one of its few words: no secret
    for name in ("application_name", "krbsrvname"):
        assert f"{name}=***" in message
    for value in ("keep-me-out", "kerb-name"):
        assert value not in message
    echoed = database_problem(ValueError(f"cannot use {url}"), url)
    assert "keep-me-out" not in echoed
    assert echoed.startswith("ValueError: cannot use postgresql+asyncpg://bridge:")
    assert echoed.endswith(
        "@db.example.com:5433/meet?sslmode=require&application_name=***&krbsrvname=***"
    )


def test_what_kept_the_connection_from_being_made_is_said_first() -> None:
    # From a new admin's trial: the driver's words alone ("gaierror: [Errno
    # -2] …") told neither that the name does not resolve nor what to do.
    url = "postgresql+asyncpg://bridge:hunter2-password@no-such-db.invalid/test"
    dns = socket.gaierror(-2, "Name or service not known")
    assert database_problem(dns, url) == (
        "the host name does not resolve (DNS) (gaierror: [Errno -2] Name or service not known)"
    )
    refused = database_problem(ConnectionRefusedError(111, REFUSED), url)
    assert refused.startswith("connection refused: nothing listens at that host and port (")
    assert REFUSED in refused


def test_a_server_without_ssl_is_told_with_the_setting_that_fixes_it() -> None:
    url = "postgresql+asyncpg://bridge@db/test?sslmode=require"
    rejected = ConnectionError('PostgreSQL server at "db:5432" rejected SSL upgrade')
    message = str(database_unusable(rejected, url))
    assert "the server does not offer SSL" in message
    assert "?sslmode=" in message
    assert "rejected SSL upgrade" in message

"""The core's settings, from the environment and ``.env``: what the core and
the service around it use. Each edge (messenger, conference server) reads its
own, under its own prefix (``adapters/*/settings.py``).

Secrets are ``SecretStr`` so they never show in reprs, logs or error messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.chat import Lang
from bot.grammar.offsets import parse_offsets
from bot.policy import BridgeAdmins
from bot.timerules import canonical_zone

SANDBOX = "sandbox"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./meetbridge.db"
_USERINFO = re.compile(r"//[^/?#]*@")
# A database URL's password as SQLAlchemy reads one (``make_url``): from the
# first ":" after the user to the first "@", so it may hold "/", "?" or "#",
# where urlsplit would see no password at all.
# Leading whitespace allowed: normalize_url strips it, so such a URL works
# and must not be shown with its password.
_DATABASE_PASSWORD = re.compile(r"^\s*[\w+]+://[^:/]*:([^@]*)@")
_HOST_PART = re.compile(r"[^/?#]*")
# The words PostgreSQL's URL settings of these names take (libpq's, and
# asyncpg's ``ssl``); ``storage.pg_options`` refuses others.
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
SESSION_ATTRS = ("any", "primary", "standby", "read-write", "read-only", "prefer-standby")
# A database URL's query settings shown with their values: where it is, and
# settings whose value is one of a few words (a secret is none of them), which
# a connection failure is often about ("rejected SSL upgrade").
_WHERE_IN_QUERY = frozenset({"host", "port"})
_WORDS_IN_QUERY = {"sslmode": SSL_MODES, "ssl": SSL_MODES, "target_session_attrs": SESSION_ATTRS}


def known_zone(value: str) -> str:
    """A zone setting, as the zone database writes it (``utc`` -> ``UTC``)."""
    zone = canonical_zone(value)
    if zone is None:
        raise ValueError(f"{value!r} is not an IANA time zone name (e.g. Europe/Moscow)")
    return zone


def http_url(value: str | None) -> str | None:
    """An http(s) URL setting without its trailing slash, ``sandbox``, or
    ``None`` for unset or empty; ``ValueError`` for anything else (naming the
    URL without its password). A base address: no query or fragment, and
    printable ASCII only (an international host in its ``xn--`` form), as
    the HTTP clients refuse anything else only when they first call it."""
    if value is not None:
        value = value.strip()  # a newline from a file or a YAML block
    if value is None or value in ("", SANDBOX):
        return value or None
    if not re.match(r"https?://[^\s/]+", value, re.IGNORECASE):
        raise ValueError(
            f"{shown_url(value)!r} is not an http(s) URL: write it whole, with https:// "
            "and the host (e.g. https://video.example.com)"
        )
    if any(c.isspace() for c in value):
        raise ValueError(f"{shown_url(value)!r} is not an http(s) URL (it holds a space)")
    if not value.isascii() or not value.isprintable():
        raise ValueError(
            f"{shown_url(value)!r} is not an http(s) URL (a control or non-ASCII character: "
            "write an international host name in its xn-- form)"
        )
    scheme, _, rest = value.partition("://")
    value = f"{scheme.lower()}://{rest}"  # HTTPS:// works, and reads as https elsewhere
    try:  # urlsplit reads the host and port only when asked
        parts = urlsplit(value)
        port, host = parts.port, parts.hostname
        if host:
            host.encode("ascii").decode("idna")  # a malformed xn-- label
    except (ValueError, UnicodeError) as exc:
        raise ValueError(f"{shown_url(value)!r} is not an http(s) URL ({exc})") from None
    if not host or port == 0:
        raise ValueError(f"{shown_url(value)!r} is not an http(s) URL (no host or port 0)")
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        raise ValueError(f"{shown_url(value)!r} is not a base URL (it has a ? or # part)")
    return value.rstrip("/")


def server_url(value: str | None) -> str | None:
    """A server the bridge calls (a conference server, a messenger's API):
    ``http_url`` without a user part. The bridge signs in with its own
    credentials (aiohttp refuses a URL's beside a token), and a user part
    only hides the host really called (``https://slack.com@evil.example``)."""
    checked = http_url(value)
    if checked not in (None, SANDBOX) and "@" in urlsplit(checked).netloc:
        raise ValueError(f"{shown_url(checked)!r}: a user or password in this URL is not used")
    return checked


def api_url(value: str | None) -> str | None:
    """A messenger's API address (a stand-in for Slack's or Telegram's):
    ``server_url`` without ``sandbox``, which names the built-in conference
    servers, not an API the bridge could call."""
    if value is not None and value.strip() == SANDBOX:
        raise ValueError("'sandbox' is not an http(s) URL: only the conference servers have one")
    return server_url(value)


# What a bearer token may hold (RFC 6750's b64token): a scraper sends it as is.
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
# Shorter, a token is guessed, or is a placeholder left in (change-me).
MIN_BEARER_TOKEN = 16
# What .env.example's secrets hold: a token with it is that line uncommented.
PLACEHOLDER = "change-me"


def bearer_token(value: object) -> object:
    """A token setting without the spaces or newline around it (Prometheus
    drops them from its credentials file too), ``None`` when empty; one a
    header cannot carry as is, or one too short to be secret, is refused,
    without showing it."""
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if not isinstance(value, str):
        return value
    value = value.strip()
    if not value:
        return None
    if not _B64TOKEN.fullmatch(value):
        raise ValueError(
            "holds a character a bearer token cannot (a space, or other than letters, "
            "digits and -._~+/=); make one with `openssl rand -hex 32`"
        )
    if len(value) < MIN_BEARER_TOKEN:
        raise ValueError(
            f"is {len(value)} characters, too few to keep it secret (at least "
            f"{MIN_BEARER_TOKEN}); make one with `openssl rand -hex 32`"
        )
    if PLACEHOLDER in value.casefold():
        raise ValueError(
            f"holds .env.example's placeholder ({PLACEHOLDER}), which anyone can read "
            "there; make one with `openssl rand -hex 32`"
        )
    return value


# A messenger's API address setting (SLACK_API_URL, TELEGRAM_API_URL).
ApiUrl = Annotated[str | None, AfterValidator(api_url)]


def url_password(database_url: str) -> str | None:
    """The password in a database URL, read as SQLAlchemy reads it (so it
    can be kept out of logs), also when the rest does not parse."""
    found = _DATABASE_PASSWORD.search(database_url.strip())
    return found[1] if found else None


def shown_url(value: str) -> str:
    """A URL that may not parse, fit to show: whatever precedes an ``@`` in
    its authority (a user and password) replaced by ``***``."""
    return _USERINFO.sub("//***@", value)


def redact_url(url: str) -> str:
    """The database URL with its password (as SQLAlchemy reads it) and its
    query's values replaced by ``***``: a setting there may hold what no log
    should (a key's passphrase), and only where the database is is told
    (the URL's host, port, database and user; the query's hosts and ports)."""
    found = _DATABASE_PASSWORD.search(url)
    # Where the host begins in the URL as shown: the query is looked for from
    # there (a "?" in the password is no query's).
    start = url.find("//") + 2
    if found is not None:
        end = found.end(1)  # the "@" SQLAlchemy ends the password at
        # An "@" left in what it takes for the host means the password held
        # one: all of it up to the last "@" is hidden.
        host = _HOST_PART.match(url, end + 1)
        if host is not None and "@" in host[0]:
            end += 1 + host[0].rindex("@")
        hidden = f"{url[: found.start(1)]}***"
        url = f"{hidden}{url[end:]}"
        start = len(hidden) + 1  # past the "@"
    before, mark, query = url[start:].partition("?")
    if not mark:
        return url
    fields = (_shown_field(field) for field in query.split("&"))
    return f"{url[:start]}{before}?{'&'.join(fields)}"


def _shown_field(field: str) -> str:
    name, equals, value = field.partition("=")
    if not equals or not value or name in _WHERE_IN_QUERY:
        return field
    if value in _WORDS_IN_QUERY.get(name, ()):
        return field
    return f"{name}=***"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    database_url: str = DEFAULT_DATABASE_URL
    # PostgreSQL, the running bridge's sessions (not `db upgrade`'s nor the
    # migrations'): a statement running (or waiting for a lock) longer is
    # cancelled, and a session idle inside a transaction longer is ended;
    # seconds, 0: no limit.
    database_statement_timeout: float = Field(default=30.0, ge=0, le=24 * 3600)
    database_idle_in_transaction_timeout: float = Field(default=300.0, ge=0, le=24 * 3600)
    public_url: str | None = None
    # Signs the https links under PUBLIC_URL that open the TrueConf app.
    link_secret: SecretStr | None = None
    default_timezone: str = "UTC"
    default_language: Lang = "en"
    default_duration_minutes: int = Field(default=60, ge=1, le=24 * 60)

    # False: only people linked to a TrueConf account create meetings, and
    # TRUECONF_OWNER owns none.
    unlinked_may_create: bool = True
    # Who holds bot-wide powers: telegram:<user id>, slack:<team>:<user>, console.
    bridge_admins: str = ""
    # The server of new meetings in chats that chose none: a conference
    # server's name (the composition root knows which exist). Unset: the first
    # one configured.
    default_backend: str | None = None

    # Reminders of new meetings in chats that chose none: "10m", "10m,1h" or "off".
    reminder_default_offsets: str = "10m"
    # Reminders that came due while nothing ran: "late" sends them marked late
    # while the meeting has not started (expired after); "expire" drops them.
    reminder_downtime_policy: Literal["late", "expire"] = "late"
    reminder_max_attempts: int = Field(default=5, ge=1, le=50)
    # A process holds a claimed row (and counts as alive) for the lease, and
    # renews both every REMINDER_RENEW_SECONDS while it works: a process that
    # dies has its rows taken over within one lease.
    reminder_lease_seconds: int = Field(default=15, ge=2, le=3600)
    reminder_renew_seconds: float = Field(default=5.0, gt=0, le=1800)
    reminder_sweep_seconds: float = Field(default=30.0, gt=0, le=3600)
    # Live cards: a running meeting is polled at most once per LIVE_POLL_SECONDS
    # (0: no live cards); one running with nobody in for IDLE_STOP_MINUTES
    # gets a note with a Stop button.
    live_poll_seconds: int = Field(default=30, ge=0, le=3600)
    idle_stop_minutes: int = Field(default=30, ge=1, le=24 * 60)

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    # The largest request body any route reads; larger ones get 413 unread.
    # Slack's and Telegram's payloads are a few kilobytes.
    max_request_bytes: int = Field(default=1 << 20, ge=16 * 1024, le=64 << 20)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # "text": human-readable lines for a terminal; "json": one JSON object per
    # line for a log collector. Either way secrets are masked.
    log_format: Literal["text", "json"] = "text"
    # How long /readyz reuses its last answer, so probes do not hammer the servers.
    readiness_cache_seconds: float = Field(default=5.0, ge=0, le=300)
    # How long each /readyz check may take before it counts as failed.
    readiness_timeout_seconds: float = Field(default=3.0, gt=0, le=60)
    # true: /readyz also fails while a conference server or messenger API does
    # (the behaviour before dependencies were reported apart).
    readiness_strict: bool = False
    # Processed deliveries, finished reminder rows and the audit log older
    # than this are deleted, in small batches, once an hour; 0 keeps them.
    retention_days: int = Field(default=90, ge=0, le=36_500)
    # true: `serve` starts `meetbridge work` as its child, which does the work
    # of the commands serve acknowledged; false: the deployment runs
    # `meetbridge work` itself (one or more, on the same DATABASE_URL).
    work_process: bool = True
    # `meetbridge work` run apart: its /metrics on this port (unset: none),
    # on WORK_METRICS_HOST (loopback unless a scraper elsewhere needs it).
    work_metrics_port: int | None = Field(default=None, ge=1, le=65535)
    work_metrics_host: str = "127.0.0.1"
    # Set: /metrics (serve's and work's) answers only a scraper that sends
    # "Authorization: Bearer <token>"; unset: anyone who reaches it.
    metrics_token: SecretStr | None = None
    # On SIGTERM: the most `serve` takes to stop accepting, finish the commands
    # and sends in flight, release its reminder leases and exit.
    shutdown_timeout_seconds: float = Field(default=20.0, gt=0, le=600)

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return known_zone(value)

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _either_case(cls, value: object, info: ValidationInfo) -> object:
        """``debug`` as ``DEBUG``, ``JSON`` as ``json``: the words, as typed."""
        if not isinstance(value, str):
            return value
        return value.upper() if info.field_name == "log_level" else value.lower()

    @field_validator("reminder_default_offsets")
    @classmethod
    def _offsets(cls, value: str) -> str:
        parse_offsets(value)  # raises ValueError naming the bad part
        return value

    @field_validator("reminder_renew_seconds")
    @classmethod
    def _renew(cls, value: float, info: ValidationInfo) -> float:
        lease = info.data.get("reminder_lease_seconds")
        if lease is not None and value * 2 > lease:
            raise ValueError(
                f"REMINDER_RENEW_SECONDS={value:g} must be at most half of "
                f"REMINDER_LEASE_SECONDS={lease}: a lease is renewed twice before it runs out"
            )
        return value

    @property
    def reminder_defaults(self) -> tuple[timedelta, ...]:
        return parse_offsets(self.reminder_default_offsets)

    @field_validator("bridge_admins")
    @classmethod
    def _admins(cls, value: str) -> str:
        BridgeAdmins.parse(value)  # raises ValueError naming the bad entry
        return value

    @property
    def admins(self) -> BridgeAdmins:
        return BridgeAdmins.parse(self.bridge_admins)

    @field_validator("metrics_token", mode="before")
    @classmethod
    def _bearer_token(cls, value: object) -> object:
        return bearer_token(value)

    @field_validator("public_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return http_url(value)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # DATABASE_URL is not a SecretStr (people read it in doctor's output),
        # but its password must not reach a repr or a log.
        for name, value in super().__repr_args__():
            hidden = name == "database_url" and isinstance(value, str)
            yield name, (redact_url(value) if hidden else value)

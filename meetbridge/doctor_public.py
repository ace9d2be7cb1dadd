"""``doctor``'s checks of the public side: PUBLIC_URL reaches this bridge
(its ``/healthz`` answers with this bridge's instance id) over https unless
it is this machine, and LINK_SECRET, which signs the links under it, is there
and long enough."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, nullcontext
from http import HTTPStatus

import httpx

from adapters.findings import Finding, first_line, plain_http
from adapters.httpclient import tls_problem
from bot.settings import Settings, shown_url

MIN_LINK_SECRET = 32
FETCH_SECONDS = 10.0


def check_link_secret(settings: Settings) -> list[Finding]:
    if not settings.public_url:
        return []
    secret = settings.link_secret.get_secret_value() if settings.link_secret else ""
    make = "make one with `openssl rand -hex 32`"
    if not secret:
        return [
            Finding(
                "LINK_SECRET",
                False,
                f"not set although PUBLIC_URL is: the app links and calendar files under "
                f"PUBLIC_URL are signed with it; {make}",
            )
        ]
    if len(secret) < MIN_LINK_SECRET:
        return [
            Finding(
                "LINK_SECRET",
                False,
                f"{len(secret)} characters: too short to resist guessing; use at least "
                f"{MIN_LINK_SECRET} ({make})",
            )
        ]
    return [Finding("LINK_SECRET", True, f"set, {len(secret)} characters")]


async def _instance(client: httpx.AsyncClient, url: str) -> str | None:
    """The instance id a meetbridge ``/healthz`` at ``url`` answers with; ``None``
    when something else answers. Transport errors propagate."""
    answer = await client.get(url)
    if answer.status_code != HTTPStatus.OK:
        return None
    try:
        body = answer.json()
    except ValueError:
        return None
    instance = body.get("instance") if isinstance(body, dict) else None
    return instance if isinstance(instance, str) else None


@asynccontextmanager
async def _stand_in(host: str, port: int, instance: str) -> AsyncIterator[bool]:
    """While no bridge runs here, a listener on HOST:PORT that answers
    ``/healthz`` with ``instance``, so the route from PUBLIC_URL can be traced
    to this host; yields False when the port cannot be taken."""
    body = json.dumps({"status": "ok", "instance": instance}).encode()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), FETCH_SECONDS)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    try:
        server = await asyncio.start_server(answer, host, port)
    except OSError:
        yield False
        return
    try:
        yield True
    finally:
        server.close()
        await server.wait_closed()


def _local_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "", "::") else host  # noqa: S104 (a comparison)


def check_public_scheme(settings: Settings) -> list[Finding]:
    """A warning for plain http beyond this machine: the addresses under
    PUBLIC_URL are secrets themselves (a calendar feed's key, a signed app
    link), readable and reusable by anyone on the path."""
    why = (
        "the calendar feed addresses and app links under it carry their keys in the URL, "
        "readable by anyone between the people and the bridge; serve it over https (Slack "
        "and Telegram only call https addresses)"
    )
    return plain_http(settings.public_url, "PUBLIC_URL", why)


# The bridge's own pages under PUBLIC_URL (the app links, the calendar files).
OWN_PATHS = ("/open", "/ics/")


async def check_public_url(settings: Settings, paths: Sequence[str] = ()) -> list[Finding]:
    """PUBLIC_URL reaches this bridge; ``paths`` are the messengers' webhooks
    the reverse proxy must pass too."""
    if not settings.public_url:
        return []
    public = f"{settings.public_url}/healthz"
    shown = shown_url(public)  # a user and password in it stay out of the output
    host = _local_host(settings.host)
    local = f"http://{host}:{settings.port}/healthz"
    async with httpx.AsyncClient(timeout=FETCH_SECONDS, follow_redirects=False) as client:
        try:
            here = await _instance(client, local)
        except httpx.HTTPError:
            here = None  # no bridge runs on this host's HOST:PORT now
        stand_in = secrets.token_hex(6) if here is None else None
        listening = _stand_in(host, settings.port, stand_in) if stand_in else nullcontext(False)
        async with listening as standing:
            expected = here or (stand_in if standing else None)
            try:
                there = await _instance(client, public)
            except httpx.HTTPError as exc:
                problem = tls_problem(exc, None) or first_line(exc)
                return [
                    Finding(
                        "PUBLIC_URL",
                        False,
                        f"{shown} cannot be reached from here ({problem}): check the DNS "
                        "name, the reverse proxy and its certificate",
                    )
                ]
    if there is None:
        return [
            Finding(
                "PUBLIC_URL",
                False,
                f"{shown} answers, but not as meetbridge: let the reverse proxy pass "
                f"/healthz (with {', '.join([*paths, *OWN_PATHS][:-1])} and {OWN_PATHS[-1]}) "
                "to the bridge",
            )
        ]
    if expected is None or there == expected:
        where = "this bridge" if here else f"this host's port {settings.port}"
        known = "" if expected else " (this host's port is taken: not traced further)"
        return [Finding("PUBLIC_URL", True, f"{shown} reaches {where}{known}")]
    if here is not None:
        return [
            Finding(
                "PUBLIC_URL",
                True,
                f"{shown} reaches another meetbridge (instance {there}; this one is {here}): "
                "fine for replicas behind one load balancer",
            )
        ]
    return [
        Finding(
            "PUBLIC_URL",
            False,
            f"{shown} reaches a meetbridge elsewhere (instance {there}), not this host's "
            f"port {settings.port}: point the reverse proxy at this host's HOST:PORT",
        )
    ]

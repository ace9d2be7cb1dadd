"""Requests to the TrueConf server per command kind, and token requests per
1,000 commands and per token lifetime, as the sandbox counts them.

    .venv/bin/python -m bench.trueconf_calls [--commands 1000] [--lifetime 4] [--quick]

``meetbridge serve`` (Slack HTTP mode) gets signed ``/meet`` commands one at a
time; the sandbox's request log says what each one cost. Mentions are Slack
users whose e-mail the sandbox knows and who have not linked a TrueConf login,
so each costs a user lookup. Then ``--commands`` commands in a mix, counting
token requests; then the sandbox's token lifetime is cut to ``--lifetime``
seconds (its tokens revoked, so the bridge learns the new lifetime) and commands
keep coming for several lifetimes.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import re
import time
from collections import Counter
from dataclasses import dataclass

from bench._bridge import Rig
from bench._cli import arguments, parse
from bench._machine import describe
from bench._report import Goal, command, table, verdict, write_section
from bench._slack import MENTIONS, fresh_mentions

NAME = "trueconf_calls"
TOKEN_ENDPOINT = "POST /oauth2/v1/token"  # noqa: S105 (a route, not a secret)
CREATE = "POST /conferences"
MEETING = re.compile(r"Meeting #(\d+)")


@dataclass(frozen=True)
class Kind:
    name: str
    text: str  # ``{id}``: a meeting made for it; ``{fresh}``: 2 people never mentioned
    creates: bool = False
    again: bool = False  # sent once unmeasured first: its people were just looked up


@dataclass(frozen=True)
class Result:
    kinds: list[tuple[Kind, Counter[str], bool]]
    tokens: int  # over the mixed commands
    api_requests: int
    seconds: float
    short_tokens: int  # with the short lifetime
    short_seconds: float
    refused: int


KINDS = [
    Kind("now", "now Calls check", creates=True),
    Kind("now, 2 mentions", "now Calls check {fresh}", creates=True),
    Kind("once, 2 mentions", "tomorrow 15:00 for 1h Calls check {fresh}", creates=True),
    Kind("weekly, 2 mentions", "weekly mon,wed 10:00 for 30m Calls {fresh}", creates=True),
    Kind("now, the same 2 again", f"now Calls check {MENTIONS}", creates=True, again=True),
    Kind("invite 1 person", "invite {id} <@U0DAVE|dave>"),
    Kind("info", "info {id}"),
    Kind("guest", "guest {id}"),
    Kind("list", "list"),
    Kind("cancel", "cancel {id}"),
]
MIX = ["now Mix", "tomorrow 16:00 for 30m Mix", "list", "info {id}", "guest {id}"]


def api_calls(rig: Rig) -> list[str]:
    """The sandbox's log since the last call (token requests included), cleared."""
    calls = [e.endpoint for e in rig.sandbox.state.request_log]
    rig.sandbox.state.clear_log()
    return calls


def new_meeting(rig: Rig) -> str:
    timing = rig.command("tomorrow 12:00 for 30m Target")
    found = MEETING.search(rig.reply_text(timing))
    if found is None:
        raise RuntimeError(f"no meeting number in {rig.reply_text(timing)!r}")
    return found.group(1)


def per_kind(rig: Rig, repeats: int) -> list[tuple[Kind, Counter[str], bool]]:
    rows = []
    people = itertools.count(250)  # people 500 on (bridge_overhead names the first ones)
    for kind in KINDS:
        seen: list[Counter[str]] = []
        if kind.again:
            rig.command(kind.text)
        for _ in range(repeats):
            meeting = new_meeting(rig) if "{id}" in kind.text else ""
            text = kind.text.format(id=meeting, fresh=fresh_mentions(next(people) * 2))
            api_calls(rig)
            rig.command(text)
            seen.append(Counter(c for c in api_calls(rig) if c != TOKEN_ENDPOINT))
        rows.append((kind, seen[0], all(s == seen[0] for s in seen)))
    return rows


def tokens_per_commands(rig: Rig, count: int) -> tuple[int, int, float]:
    """Token requests and conference-API requests over ``count`` mixed commands
    from a bridge process started afresh (so holding no token yet)."""
    meeting = new_meeting(rig)
    rig.restart()
    api_calls(rig)
    started = time.monotonic()
    for text in itertools.islice(itertools.cycle(MIX), count):
        rig.command(text.format(id=meeting))
    calls = Counter(api_calls(rig))
    return (
        calls[TOKEN_ENDPOINT],
        sum(calls.values()) - calls[TOKEN_ENDPOINT],
        time.monotonic() - started,
    )


def tokens_per_lifetime(rig: Rig, lifetime: int, lifetimes: float) -> tuple[int, float, int]:
    """Tokens fetched while commands keep coming for ``lifetimes`` lifetimes."""
    state = rig.sandbox.state
    state.token_lifetime = lifetime
    state.revoke_tokens()  # the bridge's cached token is refused once; it fetches a short one
    api_calls(rig)
    started = time.monotonic()
    while time.monotonic() - started < lifetime * lifetimes:
        rig.command("info 1")
    elapsed = time.monotonic() - started
    log = state.request_log
    refused = sum(1 for e in log if e.status in (401, 403))
    return sum(1 for e in log if e.endpoint == TOKEN_ENDPOINT), elapsed, refused


def report(
    args: argparse.Namespace, machine: str, took: float, r: Result
) -> tuple[str, list[Goal]]:
    rows = []
    creation_ok = True
    for kind, calls, stable in r.kinds:
        listed = ", ".join(f"{n}× `{e}`" if n > 1 else f"`{e}`" for e, n in sorted(calls.items()))
        if kind.creates:
            creation_ok &= calls[CREATE] == 1 and not any("invit" in e for e in calls)
        rows.append(
            [
                f"`{kind.name}`",
                sum(calls.values()),
                listed or "none",
                "yes" if stable else "NO",
            ]
        )
    tokens, api, seconds = r.tokens, r.api_requests, r.seconds
    short_tokens, short_seconds, refused = r.short_tokens, r.short_seconds, r.refused
    lifetimes = short_seconds / args.lifetime
    per_lifetime = (short_tokens - 1) / lifetimes  # the first one replaces the revoked token
    token_ok = tokens <= 1 and per_lifetime <= 1.2
    goals = [
        Goal(
            "One request creates a conference with its invitations",
            f"`{CREATE}` once per creating command; plus one `GET /users` per unlinked"
            " mention not looked up in the last minute",
            creation_ok,
        ),
        Goal(
            "One token per token lifetime",
            f"{tokens} token for {args.commands:,} commands;"
            f" {per_lifetime:.2f} per {args.lifetime} s lifetime",
            token_ok,
        ),
    ]
    text = f"""## 3. Calls to the conference server (`bench/trueconf_calls.py`)

`{command(f"bench.{NAME}")}` — {took:.0f} s. {machine}

Signed `/meet` commands to `meetbridge serve` (Slack HTTP mode), one at a time,
each kind {args.repeats} times, counted by the TrueConf sandbox's request log (token
requests apart). A mention is a Slack user the sandbox knows by e-mail, with no
linked TrueConf login, never mentioned before (each run names two new people); the
same two again are people another command has just named, whose e-mails'
answers the bridge reuses for 60 s.

{table(["command", "requests", "which", f"same each of {args.repeats} times"], rows)}

Token requests: **{tokens}** over {args.commands:,} mixed commands sent to a freshly
started bridge ({", ".join(f"`{m}`" for m in MIX)}; {api:,} conference-API requests in
{seconds:.0f} s, within one token lifetime of 3,600 s): {tokens / args.commands * 1000:.1f} per
1,000 commands.
With the sandbox's token lifetime cut to {args.lifetime} s: {short_tokens} tokens over
{short_seconds:.1f} s of commands ({lifetimes:.1f} lifetimes), one of them replacing the
revoked token ({refused} request refused for it), so **{per_lifetime:.2f} per lifetime**: the
bridge refreshes a tenth of a short lifetime early (a minute early for long ones).

Goal: one request to create a conference with its invitations
({verdict(creation_ok)}: one `{CREATE}` carries every invitation; each mentioned person
without a linked login costs one `GET /users` lookup first, all of a command's at once,
none for an e-mail looked up in the last minute), and
one token per token lifetime ({verdict(token_ok)}).
"""
    return text, goals


def run(args: argparse.Namespace) -> Result:
    with Rig(database=args.database) as rig:
        rig.command("list")  # warm-up: the first token
        kinds = per_kind(rig, args.repeats)
        tokens, api, seconds = tokens_per_commands(rig, args.commands)
        short = tokens_per_lifetime(rig, args.lifetime, args.lifetimes)
    return Result(kinds, tokens, api, seconds, *short)


def main() -> None:
    parser = arguments(__doc__, quick="one run each, 100 commands")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each command kind")
    parser.add_argument("--commands", type=int, default=1000, help="mixed commands for tokens")
    parser.add_argument("--lifetime", type=int, default=4, help="short token lifetime, s")
    parser.add_argument("--lifetimes", type=float, default=3.0, help="how many to run through")
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    args = parse(parser, repeats=1, commands=100)
    machine = asyncio.run(describe())
    started = time.monotonic()
    result = run(args)
    write_section(NAME, *report(args, machine, time.monotonic() - started, result))


if __name__ == "__main__":
    main()

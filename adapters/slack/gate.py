"""What ``POST /slack/events`` checks before bolt sees a request.

bolt turns several hostile requests into a 500 with a traceback: it converts
``X-Slack-Request-Timestamp`` with ``int()``, decodes the body as UTF-8, and
parses ``payload=`` as JSON before it checks the signature, and the listeners
index fields Slack always sends but a forger need not. Here each of those is
answered first, in order: a timestamp that is not a number is unauthenticated
(401), a body that is not UTF-8 is malformed (400), a bad or stale signature
is 401, and a signed body that cannot be parsed, or that lacks what its kind
always carries, is 400, and so is one whose response URL points anywhere but
Slack (the answer, private ones too, would be posted there). What passes
reaches bolt with the body parsed here:
bolt takes any form body that contains the word "payload" for an interaction
and reads ``/meet now payload review`` as nothing at all. bolt still checks
the signature itself (one more HMAC).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from slack_sdk.signature import Clock, SignatureVerifier
from starlette.responses import JSONResponse, Response

log = logging.getLogger(__name__)

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
# Where Slack's response URLs point (https://hooks.slack.com/commands/…,
# /actions/…, /app/…); SlackConfig adds the origin of SLACK_API_URL.
SLACK_HOOKS = "https://hooks.slack.com"


def _refuse(status: int, why: str) -> Response:
    log.warning("refused a Slack request: %s", why)
    return JSONResponse({"ok": False, "error": why}, status_code=status)


def _has_str(node: Any, *path: str) -> bool:
    for key in path:
        if not isinstance(node, dict):
            return False
        node = node.get(key)
    return isinstance(node, str) and node != ""


def _are_actions(actions: Any) -> bool:
    """Slack's ``actions``: one or more objects, each naming its ``action_id``
    (bolt matches listeners on the first one's before any listener runs)."""
    return (
        isinstance(actions, list)
        and actions != []
        and all(_has_str(action, "action_id") for action in actions)
    )


def _are_response_urls(urls: Any) -> bool:
    """A form's ``response_urls``: a list of objects, each with the channel
    and the URL (bolt reads the first one's URL before any listener runs)."""
    return isinstance(urls, list) and all(
        _has_str(url, "response_url") and _has_str(url, "channel_id") for url in urls
    )


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, as written."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _points_to(url: Any, origins: frozenset[str]) -> bool:
    """``url`` is an address on one of ``origins``: no user part, no
    whitespace or control characters a client might read otherwise."""
    # isprintable() refuses every whitespace but the ASCII space.
    if not isinstance(url, str) or not url.isprintable() or " " in url:
        return False
    try:
        return origin_of(url) in origins and urlsplit(url).path.startswith("/")
    except ValueError:  # a broken [host]
        return False


def _response_url_problem(body: dict[str, Any], origins: frozenset[str]) -> str | None:
    """A response URL that is not Slack's: the bridge posts its answer there."""
    listed = body.get("response_urls")
    urls = (
        [u.get("response_url") for u in listed if isinstance(u, dict)]
        if isinstance(listed, list)
        else []
    )
    urls.append(body.get("response_url"))
    # None and "": no URL (App Home's presses), nothing is posted by one.
    if all(url in (None, "") or _points_to(url, origins) for url in urls):
        return None
    return "a response_url that is not Slack's"


def _event_problem(body: dict[str, Any]) -> str | None:
    """Why an event cannot be served: its team and type; a home tab opened
    names its user; revoked tokens come as an object of lists of ids (bolt's
    own listener iterates them before anything of ours runs)."""
    event = body.get("event")
    if not isinstance(event, dict) or not _has_str(body, "team_id"):
        return "an event without team_id or event"
    if not _has_str(event, "type"):
        return "an event without a type"
    if event["type"] == "app_home_opened" and not _has_str(event, "user"):
        return "app_home_opened without user"
    if event["type"] == "tokens_revoked" and not _are_revoked(event.get("tokens")):
        return "tokens_revoked without lists of ids"
    return None


def _are_revoked(tokens: Any) -> bool:
    return isinstance(tokens, dict) and all(
        isinstance(ids, list) and all(isinstance(i, str) for i in ids)
        for ids in (tokens.get("bot", []), tokens.get("oauth", []))
    )


# What each kind of request must carry for the listeners that serve it.
_COMMAND_FIELDS = ("team_id", "user_id", "channel_id", "trigger_id")
# Slack's ids are about a dozen characters, its trigger ids about fifty; the
# accepted-commands keys made of them (three ids and a colon each) must fit
# their columns (200).
_ID_MOST = 64


def _command_problem(body: dict[str, Any], origins: frozenset[str]) -> str | None:
    missing = [name for name in _COMMAND_FIELDS if not _has_str(body, name)]
    if missing:
        return f"a command without {', '.join(missing)}"
    too_long = [name for name in _COMMAND_FIELDS if len(body[name]) > _ID_MOST]
    if too_long:
        return f"a command whose {', '.join(too_long)} is longer than Slack's ids"
    # Slack's ids are printable; a NUL is refused by PostgreSQL, and would fail
    # every command written in the same statement as it.
    unprintable = [name for name in _COMMAND_FIELDS if not body[name].isprintable()]
    if unprintable:
        return f"a command whose {', '.join(unprintable)} holds control characters"
    return _response_url_problem(body, origins)


def _problem(body: Any, origins: frozenset[str]) -> str | None:
    """Why a parsed, signed body cannot be served; ``None`` when it can."""
    if not isinstance(body, dict) or not body:
        return "not a Slack payload"
    if "command" in body:
        return _command_problem(body, origins)
    kind = body.get("type")
    if not isinstance(kind, str):
        return "a payload without a type"
    if kind == "url_verification":
        return None if _has_str(body, "challenge") else "url_verification without a challenge"
    if not _bolt_reads_them(body):
        return "team, user, channel or enterprise neither a string nor an object"
    if kind == "event_callback":
        return _event_problem(body)
    if kind not in _SERVED:  # no listener: bolt's matchers would read it all the same
        return f"{kind}: not an interaction the bridge serves"
    if not _has_str(body, "team", "id") or not _has_str(body, "user", "id"):
        return f"{kind} without team.id or user.id"
    if kind == "block_actions" and (
        not _has_str(body, "trigger_id") or not _are_actions(body.get("actions"))
    ):
        return "block_actions without trigger_id or actions"
    if kind == "view_submission" and (problem := _submission_problem(body)):
        return problem
    return _response_url_problem(body, origins)


# The interactions the bridge has listeners for (button presses, its form).
_SERVED = frozenset({"block_actions", "view_submission"})
# Fields bolt reads to build its context before any listener runs: each a
# string or an object (``"id" in 5`` is a TypeError, a list has no ``get``).
_CONTEXT_FIELDS = ("team", "user", "channel", "enterprise")


def _bolt_reads_them(body: dict[str, Any]) -> bool:
    event = body.get("event")
    nodes = [body, event, event.get("message")] if isinstance(event, dict) else [body]
    return all(
        node.get(name) is None or isinstance(node.get(name), str | dict)
        for node in nodes
        if isinstance(node, dict)
        for name in _CONTEXT_FIELDS
    )


def _submission_problem(body: dict[str, Any]) -> str | None:
    """Why a submitted view cannot be served: Slack sends its id, its state's
    values as an object of blocks, each an object, the private metadata the
    bridge put in as a string, and its response URLs as objects."""
    if not _are_response_urls(body.get("response_urls", [])):
        return "view_submission whose response_urls are not Slack's"
    view = body["view"] if isinstance(body.get("view"), dict) else {}
    # bolt reads the type before any listener: the bridge opens only modals.
    if view.get("type") != "modal":
        return "view_submission of a view that is not a modal"
    if not _has_str(view, "callback_id"):
        return "view_submission without view.callback_id"
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    if not _has_str(view, "id") or not isinstance(values, dict):
        return "view_submission without view.id or state"
    if not all(isinstance(block, dict) for block in values.values()):
        return "view_submission whose state holds a block that is not an object"
    if not isinstance(view.get("private_metadata", ""), str):
        return "view_submission whose private_metadata is not a string"
    return None


class SlackGate:
    """Checks one ``/slack/events`` request; ``None`` lets it through to bolt."""

    def __init__(
        self,
        signing_secret: str,
        clock: Clock | None = None,
        *,
        response_origins: frozenset[str] = frozenset({SLACK_HOOKS}),
    ) -> None:
        self._verifier = SignatureVerifier(signing_secret, clock or Clock())
        self._origins = response_origins  # where a response URL may point

    def __repr__(self) -> str:
        return "SlackGate()"

    def check(self, body: bytes, headers: Mapping[str, str]) -> Response | dict[str, Any]:
        """The refusal to send back, or the parsed body of a request to serve."""
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not _TIMESTAMP.fullmatch(timestamp) or not signature.isascii():
            return _refuse(401, "no valid signature")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _refuse(400, "the body is not UTF-8")
        if not self._verifier.is_valid(text, timestamp, signature):
            return _refuse(401, "no valid signature")
        try:
            parsed = parse(text, headers.get("content-type"))
        except (ValueError, RecursionError):  # JSON errors are ValueErrors
            return _refuse(400, "the body is not JSON where JSON is due")
        problem = _problem(parsed, self._origins)
        if problem is not None:
            return _refuse(400, problem)
        return dict(parsed)


def unreadable() -> Response:
    """The answer to a signed body bolt cannot build its context from."""
    return _refuse(400, "a payload whose fields bolt cannot read")


def parse(text: str, content_type: str | None) -> Any:
    """A body as Slack means it: JSON (events), a form with a JSON ``payload``
    field (interactions), or a plain form (commands). bolt's rules, except that
    a form is an interaction only when it has a ``payload`` field, not when
    the word appears anywhere in it."""
    if (content_type or "").split(";")[0].strip() == "application/json" or text.startswith("{"):
        return json.loads(text)
    fields = dict(parse_qsl(text, keep_blank_values=True))
    return json.loads(fields["payload"]) if "payload" in fields else fields

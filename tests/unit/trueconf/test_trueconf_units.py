"""Pure parts of the TrueConf adapter: error parsing, JSON mapping, TLS defaults, texts."""

from __future__ import annotations

import json
import ssl
import string
from datetime import UTC, datetime, time, timedelta
from urllib.parse import quote

import certifi
import httpx
import pytest

from adapters.httpclient import build_http_client, tls_verification
from adapters.trueconf.auth import TrueConfAuth, refresh_margin
from adapters.trueconf.client import encode_path, parse_api_version
from adapters.trueconf.errors import DOCUMENTED_REASONS, REFUSALS, error_from_payload
from adapters.trueconf.mapping import (
    conference_from_json,
    default_deeplinks,
    invitation_list,
    schedule_body,
)
from bot.errors import BackendAuthError
from bot.i18n.backend_texts import TEXTS
from bot.schedule import Instant, Once, Weekday, Weekly

# The reference's Conference example, as the server sends it (JSON-escaped backslashes).
REFERENCE_CONFERENCE = r"""{
  "id": "1313717611", "topic": "Topic", "state": "stopped",
  "url": "https://server.name/c/1313717611",
  "webclient_url": "https://server.name/webrtc/1313717611",
  "schedule": {"type": 0, "start_time": 1509523200, "duration": 3600, "time": "11:30",
               "time_offset": 180, "days": ["monday"]},
  "invitations": [{"id": "user1", "display_name": "user1"}],
  "deeplinks": {
    "default": "trueconf:\\c\\1313717611@example.trueconf.name%23vcs&h=10.110.14.123",
    "android": "intent:\\c\\1313717611%40example.trueconf.name%23vcs%26h%3d10.110.14.123#Intent;scheme=trueconf;package=com.trueconf.videochat;end"
  },
  "connect_urls": {"sip_external": null,
                   "sip": ["001313717611@10.110.14.123"],
                   "h323": ["10.110.14.123##001313717611"]},
  "pin": null
}"""  # noqa: E501 - the reference's deeplink, verbatim

USER_FACING_REASONS = [
    "conferenceNotFound",
    "userNotFound",
    "conferenceLimit",
    "ongoingConferencesLimit",
    "conferenceMaxInvitationsLimit",
    "maxGuestsLimitReached",
    "conferenceUnavailableForChange",
    "conferenceIsFinished",
    "conferenceIsNotRunning",
    "participantIsUnavailable",
    "participantAlreadyInConference",
    "conferenceFieldUnavailableForChange",
    "forbidden",
    "invalidCredentials",
    "timeout",
    "unreachable",
    "serviceUnavailable",
    "invalidResponse",
    "conferenceOwnerNotInInvitationsList",
]


def test_reference_conference_maps_with_single_backslashes() -> None:
    conference = conference_from_json(json.loads(REFERENCE_CONFERENCE), "ignored.host")
    assert conference.join.app_deeplink.startswith("trueconf:\\c\\1313717611@")
    assert conference.join.app_deeplink.count("\\") == 2
    assert conference.join.android_intent.count("\\") == 2
    assert conference.join.sip == ("001313717611@10.110.14.123",)
    assert conference.join.h323 == ("10.110.14.123##001313717611",)
    assert conference.join.sip_external == ""
    assert conference.next_start == datetime.fromtimestamp(1509523200, UTC)
    assert conference.server_time_offset_minutes == 180
    assert conference.invited_logins == ("user1",)
    assert conference.pin is None


@pytest.mark.parametrize("deeplinks", [None, {}, [], {"default": ""}])
def test_missing_deeplinks_are_built_from_id_and_host(deeplinks: object) -> None:
    data = json.loads(REFERENCE_CONFERENCE)
    data["id"] = "0042"
    data["deeplinks"] = deeplinks
    join = conference_from_json(data, "video.example.com").join
    assert join.app_deeplink == "trueconf:\\c\\0042@video.example.com%23vcs"
    built = (
        "intent:\\c\\0042%40video.example.com%23vcs"
        "#Intent;scheme=trueconf;package=com.trueconf.videochat;end"
    )
    assert default_deeplinks("0042", "video.example.com") == (join.app_deeplink, built)
    # Where the app is missing, Android opens the browser link instead.
    fallback = quote(join.browser_url, safe="")
    assert join.browser_url
    assert (
        join.android_intent == built.removesuffix("end") + f"S.browser_fallback_url={fallback};end"
    )


def test_invitation_list_puts_owner_first_once() -> None:
    assert invitation_list("carol", ("bob", "carol", "bob", "", "alice")) == [
        "carol",
        "bob",
        "alice",
    ]


def test_schedule_bodies() -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    start = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    assert schedule_body(Instant(), None, "UTC", now) == {"type": -1}
    assert schedule_body(Once(start, "UTC"), timedelta(minutes=30), "UTC", now) == {
        "type": 1,
        "start_time": int(start.timestamp()),
        "duration": 1800,
    }
    # Sunday 23:30 in Moscow is Sunday 20:30 UTC: no day change the other way round.
    rule = Weekly(frozenset({Weekday.SUNDAY}), time(23, 30), "Europe/Moscow")
    assert schedule_body(rule, None, "Asia/Tokyo", now) == {
        "type": 0,
        "days": ["monday"],
        "time": "05:30",
        "duration": 3600,
    }


@pytest.mark.parametrize(
    ("payload", "reason", "status"),
    [
        (
            {
                "error": {
                    "code": 404,
                    "message": "Not Found",
                    "errors": [{"reason": "userNotFound"}],
                }
            },
            "userNotFound",
            404,
        ),
        ({"error": {"code": 503, "message": "Service Unavailable"}}, "serviceUnavailable", 503),
        ({"error": {"code": 500, "message": "Internal"}}, "serverError", 500),
        ({"error": "invalid_client", "error_description": "bad"}, "invalid_client", 400),
        ({"error": ""}, "serverError", 400),
        ({"error": None}, "invalidResponse", 400),
        ("text", "invalidResponse", 400),
    ],
)
def test_error_payloads(payload: object, reason: str, status: int) -> None:
    error = error_from_payload(payload, 400)
    assert (error.reason, error.status) == (reason, status)


def test_auth_reasons_are_auth_errors_and_secrets_are_redacted() -> None:
    payload = {
        "error": {
            "code": 403,
            "message": "Forbidden",
            "errors": [{"reason": "accessTokenInvalid", "message": "token abc123-tkn expired"}],
        }
    }
    error = error_from_payload(payload, 403, secrets=("abc123-tkn",))
    assert isinstance(error, BackendAuthError)
    assert "abc123-tkn" not in str(error)


def test_paths_and_versions() -> None:
    assert encode_path("conferences", "a/b c", "x@y#z") == "conferences/a%2Fb%20c/x%40y%23z"
    assert encode_path("..", ".") == "%2E%2E/%2E"
    assert parse_api_version("v3.10") == (3, 10)
    assert parse_api_version("v3.1") < (3, 5) <= parse_api_version("v3.5")
    with pytest.raises(ValueError, match="TrueConf API version"):
        parse_api_version("latest")


def test_refresh_margin_is_short_for_short_lifetimes() -> None:
    assert refresh_margin(3600) == timedelta(seconds=60)
    assert refresh_margin(604800) == timedelta(seconds=60)
    assert refresh_margin(20) == timedelta(seconds=2)


def test_tls_is_verified_by_default() -> None:
    assert tls_verification(None) is True
    assert tls_verification("") is True
    context = tls_verification(certifi.where())
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname


@pytest.mark.parametrize("ca_bundle", [None, certifi.where()])
async def test_client_factory_builds_a_verifying_client(ca_bundle: str | None) -> None:
    async with build_http_client("https://tcs.example.com/", ca_bundle=ca_bundle, timeout=7) as c:
        assert str(c.base_url) == "https://tcs.example.com"
        assert c.timeout == httpx.Timeout(7)
        pool = c._transport._pool  # type: ignore[attr-defined]
        context = pool._ssl_context
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname


async def test_auth_repr_hides_the_secret() -> None:
    async with httpx.AsyncClient() as http:
        auth = TrueConfAuth(http, "bridge", "super-secret-value")
        assert "super-secret-value" not in repr(auth)
        assert "super-secret-value" not in str(auth)
        assert "bridge" in repr(auth)


@pytest.mark.parametrize("reason", sorted(DOCUMENTED_REASONS | set(USER_FACING_REASONS)))
def test_every_user_facing_reason_has_both_languages(reason: str) -> None:
    texts = TEXTS[f"backend.{REFUSALS[reason].value}"]
    assert texts["en"].strip()
    assert texts["ru"].strip()
    assert any(ch in texts["ru"] for ch in "абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
    assert texts["en"][-1] in ".!"
    assert texts["ru"][-1] in ".!"


def test_unknown_reason_text_names_the_reason() -> None:
    for lang in ("en", "ru"):
        template = TEXTS["backend.unknown"][lang]
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert fields == {"reason"}
        assert "someNewReason" in template.format(reason="someNewReason")
    # The one other with a field: refused credentials name what fixes them.
    others = {k: v for k, v in TEXTS.items() if k not in ("backend.unknown", "backend.credentials")}
    for texts in others.values():
        for template in texts.values():
            assert "{" not in template

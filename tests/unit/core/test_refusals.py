"""The core branches on ``Refusal``, never on a server's own words: each
adapter names the refusals the core acts on."""

from __future__ import annotations

import httpx

from adapters.callaba.errors import error_from_response as callaba_error
from adapters.trueconf.errors import error_from_payload
from bot.errors import Refusal


def _envelope(reason: str) -> dict[str, object]:
    return {"error": {"errors": [{"reason": reason}]}}


def test_trueconf_reasons_become_the_cores_refusals() -> None:
    assert error_from_payload(_envelope("conferenceUnavailableForChange"), 400).refusal is (
        Refusal.RUNNING
    )
    assert error_from_payload(_envelope("conferenceNotFound"), 404).refusal is Refusal.NOT_FOUND
    assert error_from_payload(_envelope("conferenceLimit"), 400).refusal is Refusal.OTHER


def test_callabas_missing_room_is_not_found() -> None:
    request = httpx.Request("GET", "https://rooms.test/api/getById")
    missing = callaba_error(httpx.Response(404, json={"message": "no room"}, request=request))
    assert missing.refusal is Refusal.NOT_FOUND

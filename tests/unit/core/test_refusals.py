"""The core branches on ``Refusal``, never on a server's own words: each
adapter names the refusals the core acts on."""

from __future__ import annotations

import httpx
import pytest

from adapters.callaba.errors import REASONS as CALLABA_REASONS
from adapters.callaba.errors import REFUSALS as CALLABA_REFUSALS
from adapters.callaba.errors import error_from_response as callaba_error
from adapters.trueconf.errors import DOCUMENTED_REASONS, REFUSALS, error_from_payload
from bot.errors import BackendError, Refusal
from bot.explain import backend_message
from bot.i18n import Translator
from bot.i18n.backend_texts import TEXTS


def _envelope(reason: str) -> dict[str, object]:
    return {"error": {"errors": [{"reason": reason}]}}


def test_trueconf_reasons_become_the_cores_refusals() -> None:
    assert error_from_payload(_envelope("conferenceUnavailableForChange"), 400).refusal is (
        Refusal.RUNNING
    )
    assert error_from_payload(_envelope("conferenceNotFound"), 404).refusal is Refusal.NOT_FOUND
    assert error_from_payload(_envelope("conferenceLimit"), 400).refusal is (
        Refusal.CONFERENCE_LIMIT
    )
    assert error_from_payload(_envelope("someNewReason"), 400).refusal is Refusal.OTHER


@pytest.mark.parametrize("reason", sorted(DOCUMENTED_REASONS))
def test_every_reason_trueconf_documents_is_a_core_reason(reason: str) -> None:
    assert REFUSALS[reason] is not Refusal.OTHER


@pytest.mark.parametrize("reason", sorted(CALLABA_REASONS))
def test_every_reason_callaba_gives_is_a_core_reason(reason: str) -> None:
    assert CALLABA_REFUSALS[reason] is not Refusal.OTHER


@pytest.mark.parametrize("refusal", [r for r in Refusal if r is not Refusal.OTHER])
def test_every_core_reason_has_a_sentence_in_both_languages(refusal: Refusal) -> None:
    error = BackendError("x", refusal=refusal, settings=("SOME_SETTING",))
    english, russian = (backend_message(error, Translator(lang)) for lang in ("en", "ru"))
    assert english != russian
    assert english.endswith(".")
    assert russian.endswith(".")


def test_refused_credentials_name_the_settings_that_fix_them() -> None:
    trueconf = error_from_payload({"error": "invalidCredentials"}, 401)
    assert "TRUECONF_CLIENT_SECRET" in backend_message(trueconf, Translator("ru"))
    request = httpx.Request("GET", "https://rooms.test/api/getAll")
    callaba = callaba_error(httpx.Response(401, json={"message": "no"}, request=request))
    assert "CALLABA_TOKEN" in backend_message(callaba, Translator("en"))


def test_no_server_reason_is_a_sentence_key_in_the_core() -> None:
    wire = DOCUMENTED_REASONS | CALLABA_REASONS
    keys = {key.removeprefix("backend.") for key in TEXTS}
    assert keys & wire <= {"timeout", "unreachable", "forbidden"}  # words, not wire names


def test_callabas_missing_room_is_not_found() -> None:
    request = httpx.Request("GET", "https://rooms.test/api/getById")
    missing = callaba_error(httpx.Response(404, json={"message": "no room"}, request=request))
    assert missing.refusal is Refusal.NOT_FOUND


def test_a_conference_not_running_is_said_without_telling_to_start_it() -> None:
    # The server says so when a stop (or a call into it) finds it not running:
    # "start it first" would be the wrong advice for a stop.
    error = error_from_payload(_envelope("conferenceIsNotRunning"), 400)
    assert error.refusal is Refusal.NOT_RUNNING
    assert backend_message(error, Translator("en")) == (
        "The conference is not running now: nothing was changed."
    )
    assert backend_message(error, Translator("ru")) == (
        "Конференция сейчас не идёт: ничего не изменено."
    )

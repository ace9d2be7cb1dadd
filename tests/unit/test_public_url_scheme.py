"""``doctor`` warns about a plain-http PUBLIC_URL beyond this machine: the
addresses under it (a calendar feed's key, a signed app link) are secrets in
themselves. https, and http on this machine (a trial, a test), pass quietly;
a password in the URL stays out of the warning."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from meetbridge.doctor_public import check_public_scheme


def _settings(public_url: str | None) -> Settings:
    return Settings(public_url=public_url, _env_file=None)


@pytest.mark.parametrize(
    "url",
    ["http://meet.example.com", "http://10.0.0.7:8080", "http://[2001:db8::1]", "http://my-host"],
)
def test_plain_http_beyond_this_machine_is_a_warning_that_says_why(url: str) -> None:
    [finding] = check_public_scheme(_settings(url))
    assert finding.ok
    assert finding.warning
    assert finding.line().startswith(f"warn  PUBLIC_URL https: {url} is plain http")
    assert "calendar feed addresses and app links" in finding.detail
    assert "serve it over https" in finding.detail


@pytest.mark.parametrize(
    "url",
    [
        None,
        "https://meet.example.com",
        "http://127.0.0.1:8080",
        "http://localhost:8080",
        "http://[::1]:8080",
        "http://localhost.:8080",
        "http://bridge.localhost",
        "http://[::ffff:127.0.0.1]:8080",
        "http://127.0.0.2",
        "sandbox",
    ],
)
def test_https_and_this_machine_pass_quietly(url: str | None) -> None:
    assert check_public_scheme(_settings(url)) == []


def test_a_password_in_the_url_stays_out_of_the_warning() -> None:
    [finding] = check_public_scheme(_settings("http://admin:hunter2@meet.example.com"))
    assert "hunter2" not in finding.detail
    assert "http://***@meet.example.com" in finding.detail

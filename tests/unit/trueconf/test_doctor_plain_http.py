"""doctor warns of a TrueConf Server reached over plain http beyond this
machine: the client secret and the OAuth tokens travel in clear there. A
loopback address (a sandbox, a tunnel) stays quiet, and it is never a failure."""

from __future__ import annotations

import pytest

from adapters.findings import Finding
from meetbridge.config import load_config
from meetbridge.doctor import check_settings


def http_findings(url: str) -> list[Finding]:
    config = load_config(
        env_file=None,
        trueconf_server_url=url,
        trueconf_client_id="bridge",
        trueconf_client_secret="s3cret",
        trueconf_owner="admin",
    )
    return [f for f in check_settings(config) if "http" in f.name]


def test_a_plain_http_server_is_warned_of() -> None:
    (finding,) = http_findings("http://video.example.com:8080")
    assert finding.ok
    assert finding.warning
    assert finding.name == "TRUECONF_SERVER_URL https"
    assert finding.detail == (
        "http://video.example.com:8080 is plain http: the client secret and the OAuth "
        "tokens go to the server in clear, readable by anyone on the way; write "
        "https://video.example.com:8080 (with the port the server serves https on)"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://video.example.com",
        "http://127.0.0.1:20080",
        "http://localhost:8080",
        "http://[::1]:8080",
        "sandbox",
    ],
)
def test_https_and_this_machine_are_not_warned_of(url: str) -> None:
    assert http_findings(url) == []

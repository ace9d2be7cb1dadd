"""What a ``/metrics`` guarded by METRICS_TOKEN answers each kind of
scraper, over real HTTP: the same for ``serve`` and ``work --metrics-port``."""

from __future__ import annotations

import httpx

# The token the tests configure; a wrong one of the same length and one longer.
TOKEN = "metrics-token-0123456789abcdef0123456789"
WRONG_SAME_LENGTH = "metrics-token-0123456789abcdef012345678X"
LONGER = TOKEN + "0"


def scrape(url: str, authorization: str | None) -> httpx.Response:
    headers = {} if authorization is None else {"Authorization": authorization}
    return httpx.get(url, headers=headers, timeout=10.0)


def assert_refused(answer: httpx.Response) -> None:
    assert answer.status_code == 401, answer.text
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert "meetbridge_build_info" not in answer.text


def assert_guarded(url: str, token: str = TOKEN) -> None:
    """Only ``Authorization: Bearer <token>`` (the scheme in any case, RFC
    6750) is answered with the metrics; anything else is a 401 that asks for
    a bearer token, or a 4xx from the server itself, never a 500."""
    for authorization in (
        None,
        "",
        "Bearer",
        f"Bearer {WRONG_SAME_LENGTH}",
        f"Bearer {LONGER}",
        f"Bearer {token[:-1]}",
        f"Basic {token}",
        token,
        f"Bearer  {token}x",
    ):
        assert_refused(scrape(url, authorization))
    # Long enough to reach the app, and far beyond what a server reads.
    assert_refused(scrape(url, "Bearer " + "a" * 8000))
    huge = scrape(url, "Bearer " + "a" * 100_000)
    assert 400 <= huge.status_code < 500, huge.status_code
    for scheme in ("Bearer", "bearer", "BEARER"):
        answer = scrape(url, f"{scheme} {token}")
        assert answer.status_code == 200, (scheme, answer.status_code)
        assert "meetbridge_build_info" in answer.text

"""App link details that hold whichever server made the link."""

from __future__ import annotations

from urllib.parse import quote

_FALLBACK_KEY = "S.browser_fallback_url="


def with_browser_fallback(intent: str, browser_url: str) -> str:
    """An Android ``intent:`` link that, where the app is not installed, opens
    ``browser_url`` instead of the Play Store or nothing. Other links, and
    intents that already name a fallback, are returned as they are."""
    if not browser_url or not intent.lower().startswith("intent:"):
        return intent
    head, marker, tail = intent.partition("#Intent;")
    if not marker or _FALLBACK_KEY in tail or not tail.endswith("end"):
        return intent
    extra = f"{_FALLBACK_KEY}{quote(browser_url, safe='')};"
    return f"{head}{marker}{tail[: -len('end')]}{extra}end"

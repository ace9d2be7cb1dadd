"""Names given in the environment or ``.env`` that look like the bridge's
settings but are none (``TRUECONF_SERVR_URL``): pydantic-settings ignores
them in silence, so the setting meant keeps its default. ``doctor`` and
``serve`` say so, with the closest real name."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Collection, Iterable
from pathlib import Path

from dotenv import dotenv_values

# Names with these prefixes are the bridge's (its edges' families) or nobody's.
OWN_PREFIXES = ("TRUECONF_", "SLACK_", "TELEGRAM_", "CALLABA_", "REMINDER_")
# Read outside the settings: the image's build, and the test harness.
READ_ELSEWHERE = frozenset({"MEETBRIDGE_COMMIT", "MEETBRIDGE_UNAVAILABLE_TOOLS"})
# How alike a name without our prefix must be to a setting to count as a slip
# of it ("DATABSE_URL"), and not some other program's variable ("HOSTNAME").
CLOSE = 0.88
_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")


def given_names(env_file: Path | str | None) -> set[str]:
    """Every name set in the environment and in ``env_file``, upper case
    (pydantic-settings reads both without regard to case)."""
    names = {name.upper() for name in os.environ}
    if env_file is not None and Path(env_file).is_file():
        names |= {name.upper() for name in dotenv_values(env_file)}
    return names


def unknown_settings(given: Iterable[str], known: Collection[str]) -> list[str]:
    """A sentence per name that looks like a setting and is none, sorted.
    Only a well-formed name is quoted: a line of ``.env`` without its ``=``
    (``SLACK_BOT_TOKEN:xoxb-…``) reads as a name that holds the secret."""
    lines = []
    for name in sorted(set(given) - set(known) - READ_ELSEWHERE):
        if not _NAME.fullmatch(name):
            prefix = next((p for p in OWN_PREFIXES if name.startswith(p)), None)
            if prefix is not None:
                lines.append(
                    f"a name beginning {prefix} is not a setting's name, so it is not "
                    "read: a line of .env without its '='?"
                )
            continue
        closest = difflib.get_close_matches(name, known, n=1, cutoff=CLOSE)
        if closest:
            lines.append(f"{name} is not a setting, so it is not read: did you mean {closest[0]}?")
        elif name.startswith(OWN_PREFIXES):
            lines.append(f"{name} is not a setting, so it is not read (README: Settings)")
    return list(dict.fromkeys(lines))  # one line per malformed prefix

"""Keywords typed with a slip of the finger: ``tomorow``, ``wekly``, ``завтро``;
or in a short form: ``tmrw``, ``завт``.

A word within edit distance 1 (2 for words of seven letters or more) of exactly
one keyword gets "did you mean …?"; shorter words and ties get no guess, since
a wrong suggestion is worse than none.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA

from bot.grammar.dates import RELATIVE_DAYS
from bot.grammar.days import DAY_NAMES, GROUPS
from bot.grammar.when import NOW_WORDS, ONCE_WORDS, WEEKLY_PHRASES

# The words of the meeting forms; the command words come from the catalogue.
SCHEDULE_WORDS: frozenset[str] = frozenset(
    {
        *NOW_WORDS,
        *ONCE_WORDS,
        *RELATIVE_DAYS,
        *DAY_NAMES,
        *GROUPS,
        *(phrase[0] for phrase in WEEKLY_PHRASES if len(phrase) == 1),
        "tonight",
    }
)
MIN_LENGTH = 4
# Short forms people write for a keyword: too far from it for the edit
# distance, so named; offered like a slip, never taken silently.
SHORT_FORMS: dict[str, str] = {
    **dict.fromkeys(("tmrw", "tmr", "tmw", "tmrow", "2moro", "2morrow", "2mrw"), "tomorrow"),
    "nxt": "next",
    "завт": "завтра",
}


class Typos:
    """Finds the keyword a mistyped word was meant to be."""

    def __init__(self, command_words: Iterable[str]) -> None:
        words = SCHEDULE_WORDS | set(command_words)
        self._keywords = frozenset(w for w in words if len(w) >= MIN_LENGTH)

    def closest(self, word: str) -> str | None:
        """The one keyword ``word`` is a slip or a short form of, or ``None``."""
        if word in SHORT_FORMS:
            return SHORT_FORMS[word]
        if len(word) < MIN_LENGTH or word in self._keywords:
            return None
        limit = 2 if len(word) >= 7 else 1
        best: set[str] = set()
        best_distance = limit + 1
        for keyword in self._keywords:
            distance = OSA.distance(word, keyword, score_cutoff=limit)
            if distance < best_distance:
                best, best_distance = {keyword}, distance
            elif distance == best_distance:
                best.add(keyword)
        return best.pop() if len(best) == 1 else None

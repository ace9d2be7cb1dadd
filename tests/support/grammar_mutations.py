"""Mutated command lines and the rule every answer to them must keep.

The generator starts from valid commands (English, Russian, mixed) and mutates
them the way people and their phones do: a dropped, swapped or duplicated word;
invisible, control, bidi, full-width and emoji characters; boundary numbers;
keyword typos; a keyword swapped for its twin in the other language.

The rule (``judge``): every answer is a result, a question, or an error that
quotes a visible token present in the input. A result is also wrong when it
was guessed: a meeting at a bare hour 1–11 nobody qualified, or a topic that
swallowed a time, a duration or an "am/pm".

It touches the parser only through ``parse(text, now=, zone=)`` and the class
names of what comes back, so the same generator measures any version of the
grammar (``bench/grammar_mutations.py --source``).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday, 11:00 in Moscow
ZONE = "Europe/Moscow"

VALID: tuple[str, ...] = (
    "now Incident call @oncall @alice",
    "tomorrow 15:00 for 1h Design review @carol",
    "once 2026-12-01 09:30 for 45m Retro",
    "weekly mon,wed,fri 10:00 for 30m Standup @alice @bob",
    "weekly weekdays 09:00 Daily",
    "daily 09:00 Sync",
    "at 15:00 for 30m Sync",
    "tomorrow at 3pm Foo",
    "tomorrow 3:30 pm Review",
    "in 2h for 30m Sync",
    "1 dec 09:30 for 45m Retro",
    "dec 1st 2027 10:00 Plan",
    "next monday 10:00 Planning",
    "mon 10:00 Weekly sync",
    "today 18:30 Evening call",
    "tomorrow 15:00 30m Sync",
    "tomorrow 15:00-16:00 Sync",
    "tomorrow from 10 to 11:30 Workshop",
    "tomorrow at noon Lunch",
    "tonight at 8 Party",
    "12/25 10:00 Xmas",
    "25/12 10:00 Xmas",
    "01.12.2026 09:30 Retro",
    'tomorrow 15:00 "Design review" @carol',
    "list",
    "list mine",
    "info 12",
    "cancel 12",
    "start 12",
    "stop 12",
    "invite 12 @dave @erin",
    "uninvite 12 @dave",
    "guest 12 Jane Doe",
    "calendar 12",
    "link alice@server.name",
    "unlink",
    "tz Europe/Moscow",
    "lang en",
    "help weekly",
    "remind 12 10m,1h",
    "remind 12 off",
    "backend callaba",
    "сейчас Разбор инцидента @oncall @alice",
    "завтра 15:00 на 1ч Обзор @carol",
    "завтра в 3 часа дня Обзор",
    "завтра 15:00 на 1ч30м Планирование",
    "еженедельно пн,ср,пт 10:00 на 30м Планёрка @alice @bob",
    "по будням в 9:00 Планёрка",
    "ежедневно 09:00 Созвон",
    "в 15:00 на 30м Созвон",
    "через 2ч на 30м Созвон",
    "1 декабря 09:30 на 45м Ретро",
    "в пятницу 10:00 Ретро",
    "послезавтра 11:00 Обзор",
    "завтра с 10 до 11:30 Семинар",
    "завтра 10:00–11:30 Семинар",
    "сегодня вечером в 8 Ужин",
    "список",
    "инфо 12",
    "отменить 12",
    "запустить 12",
    "пригласить 12 @dave",
    "убрать 12 @dave",
    "гость 12 Иван Петров",
    "связать alice@server.name",
    "пояс Europe/Moscow",
    "язык ru",
    "помощь еженедельно",
    "напомнить 12 10м,1ч",
    "сервер callaba",
)

# Each keyword's twin in the other language, for mixed-language lines.
TWINS: dict[str, str] = {
    "now": "сейчас",
    "tomorrow": "завтра",
    "today": "сегодня",
    "weekly": "еженедельно",
    "daily": "ежедневно",
    "for": "на",
    "at": "в",
    "in": "через",
    "list": "список",
    "info": "инфо",
    "cancel": "отменить",
    "invite": "пригласить",
    "help": "помощь",
    "mon": "пн",
    "wed": "ср",
    "fri": "пт",
    "1h": "1ч",
    "30m": "30м",
    "dec": "декабря",
}
TWINS |= {ru: en for en, ru in TWINS.items()}

INVISIBLE = ("\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad")
CONTROL = ("\x00", "\x07", "\x11", "\x1b", "\x7f", "\x85")
BIDI = ("\u202e", "\u202a", "\u2066", "\u2067", "\u2069", "\u200e", "\u200f", "\u061c")
EMOJI = ("😀", "🎉", "👍🏽", "🇷🇺", "❤️", "🧑‍💻")
BOUNDARY_NUMBERS = ("0", "00", "1", "11", "12", "13", "23", "24", "59", "60", "99", "-1", "999999")
_NUMBER = re.compile(r"\d+")


def _fullwidth(word: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    how = rng.randrange(3)
    if how == 0:  # a dropped letter
        return word[:i] + word[i + 1 :]
    if how == 1:  # two letters swapped
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # a doubled letter


Mutation = Callable[[list[str], random.Random], list[str]]


def _pick(words: list[str], rng: random.Random) -> int:
    return rng.randrange(len(words))


def _drop(words: list[str], rng: random.Random) -> list[str]:
    i = _pick(words, rng)
    return words[:i] + words[i + 1 :]


def _swap(words: list[str], rng: random.Random) -> list[str]:
    if len(words) < 2:
        return words
    i = rng.randrange(len(words) - 1)
    return [*words[:i], words[i + 1], words[i], *words[i + 2 :]]


def _duplicate(words: list[str], rng: random.Random) -> list[str]:
    i = _pick(words, rng)
    return [*words[: i + 1], words[i], *words[i + 1 :]]


def _inside(chars: tuple[str, ...]) -> Mutation:
    def mutate(words: list[str], rng: random.Random) -> list[str]:
        i = _pick(words, rng)
        word = words[i]
        at = rng.randrange(len(word) + 1)
        return [*words[:i], word[:at] + rng.choice(chars) + word[at:], *words[i + 1 :]]

    return mutate


def _alone(chars: tuple[str, ...]) -> Mutation:
    def mutate(words: list[str], rng: random.Random) -> list[str]:
        i = rng.randrange(len(words) + 1)
        return [*words[:i], rng.choice(chars), *words[i:]]

    return mutate


def _fullwidth_word(words: list[str], rng: random.Random) -> list[str]:
    i = _pick(words, rng)
    return [*words[:i], _fullwidth(words[i]), *words[i + 1 :]]


def _boundary(words: list[str], rng: random.Random) -> list[str]:
    spots = [i for i, w in enumerate(words) if _NUMBER.search(w)]
    if not spots:
        return words
    i = rng.choice(spots)
    numbers = list(_NUMBER.finditer(words[i]))
    match = rng.choice(numbers)
    word = words[i]
    new = word[: match.start()] + rng.choice(BOUNDARY_NUMBERS) + word[match.end() :]
    return [*words[:i], new, *words[i + 1 :]]


def _mix(words: list[str], rng: random.Random) -> list[str]:
    spots = [i for i, w in enumerate(words) if w.lower() in TWINS]
    if not spots:
        return words
    i = rng.choice(spots)
    return [*words[:i], TWINS[words[i].lower()], *words[i + 1 :]]


def _misspell(words: list[str], rng: random.Random) -> list[str]:
    i = _pick(words, rng)
    return [*words[:i], _typo(words[i], rng), *words[i + 1 :]]


MUTATIONS: tuple[Mutation, ...] = (
    _drop,
    _swap,
    _duplicate,
    _inside(INVISIBLE),
    _alone(INVISIBLE),
    _inside(CONTROL),
    _inside(BIDI),
    _alone(BIDI),
    _fullwidth_word,
    _inside(EMOJI),
    _alone(EMOJI),
    _boundary,
    _mix,
    _misspell,
)


def lines(seed: int, count: int) -> Iterator[str]:
    """``count`` mutated lines, the same ones for the same ``seed``."""
    rng = random.Random(seed)
    for _ in range(count):
        words = rng.choice(VALID).split(" ")
        for _ in range(rng.choice((1, 1, 2, 3))):
            words = rng.choice(MUTATIONS)(words, rng) or words
        yield " ".join(words)


# ---- the rule -----------------------------------------------------------------

# Parameters that are figures of the bridge's own, not words of the person.
_NOT_TOKENS = frozenset({"limit", "length", "when", "zone"})
_SPACE_LIKE = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85")


def _invisible(char: str) -> bool:
    return unicodedata.category(char) in {"Cf", "Cc", "Co", "Cs", "Cn"} and char not in _SPACE_LIKE


def visible_form(text: str) -> str:
    """What a reader sees of ``text``: invisible characters gone, compatibility
    forms folded, case ignored."""
    cleaned = "".join(" " if c in _SPACE_LIKE else c for c in text if not _invisible(c))
    # Runs of spaces read as one: "off  🇷🇺" quoted as "off 🇷🇺" is what was typed.
    return " ".join(unicodedata.normalize("NFKC", cleaned).casefold().split())


def _is_visible_word(value: str) -> bool:
    # A zero-width joiner inside an emoji sequence (🧑‍💻) is part of what is seen.
    emoji = any(unicodedata.category(c) == "So" for c in value)
    hidden = [c for c in value if _invisible(c) and not (emoji and c == "\u200d")]
    return bool(visible_form(value).strip()) and not hidden


_BARE_HOUR = re.compile(
    r"(?:^|\s)(?:at|в|во)\s+(?P<hour>[1-9]|1[01])(?:\s|$)"
    r"(?!\s*(?:(?:час|часа|часов)\s+)?(?:am|pm|a\.m\.|p\.m\.|утра|дня|вечера|ночи))"
)
_QUALIFIED = re.compile(r"tonight|afternoon|morning|evening|вечером|утром|днём|днем|ночью")
_SWALLOWED = re.compile(
    r"\d{1,2}:\d{2}(:\d{2})?|\d{1,2}(am|pm)"
    r"|\d+(m|h|min|mins|ч|м|мин)|\d+h\d+m?|\d+ч\d+м?"
)
_SWALLOWED_PAIRS = re.compile(r"часа? (утра|дня|вечера|ночи)|in the (afternoon|morning|evening)")


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    why: str  # a fixed phrase, to count failures by
    detail: str = ""


def _without_emoji(text: str) -> str:
    return "".join(
        c for c in text if unicodedata.category(c) not in {"So", "Sk"} and c not in "\ufe0f\u20e3"
    )


def _guessed_hour(text: str, parse: Callable[..., object]) -> bool:
    """A bare hour 1–11 with nothing to say which half of the day, taken as a
    meeting although its morning reading was possible too."""
    seen = visible_form(_without_emoji(text))
    match = _BARE_HOUR.search(seen)
    if match is None or _QUALIFIED.search(seen):
        return False
    hour = int(match.group("hour"))
    morning = seen[: match.start("hour")] + f"{hour:02d}:00" + seen[match.end("hour") :]
    # Taking the afternoon is no guess when the morning has already passed.
    return type(parse(morning, now=NOW, zone=ZONE)).__name__ != "Usage"


def judge(text: str, answer: object, parse: Callable[..., object]) -> Verdict:
    kind = type(answer).__name__
    seen = visible_form(text)
    if kind == "Question":
        return Verdict(True, "question")
    if kind == "Usage":
        params: dict[str, str] = getattr(answer, "params", {})
        words = {k: v for k, v in params.items() if k not in _NOT_TOKENS}
        if not words:
            return Verdict(False, "names no token")
        for value in words.values():
            if not _is_visible_word(value):
                return Verdict(False, "quotes an empty or invisible word", repr(value))
        if not any(visible_form(v) in seen for v in words.values()):
            return Verdict(False, "quotes words not in what was typed", repr(words))
        return Verdict(True, "error")
    if kind == "NewMeeting":
        if _guessed_hour(text, parse):
            return Verdict(False, "a bare hour became a meeting")
        topic = visible_form(str(getattr(answer, "topic", "")))
        if _SWALLOWED_PAIRS.search(topic) or any(_SWALLOWED.fullmatch(w) for w in topic.split()):
            return Verdict(False, "the topic swallowed a time", repr(topic))
    return Verdict(True, "result")


@dataclass(frozen=True, slots=True)
class Failure:
    text: str
    answer: object
    why: str
    detail: str = ""


def run(parse: Callable[..., object], seed: int, count: int) -> list[Failure]:
    """Every line the rule rejects; an exception counts as a failure too."""
    failures: list[Failure] = []
    for text in lines(seed, count):
        try:
            answer = parse(text, now=NOW, zone=ZONE)
        except Exception as exc:  # the rule's whole point: never a traceback
            failures.append(Failure(text, exc, "raised an exception", type(exc).__name__))
            continue
        verdict = judge(text, answer, parse)
        if not verdict.ok:
            failures.append(Failure(text, answer, verdict.why, verdict.detail))
    return failures

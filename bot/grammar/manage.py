"""The words after a command word, for everything but new meetings: ``list``,
``info``/``cancel``/``start``/``stop`` ``<id>``, ``invite``/``uninvite``,
``guest``, ``link``/``unlink``, ``tz``, ``lang``, ``remind``, ``backend``,
``help``. Each command's catalogue entry names its parser; the pieces at the
end (``meeting_ref``, ``no_more``, …) are for new commands' parsers too."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from bot.chat import Lang, Mention
from bot.commands import (
    Command,
    GuestLink,
    Help,
    InvitePeople,
    LinkAccount,
    ListMeetings,
    RemindMeeting,
    SetBackend,
    SetDefaultReminders,
    SetLanguage,
    SetTimezone,
    UninvitePeople,
    UnlinkAccount,
)
from bot.grammar import keys
from bot.grammar import offsets as reminder_offsets
from bot.grammar.context import Context
from bot.grammar.errors import GrammarError
from bot.grammar.mentions import merge_mentions, parse_mention
from bot.grammar.parser import Args, ArgsParser
from bot.grammar.tail import AND_WORDS, clean_text, first_words
from bot.grammar.tokens import Kind, Token
from bot.grammar.zones import written_zone
from bot.timerules import canonical_zone
from bot.zone_cities import city_zone, city_zones, close_cities
from bot.zone_names import old_zone

# "12" / "#12" (the bridge's number) or a conference id; leading zeros matter.
_MEETING_REF = re.compile(r"#?([A-Za-z0-9_]{1,64})")
# What may follow a meeting to name more: "3", "#3", "3,", "and", "и", ",".
_OTHER_REF = re.compile(r"#?\d{1,64},?|,|&|\+|and|и")
_LOGIN = re.compile(r"[\w.@\-]{1,64}")
_BACKEND = re.compile(r"[a-z][a-z0-9_-]{0,31}")
MAX_GUEST_NAME = 64
LANG_WORDS: dict[str, Lang] = {
    **dict.fromkeys(("en", "eng", "english", "англ", "английский"), "en"),
    **dict.fromkeys(("ru", "rus", "russian", "рус", "русский"), "ru"),
}

# "move 12 to friday 11am", "rename 12 to Retro": the word between a meeting
# and what it becomes.
TO_WORDS = frozenset({"to"})
# "переименовать 12 в Ретро": a rename's "to" in Russian ("в", "во", and
# colloquially "на"); a topic that starts with one of them is quoted.
RENAME_TO_WORDS = TO_WORDS | {"в", "во", "на"}
MINE_WORDS = frozenset({"mine", "my", "мои", "моё", "мое", "мой"})
ALL_WORDS = frozenset({"all", "everything", "все", "всё"})


def parse_list(args: Args, ctx: Context) -> Command:
    """``list``, ``list mine``, ``list all`` (ended ones too), ``list mine all``."""
    words = [token.low for token in args[:2] if token.kind is Kind.WORD]
    mine = any(word in MINE_WORDS for word in words)
    everything = any(word in ALL_WORDS for word in words)
    no_more(args, mine + everything, keys.EX_LIST)
    return ListMeetings(mine=mine, everything=everything)


def ref_only(make: Callable[[str], Command], example: str) -> ArgsParser:
    """The parser of a command that takes one meeting reference and nothing else."""

    def parse(args: Args, ctx: Context) -> Command:
        ref = meeting_ref(args, example, ctx)
        # Words after it ("cancel 1 please") are answered with this meeting's line.
        no_more(args, 1, example, suggestion=ctx.line[: args[0].end])
        return make(ref)

    return parse


def parse_invite(args: Args, ctx: Context) -> Command:
    ref = meeting_ref(args, keys.EX_INVITE, ctx)
    return InvitePeople(ref, mentioned_people(args[1:], ctx, keys.EX_INVITE))


def parse_uninvite(args: Args, ctx: Context) -> Command:
    ref = meeting_ref(args, keys.EX_UNINVITE, ctx)
    return UninvitePeople(ref, mentioned_people(args[1:], ctx, keys.EX_UNINVITE))


def parse_guest(args: Args, ctx: Context) -> Command:
    ref = meeting_ref(args, keys.EX_GUEST, ctx)
    name = clean_text(" ".join(t.text for t in args[1:]))
    if len(name) > MAX_GUEST_NAME:
        raise GrammarError(
            keys.NAME_TOO_LONG,
            keys.EX_GUEST,
            word=first_words(name),
            length=str(len(name)),
            limit=str(MAX_GUEST_NAME),
        )
    return GuestLink(ref, name)


def parse_link(args: Args, ctx: Context) -> Command:
    example = keys.EX_LINK
    target = None
    rest = args
    if rest and rest[0].kind is Kind.MENTION:
        target = mentioned_person(rest[0], ctx, example)
        rest = rest[1:]
    if not rest:
        if target is not None:  # an admin approving the person's own request
            return LinkAccount(login="", target=target)
        raise GrammarError(keys.MISSING_LOGIN, example)
    login = rest[0].text
    if rest[0].kind is not Kind.WORD or _LOGIN.fullmatch(login) is None:
        raise GrammarError(keys.BAD_LOGIN, example, login=login)
    no_more(rest, 1, example)
    return LinkAccount(login=login, target=target)


def parse_unlink(args: Args, ctx: Context) -> Command:
    example = keys.EX_UNLINK
    if not args:
        return UnlinkAccount()
    if args[0].kind is not Kind.MENTION:
        raise GrammarError(keys.BAD_MENTION, example, word=args[0].text)
    target = mentioned_person(args[0], ctx, example)
    no_more(args, 1, example)
    return UnlinkAccount(target=target)


def parse_tz(args: Args, ctx: Context) -> Command:
    said: dict[str, str] = {}
    if args and args[0].low == "пояс":  # "часовой пояс", Russian for "time zone"
        said = {"word": ctx.line[: args[0].end].strip()}
        args = args[1:]
    if not args:
        raise GrammarError(keys.MISSING_ZONE, keys.EX_TZ_NAMED, tz=ctx.zone, **said)
    typed = canonical_zone(args[0].text)
    if typed is not None:  # a whole IANA name, then words that are no city's
        no_more(args, 1, keys.EX_TZ_NAMED, tz=typed)
    name = " ".join(arg.text for arg in args)  # "New York"
    cities = old_zone(name)
    if cities == ():
        raise GrammarError(keys.OLD_OFFSET, keys.EX_TZ_HELP, name=name)
    if cities is not None:  # taken before, and EST never switched to EDT
        raise GrammarError(
            keys.OLD_ZONE, keys.EX_TZ_NAMED, name=name, cities=", ".join(cities), tz=cities[0]
        )
    zone = canonical_zone(name) or city_zone(name) or _as_in_a_line(args)
    if zone is None:
        raise _unknown_zone(name, ctx.zone)
    return SetTimezone(zone)


def _as_in_a_line(args: Args) -> str | None:
    """The one zone the words name as a line writes it beside a time
    ("London time", "по Москве", "MSK", "ET"), when they are all of it."""
    written = written_zone(args, 0)
    return written.zone if written is not None and written.end == len(args) else None


# Cities named when nothing typed is close to one, after the person's own.
_SOME_CITIES = ("London", "New York", "Tokyo")


def _unknown_zone(name: str, own: str) -> GrammarError:
    """The cities a name may have meant: the places an ambiguous one names,
    those close to a slip, else a few beside the person's own; the example
    is the first of them, else the person's zone."""
    several = city_zones(name)
    close = close_cities(name)
    if several:
        cities, tz = several, several[0]
    elif close:
        cities, tz = tuple(city for city, _ in close), close[0][1]
    else:
        city = own.rsplit("/", 1)[-1].replace("_", " ") if "/" in own else ""
        cities = tuple(dict.fromkeys(c for c in (city, *_SOME_CITIES) if c))
        tz = own
    return GrammarError(
        keys.UNKNOWN_TZ, keys.EX_TZ_NAMED, name=name, cities=", ".join(cities), tz=tz
    )


def parse_lang(args: Args, ctx: Context) -> Command:
    example = keys.EX_LANG
    if not args:
        raise GrammarError(keys.MISSING_LANG, example)
    no_more(args, 1, example)
    lang = LANG_WORDS.get(args[0].low)
    if lang is None:
        raise GrammarError(keys.BAD_LANG, example, word=args[0].text)
    return SetLanguage(lang)


def parse_backend(args: Args, ctx: Context) -> Command:
    """Any plain name passes: which servers exist is the installation's business,
    checked by the handler against what is configured."""
    example = keys.EX_BACKEND
    if not args:
        return SetBackend()
    no_more(args, 1, example)
    if args[0].kind is not Kind.WORD or _BACKEND.fullmatch(args[0].low) is None:
        raise GrammarError(keys.BAD_BACKEND, example, word=args[0].text)
    return SetBackend(args[0].low)


_DEFAULT_WORDS = frozenset({"default", "defaults", "chat", "умолчанию", "по-умолчанию", "чат"})


_BEFORE = frozenset({"за", "before"})
# What may end the offsets, as said ("за 10 минут до начала", "10m before the start").
_BEFORE_THE_START = (
    ("до", "начала"),
    ("до", "старта"),
    ("до", "встречи"),
    ("before", "the", "start"),
    ("before", "start"),
    ("before", "it", "starts"),
    ("before", "the", "meeting"),
)
_AND = frozenset({"и", "and"})


def parse_remind(args: Args, ctx: Context) -> Command:
    """``remind <id> 10m,1h,1d`` | ``remind <id> off`` | ``remind default 10m``."""
    words = [token.low for token in args[:2]]
    for_chat = bool(words) and words[0] in _DEFAULT_WORDS
    if words == ["по", "умолчанию"]:  # typed as two words
        for_chat, args = True, args[1:]
    if for_chat:
        return SetDefaultReminders(_offsets(args[1:], keys.EX_REMIND_DEFAULT, {}))
    # A bare number after the meeting is an offset without its unit
    # ("remind 1 15"), not a second meeting.
    ref = meeting_ref(args, keys.EX_REMIND, ctx, hours_follow=True)
    # Once the id is read, the example is of this meeting, not the stock 12.
    return RemindMeeting(ref, _offsets(args[1:], keys.EX_REMIND_ID, {"id": ref}))


def _offsets(rest: Args, example: str, named: dict[str, str]) -> tuple[timedelta, ...]:
    """The offsets after ``remind <id>`` or ``remind default``; ``named`` goes
    into every error (the meeting's id, for the example)."""
    # "за 10 минут и за час", "10m and 1h before": a reminder is always before.
    words = tuple(t.low for t in rest)
    for tail in _BEFORE_THE_START:
        if len(rest) > len(tail) and words[-len(tail) :] == tail:
            rest = rest[: -len(tail)]
            break
    rest = tuple(t for t in rest if t.kind is not Kind.WORD or t.low not in _BEFORE)
    if not rest:
        raise GrammarError(keys.MISSING_OFFSETS, example, **named)
    if any(token.kind is not Kind.WORD for token in rest):
        bad = next(token for token in rest if token.kind is not Kind.WORD)
        raise GrammarError(keys.BAD_OFFSET, example, word=bad.text, **named)
    try:
        glued = "".join(_glue(rest, i) for i in range(len(rest)))
        return reminder_offsets.parse_offsets(glued)
    except reminder_offsets.BadOffset as exc:
        if exc.problem == "count":
            raise GrammarError(
                keys.TOO_MANY_OFFSETS,
                example,
                word=" ".join(token.text for token in rest),
                limit=str(reminder_offsets.MAX_OFFSETS),
                **named,
            ) from None
        problem = keys.OFFSET_OUT_OF_RANGE if exc.problem == "range" else keys.BAD_OFFSET
        # The offsets were read glued together ("10m, 1h"); a part that spans two
        # words ("12off") is named as typed.
        typed = " ".join(token.text for token in rest)
        word = exc.part if exc.part and exc.part in typed else typed
        raise GrammarError(problem, example, word=word, **named) from None


def _glue(rest: Args, i: int) -> str:
    """Offsets in words apart are read glued ("1 h 30 m" is 1h30m), but a bare
    number is never glued to the number after it: "3 15m" is no "315m"."""
    token = rest[i]
    if token.low in _AND:
        return ","
    after = rest[i + 1].text[:1] if i + 1 < len(rest) else ""
    return f"{token.text}," if token.text.isdigit() and after.isdigit() else token.text


def parse_help(args: Args, ctx: Context) -> Command:
    if not args:
        return Help()
    no_more(args, 1, keys.EX_HELP)
    topic = ctx.help_topics.get(args[0].low.lstrip("/"))
    if topic is None:
        raise GrammarError(keys.UNKNOWN_HELP_TOPIC, keys.EX_HELP, word=args[0].text)
    return Help(topic)


# ---- pieces -----------------------------------------------------------------


def meeting_ref(args: Args, example: str, ctx: Context, *, hours_follow: bool = False) -> str:
    """The meeting the command is about. A second one typed after it ("cancel
    2 3") is answered here, for every command, with the line for the first.
    ``hours_follow``: a bare number after the meeting may be a time ("move 2 15")
    or an offset ("remind 2 15")."""
    if not args:
        raise GrammarError(keys.MISSING_MEETING_ID, example)
    first, comma, listed = args[0].text.partition(",")
    match = _MEETING_REF.fullmatch(first)
    if (
        args[0].kind is not Kind.WORD
        or match is None
        or not all(_OTHER_REF.fullmatch(part) for part in listed.split(",") if part)
    ):
        raise GrammarError(keys.BAD_MEETING_ID, example, word=args[0].text)
    if comma or len(args) > 1:
        _one_meeting(args, (first, comma, listed), example, ctx, hours_follow=hours_follow)
    return match[1]


def _one_meeting(
    args: Args,
    ref: tuple[str, str, str],
    example: str,
    ctx: Context,
    *,
    hours_follow: bool,
) -> None:
    """Refuses more meetings after the first. Always when they are listed
    ("2,3", "2, 3", "2 and 3") or have a "#" ("#2 #3"); a bare number ("2 3")
    only where nothing, a mention or a "to" and a word follow it, since before
    other words it is what it was ("rename 2 2026 plan", "remind 2 10 min",
    "edit 2 10 to 11"), and never where ``hours_follow``."""
    end = 1
    while end < len(args) and args[end].kind is Kind.WORD and _OTHER_REF.fullmatch(args[end].low):
        end += 1
    first, comma, listed = ref  # the first word, split at its comma
    numbers = [t.text for t in args[1:end] if t.low not in AND_WORDS]
    others = " ".join([listed, *numbers]).strip(", ")
    if not any(char.isdigit() for char in others):
        return
    words = [t.low for t in args[1:end]]
    listed_so = bool(comma) or bool(AND_WORDS & set(words))
    hashed = any(word.startswith("#") for word in words)
    if not (listed_so or hashed or (not hours_follow and _ends_a_list(args[end:]))):
        return
    line = ctx.line
    cut = args[end - 1].end if end > 1 else args[0].end
    raise GrammarError(
        keys.ONE_MEETING,
        example,
        suggestion=f"{line[: args[0].start]}{first}{line[cut:]}",
        verb=" ".join(line[: args[0].start].split()[-1:]),
        id=first.lstrip("#"),
        word=others,
    )


def _ends_a_list(rest: Args) -> bool:
    """What follows bare numbers after a meeting makes them more meetings:
    nothing, a mention ("invite 2 3 @alice"), or a "to" before a word
    ("rename 2 3 to Retro"; "10 to 11" is a time range)."""
    if not rest or rest[0].kind is Kind.MENTION:
        return True
    after = rest[1:2]
    return rest[0].low in RENAME_TO_WORDS and bool(after) and not after[0].text[:1].isdigit()


def after_to(rest: Args, words: frozenset[str] = TO_WORDS) -> Args:
    """The words after a meeting reference, without a ``to`` (one of ``words``)
    that starts them."""
    if rest and rest[0].kind is Kind.WORD and rest[0].low in words:
        return rest[1:]
    return rest


def mentioned_people(args: Args, ctx: Context, example: str) -> tuple[Mention, ...]:
    typed: list[Mention] = []
    for token in args:
        if token.kind is not Kind.MENTION:
            # "invite 12 dave": a name without "@" is most likely a forgotten "@".
            raise GrammarError(
                keys.BAD_MENTION,
                example,
                word=token.text,
                suggestion=_with_ats(args, ctx.line),
            )
        typed.append(parse_mention(token, example, ctx.line))
    people = merge_mentions(typed, ctx.mentions)
    if not people:
        raise GrammarError(keys.NOTHING_TO_INVITE, example)
    return people


def _with_ats(args: Args, line: str) -> str:
    """``line`` with an "@" before each name in ``args`` that lacks one
    ("invite 12 dave erin" -> "invite 12 @dave @erin"); "" where a word is
    no name (a login's characters only), since that would be a guess."""
    for token in reversed(args):
        if token.kind is Kind.MENTION:
            continue
        if token.kind is not Kind.WORD or _LOGIN.fullmatch(token.text) is None:
            return ""
        line = f"{line[: token.start]}@{line[token.start :]}"
    return line


def mentioned_person(token: Token, ctx: Context, example: str) -> Mention:
    merged = merge_mentions([parse_mention(token, example)], ctx.mentions, append_rest=False)
    return merged[0]


def no_more(args: Args, used: int, example: str, **params: str) -> None:
    if len(args) > used:
        rest = " ".join(t.text for t in args[used:])
        raise GrammarError(keys.TRAILING_TEXT, example, text=rest, **params)

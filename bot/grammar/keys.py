"""Catalog keys the grammar answers with: problems and examples.

Kept as constants so the parsers, ``bot/i18n/grammar_texts.py`` and the tests
cannot drift apart silently (a test checks every key here has texts).
"""

from __future__ import annotations

# ---- problems --------------------------------------------------------------
UNKNOWN_COMMAND = "grammar.unknown_command"  # {word}
STARTS_WITH_TIME = "grammar.starts_with_time"  # {word}: "schedule a meeting tomorrow 15:00"
TOPIC_FIRST = "grammar.topic_first"  # {word}: "standup tomorrow at 3pm"
UNTERMINATED_QUOTE = "grammar.unterminated_quote"  # {quote}
BAD_MENTION = "grammar.bad_mention"  # {word}
MISSING_TIME = "grammar.missing_time"
MISSING_PERIOD_TIME = "grammar.missing_period_time"  # {word} {time}: "morning" with no time
LENGTH_BEFORE_TIME = "grammar.length_before_time"  # {word}: "for 1h" with no date or time before
SLOT_LEFT = "grammar.slot_left"  # {word}: a line sent back with "<time>" still in it
MISSING_WEEKLY_TIME = "grammar.missing_weekly_time"
NEW_WEEK = "grammar.new_week"  # {word} {first} {last}: "next week Sync", no day in it
BAD_TIME = "grammar.bad_time"  # {word}
PERIOD_CONFLICT = "grammar.period_conflict"  # {word}: "morning 15:00"
ZONE_IN_LINE = "grammar.zone_in_line"  # {word} {zone}
ZONE_NAMED_IN_LINE = "grammar.zone_named_in_line"  # {word} {tz}: the zone it names, {zone}
# {time} {word}: a one-time meeting's time at a fixed offset; {local} in {zone}
ZONE_CONVERTED = "grammar.zone_converted"
MISSING_DAYS = "grammar.missing_days"
DAYS_WITHOUT_WEEKLY = "grammar.days_without_weekly"  # {word}: "mon-fri 9:00"
WEEKLY_AFTER_DAY = "grammar.weekly_after_day"  # {word}: "mon 9am weekly sync"
UNKNOWN_DAY = "grammar.unknown_day"  # {word}
BAD_DATE = "grammar.bad_date"  # {word}
TIME_IN_PAST = "grammar.time_in_past"  # {word} {when}
TIMES_IN_PAST = "grammar.times_in_past"  # {word} {when}: both readings of an hour
TIME_PASSED = "grammar.time_passed"  # {when}, typed just as it reads
NONEXISTENT_TIME = "grammar.nonexistent_time"  # {when} {zone}
UNKNOWN_ZONE = "grammar.unknown_zone"  # {name}
# {name} given to /meet tz; {cities} it may mean, {tz}: a zone of them or the person's
UNKNOWN_TZ = "grammar.unknown_tz"
OLD_ZONE = "grammar.old_zone"  # {name} {cities}, {tz}: the first city
OLD_OFFSET = "grammar.old_offset"  # {name}: an offset no city keeps
MISSING_ZONE = "grammar.missing_zone"  # {tz}: the person's zone
BAD_DURATION = "grammar.bad_duration"  # {word}
MISSING_DURATION = "grammar.missing_duration"
DURATION_OUT_OF_RANGE = "grammar.duration_out_of_range"  # {word}
TWO_DURATIONS = "grammar.two_durations"
RELATIVE_OUT_OF_RANGE = "grammar.relative_out_of_range"  # {word}
MISSING_MEETING_ID = "grammar.missing_meeting_id"
BAD_MEETING_ID = "grammar.bad_meeting_id"  # {word}
TRAILING_TEXT = "grammar.trailing_text"  # {text}
ONE_MEETING = "grammar.one_meeting"  # {verb} {id} {word}: "cancel 2 3"
TOPIC_TOO_LONG = "grammar.topic_too_long"  # {length} {limit}
NAME_TOO_LONG = "grammar.name_too_long"  # {length} {limit}
MISSING_LOGIN = "grammar.missing_login"
BAD_LOGIN = "grammar.bad_login"  # {login}
NOTHING_TO_INVITE = "grammar.nothing_to_invite"
MISSING_LANG = "grammar.missing_lang"
BAD_LANG = "grammar.bad_lang"  # {word}
UNKNOWN_HELP_TOPIC = "grammar.unknown_help_topic"  # {word}
MISSING_OFFSETS = "grammar.missing_offsets"
BAD_OFFSET = "grammar.bad_offset"  # {word}
OFFSET_OUT_OF_RANGE = "grammar.offset_out_of_range"  # {word}
TOO_MANY_OFFSETS = "grammar.too_many_offsets"  # {limit}
BAD_BACKEND = "grammar.bad_backend"  # {word}
DID_YOU_MEAN = "grammar.did_you_mean"  # {word} {keyword}
TIME_IN_TOPIC = "grammar.time_in_topic"  # {word}

# ---- questions: a line with two fair readings is asked about -----------------
ASK_HOUR = "grammar.ask_hour"  # {word}
ASK_DATE = "grammar.ask_date"  # {word}
# The same, when a reading's date has passed and the next one is offered.
ASK_DATE_PASSED = "grammar.ask_date_passed"  # {word}
ASK_PAST_DATE = "grammar.ask_past_date"  # {word}
ASK_TIME_OR_DATE = "grammar.ask_time_or_date"  # {word}
# The same, when the date's last turn has just passed: the hint writes the
# next one with its year ({date}), or the line would be asked about again.
ASK_TIME_OR_PAST_DATE = "grammar.ask_time_or_past_date"  # {word} {date}
# A date asked about whose line holds a bare hour too: both in one question.
ASK_DATE_AND_HOUR = "grammar.ask_date_and_hour"  # {word} {hour}
ASK_PAST_DATE_AND_HOUR = "grammar.ask_past_date_and_hour"  # {word} {hour}
ASK_DATE_PASSED_AND_HOUR = "grammar.ask_date_passed_and_hour"  # {word} {hour}
WITH_HOUR: dict[str, str] = {
    ASK_DATE: ASK_DATE_AND_HOUR,
    ASK_DATE_PASSED: ASK_DATE_PASSED_AND_HOUR,
    ASK_PAST_DATE: ASK_PAST_DATE_AND_HOUR,
}
QUESTIONS: tuple[str, ...] = (
    ASK_HOUR,
    ASK_DATE,
    ASK_DATE_PASSED,
    ASK_PAST_DATE,
    ASK_TIME_OR_DATE,
    ASK_TIME_OR_PAST_DATE,
    ASK_DATE_AND_HOUR,
    ASK_PAST_DATE_AND_HOUR,
    ASK_DATE_PASSED_AND_HOUR,
)
# Questions that may offer one choice: a reading never taken unasked.
CONFIRMATIONS: tuple[str, ...] = (ASK_PAST_DATE, ASK_TIME_OR_DATE, ASK_TIME_OR_PAST_DATE)
QUESTION_HINT = "grammar.question.type"  # before the lines to type instead of a button

PROBLEMS: tuple[str, ...] = (
    MISSING_OFFSETS,
    BAD_OFFSET,
    OFFSET_OUT_OF_RANGE,
    TOO_MANY_OFFSETS,
    UNKNOWN_COMMAND,
    STARTS_WITH_TIME,
    TOPIC_FIRST,
    UNTERMINATED_QUOTE,
    BAD_MENTION,
    MISSING_TIME,
    MISSING_PERIOD_TIME,
    LENGTH_BEFORE_TIME,
    SLOT_LEFT,
    MISSING_WEEKLY_TIME,
    NEW_WEEK,
    BAD_TIME,
    PERIOD_CONFLICT,
    ZONE_IN_LINE,
    ZONE_NAMED_IN_LINE,
    ZONE_CONVERTED,
    MISSING_DAYS,
    DAYS_WITHOUT_WEEKLY,
    WEEKLY_AFTER_DAY,
    UNKNOWN_DAY,
    BAD_DATE,
    TIME_IN_PAST,
    TIMES_IN_PAST,
    TIME_PASSED,
    NONEXISTENT_TIME,
    UNKNOWN_ZONE,
    UNKNOWN_TZ,
    OLD_ZONE,
    OLD_OFFSET,
    MISSING_ZONE,
    BAD_DURATION,
    MISSING_DURATION,
    DURATION_OUT_OF_RANGE,
    TWO_DURATIONS,
    RELATIVE_OUT_OF_RANGE,
    MISSING_MEETING_ID,
    BAD_MEETING_ID,
    TRAILING_TEXT,
    ONE_MEETING,
    TOPIC_TOO_LONG,
    NAME_TOO_LONG,
    MISSING_LOGIN,
    BAD_LOGIN,
    NOTHING_TO_INVITE,
    MISSING_LANG,
    BAD_LANG,
    UNKNOWN_HELP_TOPIC,
    BAD_BACKEND,
    DID_YOU_MEAN,
    TIME_IN_TOPIC,
)

# ---- examples: one right command line per form -------------------------------
EX_NOW = "grammar.example.now"
EX_ONCE = "grammar.example.once"
EX_AT = "grammar.example.at"
EX_DATE = "grammar.example.date"
EX_RELATIVE = "grammar.example.relative"
EX_WEEKLY = "grammar.example.weekly"
TIME_SLOT = "grammar.slot.time"  # a time left for the person to give, in a line put right
DATE_SLOT = "grammar.slot.date"  # a date likewise, where none was typed
EX_DURATION = "grammar.example.duration"
EX_TOPIC = "grammar.example.topic"
EX_MENTION = "grammar.example.mention"
EX_LIST = "grammar.example.list"
EX_INFO = "grammar.example.info"
EX_CANCEL = "grammar.example.cancel"
EX_START = "grammar.example.start"
EX_STOP = "grammar.example.stop"
EX_INVITE = "grammar.example.invite"
EX_UNINVITE = "grammar.example.uninvite"
EX_GUEST = "grammar.example.guest"
EX_CALENDAR = "grammar.example.calendar"
EX_LINK = "grammar.example.link"
EX_UNLINK = "grammar.example.unlink"
EX_TZ = "grammar.example.tz"
EX_TZ_HELP = "grammar.example.tz_help"
# The zone a line named, once read: not in EXAMPLES, which must parse as they stand.
EX_TZ_NAMED = "grammar.example.tz_named"  # {tz}
EX_LANG = "grammar.example.lang"
EX_HELP = "grammar.example.help"
EX_REMIND = "grammar.example.remind"
EX_REMIND_DEFAULT = "grammar.example.remind_default"  # the chat's default reminders
# Once the meeting's id is read, the example is of that meeting; not in EXAMPLES.
EX_REMIND_ID = "grammar.example.remind_id"  # {id}
EX_BACKEND = "grammar.example.backend"

EXAMPLES: tuple[str, ...] = (
    EX_REMIND,
    EX_REMIND_DEFAULT,
    EX_NOW,
    EX_ONCE,
    EX_AT,
    EX_DATE,
    EX_RELATIVE,
    EX_WEEKLY,
    EX_DURATION,
    EX_TOPIC,
    EX_MENTION,
    EX_LIST,
    EX_INFO,
    EX_CANCEL,
    EX_START,
    EX_STOP,
    EX_INVITE,
    EX_UNINVITE,
    EX_GUEST,
    EX_CALENDAR,
    EX_LINK,
    EX_UNLINK,
    EX_TZ,
    EX_TZ_HELP,
    EX_LANG,
    EX_HELP,
    EX_BACKEND,
)

# ---- help: Help(topic=...) values, declared by the catalogue; texts live under
# "help.<topic>" ----------------------------------------------------------------
HELP_SUMMARY = "help.summary"


def help_key(topic: str | None) -> str:
    """The catalog key of the help text for ``Help(topic)``."""
    return HELP_SUMMARY if topic is None else f"help.{topic}"

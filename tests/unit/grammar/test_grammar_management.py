"""Management commands in both languages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.asking import usage_reply
from bot.chat import Lang, Mention
from bot.commands import (
    CancelMeeting,
    Command,
    GuestLink,
    Help,
    InvitePeople,
    LinkAccount,
    ListMeetings,
    MeetingCalendar,
    MeetingInfo,
    RemindMeeting,
    RenameMeeting,
    SetBackend,
    SetLanguage,
    SetTimezone,
    StartMeeting,
    StopMeeting,
    UninvitePeople,
    UnlinkAccount,
    Usage,
)
from bot.grammar import keys
from bot.i18n import Translator
from tests.unit.grammar.support import p


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("list", ListMeetings()),
        ("LIST", ListMeetings()),
        ("список", ListMeetings()),
        ("list all", ListMeetings(everything=True)),
        ("список все", ListMeetings(everything=True)),
        ("list mine", ListMeetings(mine=True)),
        ("list mine all", ListMeetings(mine=True, everything=True)),
        ("list all mine", ListMeetings(mine=True, everything=True)),
        ("info 12", MeetingInfo("12")),
        ("info #12", MeetingInfo("12")),
        ("инфо 0012", MeetingInfo("0012")),
        ("info abc_01", MeetingInfo("abc_01")),
        ("cancel 12", CancelMeeting("12")),
        ("отмена 12", CancelMeeting("12")),
        ("отменить #7", CancelMeeting("7")),
        ("start 12", StartMeeting("12")),
        ("старт 12", StartMeeting("12")),
        ("запустить 12", StartMeeting("12")),
        ("stop 12", StopMeeting("12")),
        ("стоп 12", StopMeeting("12")),
        ("остановить 12", StopMeeting("12")),
        ("invite 12 @dave", InvitePeople("12", (Mention("dave"),))),
        ("invite 12 @dave @erin", InvitePeople("12", (Mention("dave"), Mention("erin")))),
        ("пригласить #12 @dave @dave", InvitePeople("12", (Mention("dave"),))),
        ("invite 12 <@U9|dave>", InvitePeople("12", (Mention("dave", user_id="U9"),))),
        ("uninvite 12 @dave", UninvitePeople("12", (Mention("dave"),))),
        ("убрать 12 @dave", UninvitePeople("12", (Mention("dave"),))),
        ("guest 12", GuestLink("12", "")),
        ("guest 12 Jane Doe", GuestLink("12", "Jane Doe")),
        ('guest 12 "Jane  Doe"', GuestLink("12", "Jane Doe")),
        ("гость 12 Иван Петров", GuestLink("12", "Иван Петров")),
        ("link alice", LinkAccount("alice")),
        ("link alice@server.name", LinkAccount("alice@server.name")),
        ("link a.b_c-d", LinkAccount("a.b_c-d")),
        ("связать alice", LinkAccount("alice")),
        ("привязать alice", LinkAccount("alice")),
        ("link @bob bob_tc", LinkAccount("bob_tc", target=Mention("bob"))),
        # An admin approving what the person asked for.
        ("link @bob", LinkAccount("", target=Mention("bob"))),
        ("calendar 12", MeetingCalendar("12")),
        ("календарь #12", MeetingCalendar("12")),
        ("link <@U2|bob> bob_tc", LinkAccount("bob_tc", target=Mention("bob", user_id="U2"))),
        ("unlink", UnlinkAccount()),
        ("отвязать", UnlinkAccount()),
        ("unlink @bob", UnlinkAccount(target=Mention("bob"))),
        ("tz Europe/Moscow", SetTimezone("Europe/Moscow")),
        ("tz europe/moscow", SetTimezone("Europe/Moscow")),
        ("tz AMERICA/NEW_YORK", SetTimezone("America/New_York")),
        ("пояс Europe/Berlin", SetTimezone("Europe/Berlin")),
        ("tz UTC", SetTimezone("UTC")),
        ("tz Etc/UTC", SetTimezone("Etc/UTC")),
        ("tz utc", SetTimezone("UTC")),
        ("lang ru", SetLanguage("ru")),
        ("lang EN", SetLanguage("en")),
        ("язык русский", SetLanguage("ru")),
        ("язык en", SetLanguage("en")),
        ("backend callaba", SetBackend("callaba")),
        ("backend TrueConf", SetBackend("trueconf")),
        ("сервер callaba", SetBackend("callaba")),
        ("backend", SetBackend()),
        ("", Help()),
        ("   ", Help()),
        ("help", Help()),
        ("помощь", Help()),
        ("справка", Help()),
        ("help weekly", Help("weekly")),
        ("help daily", Help("weekly")),
        ("help tomorrow", Help("once")),
        ("help for", Help("duration")),
        ("справка пригласить", Help("invite")),
        ("help /link", Help("link")),
    ],
)
def test_management(text: str, expected: Command) -> None:
    assert p(text) == expected


@pytest.mark.parametrize(
    ("text", "name", "cities"),
    [
        ("tz EST", "EST", "America/New_York, America/Toronto"),
        ("tz est", "est", "America/New_York, America/Toronto"),
        ("tz CET", "CET", "Europe/Berlin, Europe/Paris"),
        ("tz MET", "MET", "Europe/Berlin, Europe/Paris"),
        ("tz MST", "MST", "America/Denver, America/Phoenix"),
        ("tz HST", "HST", "Pacific/Honolulu"),
        ("tz EET", "EET", "Europe/Kyiv, Europe/Athens"),
        ("tz WET", "WET", "Europe/Lisbon"),
        ("tz EST5EDT", "EST5EDT", "America/New_York"),
        ("tz PST8PDT", "PST8PDT", "America/Los_Angeles"),
        ("tz Etc/GMT-3", "Etc/GMT-3", "Europe/Moscow, Asia/Riyadh"),
        ("tz etc/gmt+5", "etc/gmt+5", "America/New_York, America/Bogota"),
        ("tz GMT+3", "GMT+3", "Europe/Moscow, Asia/Riyadh"),
        ("пояс UTC+3", "UTC+3", "Europe/Moscow, Asia/Riyadh"),
    ],
)
def test_an_old_zone_name_is_refused_with_cities(text: str, name: str, cities: str) -> None:
    # They were taken: EST never switches to EDT, Etc/GMT-3 is UTC+3 all year.
    result = p(text)
    assert isinstance(result, Usage), result
    assert (result.problem, result.example) == (keys.OLD_ZONE, keys.EX_TZ_NAMED)
    assert result.params["name"] == name
    assert result.params["tz"] == cities.split(", ", maxsplit=1)[0]
    shown = usage_reply(result, Translator("en")).plain_text()
    assert f"“{name}”" in shown
    assert cities in shown
    assert f"/meet tz {result.params['tz']}" in shown
    ru = usage_reply(result, Translator("ru")).plain_text()
    assert cities in ru
    assert f"/meet пояс {result.params['tz']}" in ru


def test_an_offset_no_city_keeps_is_refused_with_the_help() -> None:
    result = p("tz Etc/GMT+12")
    assert isinstance(result, Usage), result
    assert (result.problem, result.example) == (keys.OLD_OFFSET, keys.EX_TZ_HELP)
    assert result.params["name"] == "Etc/GMT+12"
    assert "/meet help tz" in usage_reply(result, Translator("en")).plain_text()


def test_link_target_is_enriched_but_other_mentions_are_not_added() -> None:
    resolved = (Mention("bob", user_id="U2", email="bob@example.com"), Mention("eve", "U3"))
    assert p("link <@U2> bob_tc", mentions=resolved) == LinkAccount(
        "bob_tc", target=Mention("bob", user_id="U2", email="bob@example.com")
    )


def test_invite_merges_resolved_mentions() -> None:
    resolved = (Mention("dave", user_id="U4", email="dave@example.com"),)
    assert p("invite 12 <@U4> @erin", mentions=resolved) == InvitePeople(
        "12", (Mention("dave", user_id="U4", email="dave@example.com"), Mention("erin"))
    )


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("cancel all", "all"),
        ("cancel everything", "everything"),
        ("cancel *", "*"),
        ("delete ALL", "ALL"),
        ("отменить все", "все"),
        ("отменить всё", "всё"),
    ],
)
def test_cancel_of_everything_says_it_takes_one_meeting(text: str, word: str) -> None:
    # "all" was a meeting reference: "no meeting all", or a conference whose
    # id is "all" cancelled. One meeting at a time, and the list shows them.
    answer = p(text)
    assert answer == Usage("grammar.cancel_one", "grammar.example.cancel", {"word": word})


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_cancel_one_says_where_the_numbers_are(lang: Lang) -> None:
    answer = p("cancel all")
    assert isinstance(answer, Usage)
    text = usage_reply(answer, Translator(lang)).plain_text()
    assert ("/meet list" if lang == "en" else "/meet список") in text


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [
        ("invite 1 dave", "invite 1 @dave"),
        ("invite 1 dave erin", "invite 1 @dave @erin"),
        ("invite 1 @dave erin", "invite 1 @dave @erin"),
        ("uninvite #3 carol", "uninvite #3 @carol"),
        ("пригласить 1 dave", "пригласить 1 @dave"),
    ],
)
def test_a_name_without_its_at_is_answered_with_the_line_put_right(
    line: str, suggestion: str
) -> None:
    # From a new user's trial: "invite 1 dave" was shown "/meet invite 12 @dave @erin".
    answer = p(line)
    assert isinstance(answer, Usage)
    assert answer.problem == "grammar.bad_mention"
    assert answer.suggestion == suggestion


def test_a_word_that_is_no_login_gets_no_suggestion() -> None:
    answer = p("invite 1 dave, please!")
    assert isinstance(answer, Usage)
    assert answer.suggestion == ""


@pytest.mark.parametrize(
    ("line", "suggestion"),
    [
        ("tomorrow 15:00 Sync @alice,@bob", "tomorrow 15:00 Sync @alice @bob"),
        ("weekly mon 10:00 Sync @alice,@bob", "weekly mon 10:00 Sync @alice @bob"),
        ("invite 1 @alice,@bob", "invite 1 @alice @bob"),
        ("завтра 15:00 Обзор @alice,@bob,@carol", "завтра 15:00 Обзор @alice @bob @carol"),
    ],
)
def test_mentions_joined_by_commas_are_answered_with_the_line_put_right(
    line: str, suggestion: str
) -> None:
    # From a new user's trial: "tomorrow 15:00 Sync @alice,@bob" was shown the
    # stock "/meet now Sync @alice @bob", which starts a meeting at once.
    answer = p(line)
    assert isinstance(answer, Usage)
    assert answer.problem == "grammar.bad_mention"
    assert answer.suggestion == suggestion


@pytest.mark.parametrize(
    ("line", "suggestion", "word"),
    [
        ("cancel 2 3", "cancel 2", "3"),
        ("cancel #2 #3", "cancel #2", "#3"),
        ("cancel 2,3", "cancel 2", "3"),
        ("cancel 2, 3", "cancel 2", "3"),
        ("cancel 2 and 3", "cancel 2", "3"),
        ("cancel 2 & 3", "cancel 2", "3"),
        ("cancel 2 + 3", "cancel 2", "3"),
        ("cancel 2 3 4", "cancel 2", "3 4"),
        ("info 2 3", "info 2", "3"),
        ("invite 2 3 @alice", "invite 2 @alice", "3"),
        ("uninvite 2 #3 @alice", "uninvite 2 @alice", "#3"),
        ("remind 2 #3 15m", "remind 2 15m", "#3"),
        ("edit 2 #3 16:30", "edit 2 16:30", "#3"),
        ("move 2 #3 to friday 11:00", "move 2 to friday 11:00", "#3"),
        ("rename 2 #3 to Retro", "rename 2 to Retro", "#3"),
        ("rename 2 3", "rename 2 New topic", "3"),  # "rename 2" alone is put right
        ("rename 2 3 to Retro", "rename 2 to Retro", "3"),
        ("переименовать 2 3 в Ретро", "переименовать 2 в Ретро", "3"),
        ("move 2, 3 to friday 11:00", "move 2 to friday 11:00", "3"),
        ("отменить 2 и 3", "отменить 2", "3"),
        ("инфо 2 3", "инфо 2", "3"),
    ],
)
def test_two_meetings_are_answered_with_the_line_for_the_first(
    line: str, suggestion: str, word: str
) -> None:
    # From a new user's trial: "cancel 2 3" was told "I don't know what to do
    # with “3”", and "rename 2 3 to X" renamed #2 "3 to X".
    answer = p(line)
    assert isinstance(answer, Usage)
    assert answer.problem == "grammar.one_meeting"
    assert answer.suggestion == suggestion
    assert answer.params["word"] == word
    assert answer.params["id"] == "2"


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("rename 2 3", {"en": "/meet rename 2 New topic", "ru": "/meet rename 2 New topic"}),
        ("переименовать 2 и 3", {"en": "/meet переименовать 2 Новая тема"}),
        ("remind 2,3", {"en": "/meet remind 2 ", "ru": "/meet напомнить 2 "}),
    ],
)
def test_the_line_for_the_first_meeting_names_it(
    lang: Lang, line: str, shown: dict[str, str]
) -> None:
    """The answer says "here is the line for #2": the line shown is one for
    #2 even where "rename 2" alone would not do, not the stock example of
    meeting 12."""
    answer = p(line)
    assert isinstance(answer, Usage)
    assert answer.problem == "grammar.one_meeting"
    example = usage_reply(answer, Translator(lang)).plain_text().splitlines()[1]
    assert example.startswith(shown.get(lang, shown["en"])), example


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_two_meetings_say_the_command_takes_one(lang: Lang) -> None:
    answer = p("cancel 2 3")
    assert isinstance(answer, Usage)
    text = usage_reply(answer, Translator(lang)).plain_text()
    assert "cancel" in text
    assert "/meet cancel 2" in text
    assert ("one meeting" if lang == "en" else "одной встрече") in text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("rename 2 2026 plan", RenameMeeting("2", "2026 plan")),
        ("remind 2 10 min", RemindMeeting("2", (timedelta(minutes=10),))),
        ("invite 2 @alice", InvitePeople("2", (Mention(handle="alice"),))),
        ("invite 2, @alice", InvitePeople("2", (Mention(handle="alice"),))),
    ],
)
def test_a_number_after_the_meeting_that_is_no_meeting_is_read_as_before(
    line: str, expected: Command
) -> None:
    assert p(line) == expected


@pytest.mark.parametrize("line", ["move 2 15", "edit 2 10 to 11", "cancel 2,abc"])
def test_a_number_that_may_be_a_time_is_not_taken_for_a_meeting(line: str) -> None:
    answer = p(line)
    assert not (isinstance(answer, Usage) and answer.problem == "grammar.one_meeting")
    assert not isinstance(answer, CancelMeeting)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        # "15:00 London time" was read in a line, but /meet tz London was unknown.
        ("tz London", "Europe/London"),
        ("tz london", "Europe/London"),
        ("tz New York", "America/New_York"),
        ("tz new_york", "America/New_York"),
        ("tz Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("tz Москва", "Europe/Moscow"),
        ("пояс москва", "Europe/Moscow"),
        ("пояс Лондон", "Europe/London"),
        ("пояс Нью-Йорк", "America/New_York"),  # a Russian "й" stays itself
        ("пояс Санкт-Петербург", "Europe/Moscow"),
        ("пояс Новосибирск", "Asia/Novosibirsk"),
        ("пояс Киев", "Europe/Kyiv"),
        # From a new user's trial: "15:00 London time" in a line was answered
        # "/meet tz Europe/London", but "tz London time" was unknown, offered
        # "/meet tz UTC": a line that sets another zone than meant.
        ("tz London time", "Europe/London"),
        ("tz moscow time", "Europe/Moscow"),
        ("tz Eastern time", "America/New_York"),
        ("tz by New York time", "America/New_York"),
        ("tz MSK", "Europe/Moscow"),
        ("tz ET", "America/New_York"),
        ("пояс по Москве", "Europe/Moscow"),
        ("tz по московскому времени", "Europe/Moscow"),
        ("часовой пояс по Киеву", "Europe/Kyiv"),
        # "tz São Paulo", the city as it writes itself, was an unknown zone
        # offered as "Sao Paulo"; "tz St Petersburg" was offered
        # America/Indiana/Petersburg, eight hours off (Санкт-Петербург was known).
        ("tz São Paulo", "America/Sao_Paulo"),
        ("tz Bogotá", "America/Bogota"),
        ("tz Zürich", "Europe/Zurich"),
        ("tz İstanbul", "Europe/Istanbul"),
        ("tz Ciudad Juárez", "America/Ciudad_Juarez"),
        ("tz St Petersburg", "Europe/Moscow"),
        ("tz Saint Petersburg", "Europe/Moscow"),
        ("tz st. petersburg", "Europe/Moscow"),
        # A name kept only as a link for old systems sets the zone it links
        # to ("tz Eastern" set "Canada/Eastern", shown on every card); of two
        # with the same clocks (US/Eastern, Canada/Eastern) the zone CLDR
        # takes for the region is named, not Toronto for a New York team.
        ("tz Eastern", "America/New_York"),
        ("tz Central", "America/Chicago"),
        ("tz Pacific", "America/Los_Angeles"),
        ("tz Atlantic", "America/Halifax"),
        ("tz Hawaii", "Pacific/Honolulu"),
        ("tz Samoa", "Pacific/Pago_Pago"),
        ("tz Kiev", "Europe/Kyiv"),
    ],
)
def test_a_city_or_a_zone_as_people_write_it_sets_its_zone(text: str, zone: str) -> None:
    assert p(text) == SetTimezone(zone)


def test_petersburg_alone_is_asked_which() -> None:
    # Indiana's and Russia's: it set America/Indiana/Petersburg unasked.
    answer = p("tz Petersburg")
    assert isinstance(answer, Usage), answer
    assert "Europe/Moscow" in answer.params["cities"], answer.params
    assert "America/Indiana/Petersburg" in answer.params["cities"], answer.params


@pytest.mark.parametrize(
    ("text", "name", "tz", "city"),
    [
        ("tz Londn", "Londn", "Europe/London", "London"),
        ("tz Moskow", "Moskow", "Europe/Moscow", "Moscow"),
        ("пояс Масква", "Масква", "Europe/Moscow", "Москва"),
        ("tz Nowhere", "Nowhere", "Asia/Tokyo", "Tokyo"),
        ("tz west", "west", "Australia/Perth", "America/Manaus"),
        # From a new user's trial: "tz CT" was offered "Act", Australia/Sydney.
        ("tz CT", "CT", "Asia/Tokyo", "Tokyo"),
        ("tz MT", "MT", "Asia/Tokyo", "Tokyo"),
    ],
)
def test_an_unknown_zone_is_answered_with_cities_and_a_zone_of_the_person(
    text: str, name: str, tz: str, city: str
) -> None:
    # The example was /meet tz Europe/Moscow whatever was typed and whoever typed it.
    result = p(text, zone="Asia/Tokyo")
    assert isinstance(result, Usage), result
    assert (result.problem, result.example) == (keys.UNKNOWN_TZ, keys.EX_TZ_NAMED)
    assert (result.params["name"], result.params["tz"]) == (name, tz)
    assert city in result.params["cities"].split(", ")
    langs: tuple[tuple[Lang, str], ...] = (("en", "tz"), ("ru", "пояс"))
    for lang, command in langs:
        shown = usage_reply(result, Translator(lang)).plain_text()
        assert f"{name}" in shown.split("\n")[0]
        assert city in shown.split("\n")[0]
        assert shown.endswith(f"/meet {command} {tz}")
        assert "Europe/Moscow" not in shown or tz == "Europe/Moscow"


def test_a_missing_zone_is_shown_the_persons_own() -> None:
    result = p("tz", zone="America/Chicago")
    assert isinstance(result, Usage), result
    assert result.example == keys.EX_TZ_NAMED
    assert usage_reply(result, Translator("en")).plain_text().endswith("/meet tz America/Chicago")


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("часовой пояс Europe/London", "Europe/London"),
        ("Часовой пояс Москва", "Europe/Moscow"),
        ("часовой пояс Нью-Йорк", "America/New_York"),
    ],
)
def test_the_russian_for_time_zone_is_the_tz_command(text: str, zone: str) -> None:
    # "часовой" was an unknown command with no line to type.
    assert p(text) == SetTimezone(zone)


def test_the_russian_for_time_zone_alone_asks_for_a_city() -> None:
    result = p("часовой пояс", zone="Asia/Tokyo")
    assert isinstance(result, Usage), result
    assert (result.problem, result.params["word"]) == (keys.MISSING_ZONE, "часовой пояс")
    assert usage_reply(result, Translator("ru")).plain_text().endswith("/meet пояс Asia/Tokyo")

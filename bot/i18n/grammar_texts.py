"""Catalog entries: grammar problems, examples, and the help texts.

Problem sentences name what was wrong; every ``grammar.example.*`` entry is an
exact command line that parses (a test checks it), in each language's keywords.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.chat import Lang
from bot.i18n import reminder_texts

_PROBLEMS: dict[str, dict[Lang, str]] = {
    "grammar.unknown_command": {
        "en": "I don't know the command “{word}”.",
        "ru": "Не знаю команды «{word}».",
    },
    "grammar.starts_with_time": {
        "en": "A new meeting's line starts with its time: no “{word}” before it.",
        "ru": "Строка новой встречи начинается со времени: «{word}» перед ним не нужно.",
    },
    "grammar.topic_first": {
        "en": "A new meeting's line starts with its time; “{word}” goes after it.",
        "ru": "Строка новой встречи начинается со времени; «{word}» — после него.",
    },
    "grammar.unterminated_quote": {
        "en": "The quote {quote} is never closed.",
        "ru": "Кавычка {quote} не закрыта.",
    },
    "grammar.bad_mention": {
        "en": "“{word}” is not a mention: write @name.",
        "ru": "«{word}» — не упоминание: пишите @имя.",
    },
    "grammar.missing_time": {
        "en": "“{word}” needs a start time after it, such as 15:00.",
        "ru": "После «{word}» нужно время начала, например 15:00.",
    },
    "grammar.slot_left": {
        "en": "“{word}” marks where your own date, time or days go: write them in its place.",
        "ru": "«{word}» — место для ваших даты, времени или дней: впишите их вместо него.",
    },
    "grammar.length_before_time": {
        "en": "“{word}” says how long, not when: give the date and start time before it.",
        "ru": "«{word}» — это длительность, а не начало: укажите перед ней дату и время.",
    },
    "grammar.period_conflict": {
        "en": (
            "“{word}” is not in the part of the day the line names before it: keep the one "
            "you meant."
        ),
        "ru": "«{word}» не входит в часть дня, названную перед ним: оставьте то, что имели в виду.",
    },
    "grammar.zone_in_line": {
        "en": (
            "“{word}” looks like a time zone, but the times you write are read in {zone}: "
            "write the time as it is in {zone}, without a zone. A chat's zone is set with "
            "/meet tz. If it is the topic's words, put the topic in quotes."
        ),
        "ru": (
            "«{word}» похоже на часовой пояс, но время читается в поясе {zone}: напишите "
            "время по этому поясу, без пояса. Пояс чата задаётся командой /meet пояс. "
            "Если это слова темы, возьмите тему в кавычки."
        ),
    },
    "grammar.zone_named_in_line": {
        "en": (
            "“{word}” names the time zone {tz}, but the times you write are read in {zone}: "
            "write the time as it is in {zone}, without a zone. A chat's zone is set with "
            "/meet tz. If it is the topic's words, put the topic in quotes."
        ),
        "ru": (
            "«{word}» — это часовой пояс {tz}, но время читается в поясе {zone}: напишите "
            "время по этому поясу, без пояса. Пояс чата задаётся командой /meet пояс. "
            "Если это слова темы, возьмите тему в кавычки."
        ),
    },
    "grammar.zone_converted": {
        "en": (
            "{time} {word} is {local} in {zone}, the zone the times you write are read in: "
            "write the time as it is there, without a zone."
        ),
        "ru": (
            "{time} {word} — это {local} по поясу {zone}, в котором читается время: "
            "напишите время по этому поясу, без пояса."
        ),
    },
    "grammar.missing_period_time": {
        "en": "“{word}” needs a start time after it, such as {time}.",
        "ru": "После «{word}» нужно время начала, например {time}.",
    },
    "grammar.missing_weekly_time": {
        "en": "After “{word}” a weekly meeting needs a time, such as 10:00.",
        "ru": "После «{word}» для еженедельной встречи нужно время, например 10:00.",
    },
    "grammar.new_week": {
        "en": "“{word}” is {first} to {last}: which day, and what time? Give the date and time.",
        "ru": "«{word}» — это с {first} по {last}: какой день и во сколько? Укажите дату и время.",
    },
    "grammar.bad_time": {
        "en": "“{word}” is not a time of day: use 00:00 to 23:59, or 3pm.",
        "ru": "«{word}» — не время суток: используйте от 00:00 до 23:59.",
    },
    "grammar.missing_days": {
        "en": "After “{word}”, which days? Name them, such as mon,wed,fri, mon-fri or weekdays.",
        "ru": "После «{word}» — в какие дни? Укажите, например пн,ср,пт, пн-пт или будни.",
    },
    "grammar.unknown_day": {
        "en": "“{word}” is not a day of the week.",
        "ru": "«{word}» — не день недели.",
    },
    "grammar.bad_date": {
        "en": "“{word}” is not a date in the calendar.",
        "ru": "«{word}» — такой даты нет в календаре.",
    },
    "grammar.time_in_past": {
        "en": "“{word}” is {when}, which has already passed.",
        "ru": "«{word}» — это {when}, а это время уже прошло.",
    },
    "grammar.days_without_weekly": {
        "en": "“{word}” names several days: a weekly meeting starts with “weekly”.",
        "ru": "«{word}» — несколько дней: еженедельная встреча начинается с «еженедельно».",
    },
    "grammar.weekly_after_day": {
        "en": "“{word}” after the day and time: a weekly meeting starts with it. "
        "For a one-time meeting with “{word}” in its topic, quote the topic.",
        "ru": "«{word}» после дня и времени: еженедельная встреча начинается с него. "
        "Для разовой встречи с «{word}» в теме возьмите тему в кавычки.",
    },
    "grammar.times_in_past": {
        "en": "“{word}” is {when}: both have already passed.",
        "ru": "«{word}» — это {when}: оба времени уже прошли.",
    },
    "grammar.time_passed": {
        "en": "{when} has already passed.",
        "ru": "{when} — это время уже прошло.",
    },
    "grammar.nonexistent_time": {
        "en": (
            "“{word}” is {when}, which does not exist in {zone}: the clocks jump over it. "
            "Pick another time."
        ),
        "ru": (
            "«{word}» — это {when}, а такого времени в поясе {zone} не бывает: "
            "в этот час переводят часы. Выберите другое время."
        ),
    },
    "grammar.unknown_zone": {
        "en": (
            "I don't know the time zone “{name}”: "
            "use a city (London, New York) or a name such as Europe/London."
        ),
        "ru": (
            "Не знаю часового пояса «{name}»: "
            "укажите город (Москва, Лондон) или имя вроде Europe/Moscow."
        ),
    },
    "grammar.unknown_tz": {
        "en": (
            "I don't know the time zone “{name}”: write a city, such as {cities}, "
            "or a zone name, such as {tz}."
        ),
        "ru": (
            "Не знаю часового пояса «{name}»: напишите город, например {cities}, "
            "или имя пояса, например {tz}."
        ),
    },
    "grammar.old_zone": {
        "en": (
            "“{name}” is an old zone name that keeps no place's clocks (EST, for one, never "
            "switches to EDT): use the zone of your city, such as {cities}."
        ),
        "ru": (
            "«{name}» — устаревшее имя пояса, которое не следует часам какого-либо места "
            "(EST, например, не переходит на летнее время): укажите пояс своего города, "
            "например {cities}."
        ),
    },
    "grammar.old_offset": {
        "en": "“{name}” is a fixed offset that keeps no place's clocks: use the zone of your city.",
        "ru": (
            "«{name}» — постоянное смещение, которое не следует часам какого-либо места: "
            "укажите пояс своего города."
        ),
    },
    "grammar.missing_zone": {
        "en": "“{word}” needs a city or a time zone after it, such as {tz}.",
        "ru": "После «{word}» нужен город или часовой пояс, например {tz}.",
    },
    "grammar.bad_duration": {
        "en": "“{word}” is not a duration: write 30m, 1h30m or 90 min.",
        "ru": "«{word}» — не длительность: пишите 30м, 1ч30м или 90 мин.",
    },
    "grammar.missing_duration": {
        "en": "“{word}” needs a duration after it, such as 30m or 1h.",
        "ru": "После «{word}» нужна длительность, например 30м или 1ч.",
    },
    "grammar.duration_out_of_range": {
        "en": "A meeting lasts from 1 minute to 24 hours, not {word}.",
        "ru": "Встреча длится от 1 минуты до 24 часов, а не {word}.",
    },
    "grammar.two_durations": {
        "en": "“{word}” is a second duration: give the duration once.",
        "ru": "«{word}» — вторая длительность: укажите её один раз.",
    },
    "grammar.relative_out_of_range": {
        "en": "“in {word}” must be at least 1 minute and at most a year ahead, in whole minutes.",
        "ru": "«через {word}» — от 1 минуты до года вперёд, целым числом минут.",
    },
    "grammar.missing_topic": {
        "en": "After “{word}”, what is the new topic?",
        "ru": "После «{word}» — какая новая тема?",
    },
    "grammar.cancel_one": {
        "en": (
            "“{word}”: cancel takes one meeting, its number, such as 12, or its "
            "conference id. /meet list shows the numbers."
        ),
        "ru": (
            "«{word}»: отменить можно одну встречу — по её номеру, например 12, или id "
            "конференции. Номера показывает /meet список."
        ),
    },
    "grammar.missing_meeting_id": {
        "en": "“{word}” needs a meeting after it: its number, such as 12, or its conference id.",
        "ru": "После «{word}» нужна встреча: её номер, например 12, или id конференции.",
    },
    "grammar.bad_meeting_id": {
        "en": "“{word}” is not a meeting number or conference id.",
        "ru": "«{word}» — не номер встречи и не id конференции.",
    },
    "grammar.one_meeting": {
        "en": (
            "“{verb}” takes one meeting at a time: here is the line for #{id}; "
            "“{word}” needs a line of its own."
        ),
        "ru": (
            "«{verb}» — по одной встрече за раз: вот строка для #{id}, "
            "а для «{word}» нужна отдельная."
        ),
    },
    "grammar.trailing_text": {
        "en": "I don't know what to do with “{text}”.",
        "ru": "Не понимаю, что делать с «{text}».",
    },
    "grammar.topic_too_long": {
        "en": "The topic “{word}…” has {length} characters; the limit is {limit}.",
        "ru": "В теме «{word}…» {length} символов, а можно не больше {limit}.",
    },
    "grammar.name_too_long": {
        "en": "The name “{word}…” has {length} characters; the limit is {limit}.",
        "ru": "В имени «{word}…» {length} символов, а можно не больше {limit}.",
    },
    "grammar.missing_login": {
        "en": "“{word}” needs a TrueConf login after it.",
        "ru": "После «{word}» нужен логин TrueConf.",
    },
    "grammar.bad_login": {
        "en": "“{login}” is not a TrueConf login: up to 64 letters, digits and . _ - @.",
        "ru": "«{login}» — не логин TrueConf: до 64 букв, цифр и знаков . _ - @.",
    },
    "grammar.nothing_to_invite": {
        "en": "Whom? After “{word}” mention the people, such as @dave.",
        "ru": "Кого? После «{word}» упомяните людей, например @dave.",
    },
    "grammar.missing_lang": {
        "en": "“{word}” needs a language after it: en or ru.",
        "ru": "После «{word}» нужен язык: en или ru.",
    },
    "grammar.bad_lang": {
        "en": "I don't speak “{word}”: choose en or ru.",
        "ru": "Язык «{word}» не поддерживается: выберите en или ru.",
    },
    "grammar.unknown_help_topic": {
        "en": "There is no help on “{word}”.",
        "ru": "Справки по «{word}» нет.",
    },
    "grammar.bad_backend": {
        "en": "“{word}” is not a server name: write trueconf or callaba.",
        "ru": "«{word}» — не имя сервера: пишите trueconf или callaba.",
    },
    "grammar.did_you_mean": {
        "en": "I don't know “{word}”: did you mean “{keyword}”?",
        "ru": "Не знаю слова «{word}»: может быть, «{keyword}»?",
    },
    "grammar.time_in_topic": {
        "en": (
            "“{word}” reads as a time or a duration, not a topic: put it right after "
            "the start time, or put the topic in quotes."
        ),
        "ru": (
            "«{word}» похоже на время или длительность, а не на тему: укажите это сразу "
            "после времени начала или возьмите тему в кавычки."
        ),
    },
    "grammar.ask_hour": {
        "en": "“{word}”: am or pm? Choose one:",
        "ru": "«{word}» — до полудня или после? Выберите:",
    },
    "grammar.ask_date": {
        "en": "“{word}” can be read two ways. Which date?",
        "ru": "«{word}» можно прочесть двояко. Какая дата?",
    },
    "grammar.ask_date_passed": {
        "en": (
            "“{word}” can be read two ways. Where that date has already passed, "
            "the next one is offered. Which date?"
        ),
        "ru": (
            "«{word}» можно прочесть двояко. Если такая дата уже прошла, предлагаю "
            "следующую. Какая дата?"
        ),
    },
    "grammar.ask_date_passed_and_hour": {
        "en": (
            "“{word}” can be read two ways (where that date has already passed, the next "
            "one is offered), and “{hour}” can be am or pm. "
            "Choose one:"
        ),
        "ru": (
            "«{word}» можно прочесть двояко (если такая дата уже прошла, предлагаю "
            "следующую), а «{hour}» — до полудня или после. Выберите:"
        ),
    },
    "grammar.ask_past_date": {
        "en": "“{word}” has already passed. Did you mean the next one?",
        "ru": "«{word}» уже прошло. Вы имели в виду следующее?",
    },
    "grammar.ask_date_and_hour": {
        "en": ("“{word}” can be read two ways, and “{hour}” can be am or pm. Choose one:"),
        "ru": "«{word}» можно прочесть двояко, а «{hour}» — до полудня или после. Выберите:",
    },
    "grammar.ask_past_date_and_hour": {
        "en": (
            "“{word}” has already passed, and “{hour}” can be am or pm. "
            "Did you mean the next one, at one of these times?"
        ),
        "ru": (
            "«{word}» уже прошло, а «{hour}» — до полудня или после. Вы имели в виду следующее, "
            "в одно из этих времён?"
        ),
    },
    "grammar.ask_time_or_date": {
        "en": (
            "“{word}” is a time or a date. Did you mean this time? "
            "For a date, write it with a time: “{word} 15:00”."
        ),
        "ru": (
            "«{word}» — это время или дата. Вы имели в виду это время? "
            "Если дату, напишите её со временем: «{word} 15:00»."
        ),
    },
    "grammar.ask_time_or_past_date": {
        "en": (
            "“{word}” is a time or a date. Did you mean this time? "
            "As a date, {word} has already passed: for the next one, write it with its "
            "year and a time: “{date} 15:00”."
        ),
        "ru": (
            "«{word}» — это время или дата. Вы имели в виду это время? "
            "Как дата {word} уже прошла: если нужна следующая, напишите её с годом "
            "и временем: «{date} 15:00»."
        ),
    },
    "grammar.question.type": {
        "en": "Or type one of these:",
        "ru": "Или введите одну из команд:",
    },
}

_EXAMPLES: dict[str, dict[Lang, str]] = {
    "grammar.example.now": {
        "en": "/meet now Incident call @oncall @alice",
        "ru": "/meet сейчас Разбор инцидента @oncall @alice",
    },
    "grammar.example.once": {
        "en": "/meet tomorrow 15:00 for 1h Design review @carol",
        "ru": "/meet завтра 15:00 на 1ч Обзор @carol",
    },
    "grammar.example.at": {
        "en": "/meet at 15:00 for 30m Sync",
        "ru": "/meet в 15:00 на 30м Созвон",
    },
    "grammar.example.date": {
        "en": "/meet once 1 dec 09:30 for 45m Retro",
        "ru": "/meet 1 декабря 09:30 на 45м Ретро",
    },
    "grammar.example.relative": {
        "en": "/meet in 2h for 30m Sync",
        "ru": "/meet через 2ч на 30м Созвон",
    },
    "grammar.example.weekly": {
        "en": "/meet weekly mon,wed,fri 10:00 for 30m Standup @alice @bob",
        "ru": "/meet еженедельно пн,ср,пт 10:00 на 30м Планёрка @alice @bob",
    },
    "grammar.example.duration": {
        "en": "/meet tomorrow 15:00 for 1h30m Planning",
        "ru": "/meet завтра 15:00 на 1ч30м Планирование",
    },
    "grammar.example.topic": {
        "en": '/meet tomorrow 15:00 "Design review" @carol',
        "ru": "/meet завтра 15:00 «Обзор дизайна» @carol",
    },
    "grammar.example.mention": {
        "en": "/meet now Sync @alice @bob",
        "ru": "/meet сейчас Созвон @alice @bob",
    },
    "grammar.example.list": {"en": "/meet list", "ru": "/meet список"},
    "grammar.example.info": {"en": "/meet info 12", "ru": "/meet инфо 12"},
    "grammar.example.cancel": {"en": "/meet cancel 12", "ru": "/meet отменить 12"},
    "grammar.example.start": {"en": "/meet start 12", "ru": "/meet запустить 12"},
    "grammar.example.stop": {"en": "/meet stop 12", "ru": "/meet остановить 12"},
    "grammar.example.rename": {
        "en": "/meet rename 12 Quarterly review",
        "ru": "/meet переименовать 12 Квартальный обзор",
    },
    "grammar.example.invite": {
        "en": "/meet invite 12 @dave @erin",
        "ru": "/meet пригласить 12 @dave @erin",
    },
    "grammar.example.uninvite": {"en": "/meet uninvite 12 @dave", "ru": "/meet убрать 12 @dave"},
    "grammar.example.guest": {
        "en": "/meet guest 12 Jane Doe",
        "ru": "/meet гость 12 Иван Петров",
    },
    "grammar.example.link": {
        "en": "/meet link alice@server.name",
        "ru": "/meet связать alice@server.name",
    },
    "grammar.example.unlink": {"en": "/meet unlink", "ru": "/meet отвязать"},
    "grammar.example.calendar": {"en": "/meet calendar 12", "ru": "/meet календарь 12"},
    "grammar.example.tz": {"en": "/meet tz Europe/Moscow", "ru": "/meet пояс Europe/Moscow"},
    "grammar.example.tz_help": {"en": "/meet help tz", "ru": "/meet помощь пояс"},
    "grammar.example.tz_named": {"en": "/meet tz {tz}", "ru": "/meet пояс {tz}"},
    "grammar.example.lang": {"en": "/meet lang en", "ru": "/meet язык ru"},
    "grammar.example.help": {"en": "/meet help", "ru": "/meet помощь"},
    "grammar.example.backend": {"en": "/meet backend callaba", "ru": "/meet сервер callaba"},
}

_HELP: dict[str, dict[Lang, str]] = {
    "help.summary": {
        "en": (
            "Schedule TrueConf meetings with /meet:\n"
            "/meet now [topic] [@people] — start at once\n"
            "/meet tomorrow 15:00 [for 1h] [topic] [@people] — one-time\n"
            "/meet weekly mon,wed 10:00 [for 30m] [topic] [@people] — weekly\n"
            "/meet list [all | mine] | info <id> | cancel <id> | start <id> | stop <id>\n"
            "/meet edit <id> [new time] [for 45m] [topic] | rename <id> <topic>\n"
            "/meet invite <id> @dave | uninvite <id> @dave\n"
            "/meet guest <id> [name] — a fresh guest link\n"
            "/meet calendar <id> — add it to your calendar (.ics, Google, Outlook)\n"
            "/meet remind <id> 10m,1h | off — reminders before the start\n"
            "/meet link <TrueConf login> | unlink\n"
            "/meet tz London | lang ru | backend trueconf|callaba\n"
            "/meet help <command> — more on one command"
        ),
        "ru": (
            "Встречи TrueConf командой /meet:\n"
            "/meet сейчас [тема] [@люди] — начать сразу\n"
            "/meet завтра 15:00 [на 1ч] [тема] [@люди] — разовая\n"
            "/meet еженедельно пн,ср 10:00 [на 30м] [тема] [@люди] — еженедельная\n"
            "/meet список [все | мои] | инфо <id> | отменить <id> | запустить <id>"
            " | остановить <id>\n"
            "/meet изменить <id> [новое время] [на 45м] [тема] | переименовать <id> <тема>\n"
            "/meet пригласить <id> @dave | убрать <id> @dave\n"
            "/meet гость <id> [имя] — новая гостевая ссылка\n"
            "/meet календарь <id> — добавить в календарь (.ics, Google, Outlook)\n"
            "/meet напомнить <id> 10м,1ч | выкл — напоминания перед началом\n"
            "/meet связать <логин TrueConf> | отвязать\n"
            "/meet пояс Москва | язык en | сервер trueconf|callaba\n"
            "/meet помощь <команда> — подробнее об одной команде"
        ),
    },
    "help.now": {
        "en": (
            "/meet now [for 30m] [topic] [@people] — creates a meeting, starts it at once "
            "and posts the links.\nExample: /meet now Incident call @oncall @alice"
        ),
        "ru": (
            "/meet сейчас [на 30м] [тема] [@люди] — создаёт встречу, сразу запускает её "
            "и присылает ссылки.\nПример: /meet сейчас Разбор инцидента @oncall @alice"
        ),
    },
    "help.once": {
        "en": (
            "A one-time meeting, in your time zone:\n"
            "/meet tomorrow 15:00 | today 18:30 | at 15:00 (the next 15:00)\n"
            "/meet once 2026-12-01 09:30 | 01.12.2026 09:30 | 1 dec 09:30\n"
            "/meet mon 10:00 (next Monday) | in 2h | in 90 min\n"
            "Times: 15:00, 9:30, 15.00, 3pm, 3:30pm, noon, 15:00-16:00, from 10 to 11:30.\n"
            "An hour alone (at 3) needs am/pm, in the afternoon or tonight; else I ask.\n"
            "Example: /meet tomorrow 15:00 for 1h Design review @carol"
        ),
        "ru": (
            "Разовая встреча, по вашему часовому поясу:\n"
            "/meet завтра 15:00 | сегодня 18:30 | в 15:00 (ближайшие 15:00)\n"
            "/meet разово 2026-12-01 09:30 | 01.12.2026 09:30 | 1 декабря 09:30\n"
            "/meet пн 10:00 (ближайший понедельник) | через 2ч | через 30 минут\n"
            "Время: 15:00, 9:30, 15.00, полдень, 15:00-16:00, с 10 до 11:30.\n"
            "Час без минут (в 3) — с утра/дня/вечера/ночи; иначе я спрошу.\n"
            "Пример: /meet завтра 15:00 на 1ч Обзор @carol"
        ),
    },
    "help.weekly": {
        "en": (
            "A weekly meeting at the same local time:\n"
            "/meet weekly mon,wed,fri 10:00 | weekly mon-fri 10:00 | weekly weekdays 09:00\n"
            "/meet daily 09:00 (every day) | weekdays 09:00 (mon-fri)\n"
            "Example: /meet weekly mon,wed,fri 10:00 for 30m Standup @alice @bob"
        ),
        "ru": (
            "Еженедельная встреча в одно и то же местное время:\n"
            "/meet еженедельно пн,ср,пт 10:00 | еженедельно пн-пт 10:00\n"
            "/meet ежедневно 09:00 (каждый день) | будни 09:00 (пн-пт)\n"
            "Пример: /meet еженедельно пн,ср,пт 10:00 на 30м Планёрка @alice @bob"
        ),
    },
    "help.duration": {
        "en": (
            "How long a meeting lasts, from 1 minute to 24 hours: "
            "for 30m | for 1h30m | for 1h 30m | for 90 min | for 1.5h | for 2 hours.\n"
            "Example: /meet tomorrow 15:00 for 1h30m Planning"
        ),
        "ru": (
            "Длительность встречи, от 1 минуты до 24 часов: "
            "на 30м | на 1ч | на 1ч30м | на 90 мин | на 2 часа | на полчаса.\n"
            "Пример: /meet завтра 15:00 на 1ч30м Планирование"
        ),
    },
    "help.list": {
        "en": "/meet list — the meetings of this chat, with their numbers and state; "
        "/meet list all — ended ones too; /meet list mine — your next meetings in every chat.",
        "ru": "/meet список — встречи этого чата с их номерами и состоянием; "
        "/meet список все — и завершённые; "
        "/meet список мои — ваши ближайшие встречи во всех чатах.",
    },
    "help.info": {
        "en": "/meet info <id> — when a meeting is and how to join it. Example: /meet info 12",
        "ru": "/meet инфо <id> — когда встреча и как к ней подключиться. Пример: /meet инфо 12",
    },
    "help.cancel": {
        "en": "/meet cancel <id> — cancels a meeting. Example: /meet cancel 12",
        "ru": "/meet отменить <id> — отменяет встречу. Пример: /meet отменить 12",
    },
    "help.start": {
        "en": "/meet start <id> — starts a scheduled meeting now. Example: /meet start 12",
        "ru": "/meet запустить <id> — запускает встречу сейчас. Пример: /meet запустить 12",
    },
    "help.rename": {
        "en": "/meet rename <id> <topic> — gives a meeting a new topic. "
        "Example: /meet rename 12 Retro",
        "ru": "/meet переименовать <id> <тема> — новая тема встречи. "
        "Пример: /meet переименовать 12 Ретро",
    },
    "help.stop": {
        "en": "/meet stop <id> — ends a running meeting. Example: /meet stop 12",
        "ru": "/meet остановить <id> — завершает идущую встречу. Пример: /meet остановить 12",
    },
    "help.invite": {
        "en": "/meet invite <id> @dave [@erin] — adds people. Example: /meet invite 12 @dave",
        "ru": (
            "/meet пригласить <id> @dave [@erin] — добавляет участников. "
            "Пример: /meet пригласить 12 @dave"
        ),
    },
    "help.uninvite": {
        "en": "/meet uninvite <id> @dave — removes people. Example: /meet uninvite 12 @dave",
        "ru": "/meet убрать <id> @dave — убирает участников. Пример: /meet убрать 12 @dave",
    },
    "help.calendar": {
        "en": (
            "/meet calendar <id> — the meeting as an .ics file, and links that add it "
            "to Google Calendar or Outlook. Example: /meet calendar 12"
        ),
        "ru": (
            "/meet календарь <id> — встреча файлом .ics и ссылки, добавляющие её "
            "в Google Календарь или Outlook. Пример: /meet календарь 12"
        ),
    },
    "help.guest": {
        "en": (
            "/meet guest <id> [name] — a fresh link for a guest without an account "
            "(it expires after a minute). Example: /meet guest 12 Jane Doe"
        ),
        "ru": (
            "/meet гость <id> [имя] — новая ссылка для гостя без учётной записи "
            "(действует минуту). Пример: /meet гость 12 Иван Петров"
        ),
    },
    "help.link": {
        "en": (
            "/meet link <TrueConf login> — asks to link you to this TrueConf user; "
            "an admin of the chat approves (a button, or /meet link @you). "
            "Admins link themselves at once, and others with /meet link @person <login>. "
            "Example: /meet link alice@server.name"
        ),
        "ru": (
            "/meet связать <логин TrueConf> — просьба связать вас с этим пользователем "
            "TrueConf; её подтверждает администратор чата (кнопкой или /meet связать @вы). "
            "Администраторы связываются сразу, а других связывают так: "
            "/meet связать @человек <логин>. Пример: /meet связать alice@server.name"
        ),
    },
    "help.unlink": {
        "en": "/meet unlink [@person] — forgets the TrueConf login. Example: /meet unlink",
        "ru": "/meet отвязать [@человек] — забывает логин TrueConf. Пример: /meet отвязать",
    },
    "help.tz": {
        "en": (
            "/meet tz <city or zone> — sets this chat's time zone: the times typed here "
            "are read in it, but for a person whose messenger profile gives their own. "
            "A city (London, New York, Москва) or an IANA name (Europe/London). "
            "Example: /meet tz London"
        ),
        "ru": (
            "/meet пояс <город или пояс> — задаёт часовой пояс этого чата: время, "
            "написанное здесь, читается в нём, кроме тех, у кого пояс указан в профиле "
            "мессенджера. Город (Лондон, Нью-Йорк, Москва, London) или имя IANA "
            "(Europe/London). Пример: /meet пояс Москва"
        ),
    },
    "help.lang": {
        "en": "/meet lang en|ru — the language I answer in. Example: /meet lang ru",
        "ru": "/meet язык en|ru — язык моих ответов. Пример: /meet язык en",
    },
    "help.backend": {
        "en": (
            "/meet backend trueconf|callaba — the conference server new meetings of this chat "
            "go to; meetings already made stay on theirs. /meet backend alone tells which one "
            "the chat uses. Example: /meet backend callaba"
        ),
        "ru": (
            "/meet сервер trueconf|callaba — сервер конференций для новых встреч этого чата; "
            "уже созданные встречи остаются на своём. /meet сервер без имени скажет, какой "
            "выбран. Пример: /meet сервер callaba"
        ),
    },
    "help.help": {
        "en": "/meet help [command] — this help. Example: /meet help weekly",
        "ru": "/meet помощь [команда] — эта справка. Пример: /meet помощь еженедельно",
    },
}

TEXTS: Mapping[str, Mapping[Lang, str]] = {
    **_PROBLEMS,
    **_EXAMPLES,
    **_HELP,
    **reminder_texts.GRAMMAR,
    # the grammar of edit
    "grammar.example.edit": {
        "en": "/meet edit 12 tomorrow 16:00 for 45m",
        "ru": "/meet изменить 12 завтра 16:00 на 45м",
    },
    # A move's, with the verb the person typed (move, reschedule, перенести).
    # An example with the person's meeting leaves the date and time to give:
    # a copied "/meet move 1 tomorrow 16:00" moved it to a time never chosen.
    "grammar.example.move_id": {
        "en": "/meet {verb} {id} <date> <time>",
        "ru": "/meet {verb} {id} <дата> <время>",
    },
    "grammar.slot.time": {"en": "<time>", "ru": "<время>"},
    "grammar.slot.date": {"en": "<date>", "ru": "<дата>"},
    "grammar.example.edit_week": {
        "en": "/meet {verb} {id} <date> <time>",
        "ru": "/meet {verb} {id} <дата> <время>",
    },
    "grammar.edit_week": {
        "en": "“{word}” is {first} to {last}: which day and what time for #{id}? "
        "Give both; for a new topic use /meet rename {id} {topic}.",
        "ru": "«{word}» — это с {first} по {last}: какой день и время для #{id}? "
        "Укажите их, а новая тема — /meet переименовать {id} {topic}.",
    },
    "grammar.example.edit_id": {
        "en": "/meet edit {id} <date> <time>",
        "ru": "/meet изменить {id} <дата> <время>",
    },
    "grammar.edit_now": {
        "en": "“{word}” cannot be a new time of #{id}: to run it now, use /meet start {id}.",
        "ru": "«{word}» не может быть новым временем #{id}: "
        "запустить сейчас — /meet запустить {id}.",
    },
    "grammar.move_no_time": {
        "en": "“{word}” is not a new time or date of #{id}: give one, or for a new "
        "topic use /meet rename {id} {topic}.",
        "ru": "«{word}» — не новое время или дата #{id}: укажите их, а новая тема — "
        "/meet переименовать {id} {topic}.",
    },
    "grammar.edit_people": {
        "en": "“{word}”: an edit changes time and topic, not people. "
        "Use /meet invite {id} {word} or /meet uninvite {id} {word}.",
        "ru": "«{word}»: изменение касается времени и темы, а не людей. "
        "Используйте /meet пригласить {id} {word} или /meet убрать {id} {word}.",
    },
    "help.edit": {
        "en": "/meet edit <id> [new time] [for <duration>] [topic] — changes a meeting: "
        "a time alone keeps the date (or weekly days), a date alone keeps the time, "
        "a date and time moves it, "
        "weekly days and time change a weekly one; the rest stays. Also change, reschedule, move. "
        "Example: /meet edit 12 tomorrow 16:00 for 45m",
        "ru": "/meet изменить <id> [новое время] [на <длительность>] [тема] — меняет встречу: "
        "только время сохраняет дату (или дни недели), только дата — время, "
        "дата и время переносят её, "
        "дни и время меняют еженедельную; остальное остаётся. Также: перенести, редактировать. "
        "Пример: /meet изменить 12 завтра 16:00 на 45м",
    },
}

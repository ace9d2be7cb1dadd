"""Whatever anyone types, the service answers: a result or a short message,
never an exception and never silence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.chat import LANGS, ChatRef, UserRef
from bot.clock import FrozenClock
from bot.commands import CommandInput
from bot.context import Defaults, Deps
from bot.i18n import Translator
from bot.reply import Capabilities, error_reply
from bot.service import CommandService
from tests.fakes import FakeBackend, FakeCallaba, FakeDirectory, MemoryUnitOfWorkFactory
from tests.unit.core.conftest import USERS

WORDS = st.sampled_from(
    [
        "now", "tomorrow", "weekly", "daily", "for", "на", "завтра", "list", "info",
        "cancel", "invite", "guest", "link", "tz", "lang", "help", "1", "#1", "15:00",
        "mon,wed", "30m", "1ч", "@alice", "@", '"', "«", "Europe/Moscow", "ru", "<@U1|x>",
        "backend", "callaba", "сервер",
    ]
)  # fmt: skip
INTERNAL_ERROR_REPLIES = {
    error_reply(Translator(lang)("error.internal")).plain_text() for lang in LANGS
}
TEXTS = st.one_of(st.text(max_size=80), st.lists(WORDS, max_size=8).map(" ".join))


def make_service() -> CommandService:
    deps = Deps(
        backends={"trueconf": FakeBackend("trueconf"), "callaba": FakeCallaba()},
        default_backend="trueconf",
        directory=FakeDirectory(USERS),
        uow=MemoryUnitOfWorkFactory(),
        clock=FrozenClock(datetime(2026, 11, 23, 8, tzinfo=UTC)),
        defaults=Defaults("Europe/Moscow", "en", timedelta(hours=1), "helen", "Europe/Moscow"),
    )
    return CommandService(deps)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=4))
async def test_every_line_gets_an_answer(lines: list[str]) -> None:
    service = make_service()
    for text in lines:
        command_input = CommandInput(
            text=text,
            chat=ChatRef("console", "local", "c"),
            user=UserRef("console", "local", "helen"),
        )
        reply = await service.handle(command_input, Capabilities())
        assert reply.plain_text().strip()
        # The reply may echo what was typed (Hypothesis also types the source's
        # own strings, "error.internal" among them): compare whole replies.
        assert reply.plain_text() not in INTERNAL_ERROR_REPLIES

"""The command catalogue: one entry per command type, and everything derives from it."""

from __future__ import annotations

import re
import typing
from datetime import date, time

import pytest

from bot import commands
from bot.catalogue import CATALOGUE, Catalogue
from bot.chat import UserRef
from bot.commands import CancelMeeting, Command, CommandInput, Help, ListMeetings, MeetingForm
from bot.context import Deps, Request
from bot.grammar import keys
from bot.grammar.manage import ref_only
from bot.handlers.help import HELP
from bot.handlers.spec import CommandSpec
from bot.reply import Capabilities, Reply, Text, Visibility
from tests.fakes import FakeBackend
from tests.unit.core.conftest import CHAT, make_bridge, make_deps

CYRILLIC = re.compile(r"[а-яё]")


def test_the_catalogue_covers_the_command_union_exactly() -> None:
    declared = [entry.command for entry in CATALOGUE.entries]
    assert len(declared) == len(set(declared))
    assert set(declared) == set(typing.get_args(Command))


def test_every_command_dataclass_in_the_module_is_in_the_union() -> None:
    # A command added to bot/commands.py but not to the union would escape the check above.
    dataclasses = {
        value
        for value in vars(commands).values()
        if isinstance(value, type) and value.__module__ == commands.__name__
    } - {
        commands.CommandInput,
        commands.MeetingForm,
        commands.Usage,
        commands.Question,
        commands.Choice,
    }
    assert dataclasses == set(typing.get_args(Command))


def test_names_are_metric_labels_and_unique() -> None:
    names = [entry.name for entry in CATALOGUE.entries]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z][a-z_]*", name) for name in names)


@pytest.mark.parametrize("entry", CATALOGUE.entries, ids=lambda entry: entry.name)
def test_a_command_with_words_has_them_in_both_languages(entry: CommandSpec[Command]) -> None:
    if not entry.words:
        return
    assert entry.parse is not None
    assert isinstance(entry, CommandSpec)
    assert entry.en
    assert entry.ru
    assert not any(CYRILLIC.search(word) for word in entry.en)
    assert all(CYRILLIC.search(word) for word in entry.ru)


def test_personal_answers_are_the_guest_link_and_the_calendar() -> None:
    assert {entry.name for entry in CATALOGUE.entries if entry.personal} == {"guest", "calendar"}


def test_two_commands_may_not_claim_one_word() -> None:
    other = CommandSpec(
        CancelMeeting,
        "other",
        _answer,
        keys.EX_CANCEL,
        en=("help",),
        parse=ref_only(CancelMeeting, keys.EX_CANCEL),
    )
    with pytest.raises(ValueError, match="help"):
        Catalogue((HELP, other))


def test_one_type_may_not_be_declared_twice() -> None:
    twin = CommandSpec(Help, "twin", _answer, keys.EX_HELP)
    with pytest.raises(ValueError, match="twice"):
        Catalogue((HELP, twin))


async def _answer(command: Command, _request: Request, _deps: Deps) -> Reply:
    return Reply((Text(f"served {type(command).__name__}"),), Visibility.PRIVATE)


async def test_the_service_runs_what_a_catalogue_declares_and_audits_it_by_name() -> None:
    toy = CommandSpec(
        CancelMeeting,
        "toy",
        _answer,
        keys.EX_CANCEL,
        en=("toy",),
        ru=("игрушка",),
        parse=ref_only(CancelMeeting, keys.EX_CANCEL),
    )
    bridge = make_bridge(FakeBackend("trueconf"), Catalogue((HELP, toy)))
    reply = await bridge.say("игрушка 12")
    assert reply.plain_text() == "served CancelMeeting"
    assert bridge.uow.state.audit[-1][1:3] == ("toy", "ok")
    # The catalogue's own grammar: words it does not declare are unknown.
    usage = await bridge.say("cancel 12")
    assert usage.is_error
    assert bridge.uow.state.audit[-1][1:3] == ("usage", keys.UNKNOWN_COMMAND)


async def test_an_entry_refuses_a_command_of_another_type() -> None:
    deps = make_deps(FakeBackend("trueconf"))
    with pytest.raises(TypeError):
        await HELP.run(ListMeetings(), typing.cast(Request, None), deps)


async def test_a_form_is_checked_as_a_typed_line_is() -> None:
    bridge = make_bridge(FakeBackend("trueconf"))
    user = UserRef("console", "local", "helen", "helen")
    past = MeetingForm(at=time(9, 0), day=date(2026, 11, 23))  # 09:00 Moscow: gone by 11:00
    reply = await bridge.service.handle(
        CommandInput(text="", chat=CHAT, user=user, command=past), Capabilities()
    )
    assert reply.is_error
    assert "has already passed" in reply.plain_text()
    long = MeetingForm(at=time(9, 0), day=date(2026, 11, 24), topic="x" * 241)
    reply = await bridge.service.handle(
        CommandInput(text="", chat=CHAT, user=user, command=long), Capabilities()
    )
    assert "limit is 240" in reply.plain_text()
    assert bridge.backend.conferences == {}

"""The demo's ``/join <id>`` and ``/leave <id>``: the person at the console
walks into (or out of) a running meeting on the built-in TrueConf sandbox, so
its live card changes and its summary names them. A name the sandbox does
not know comes in as a guest. Only the console has these lines."""

from __future__ import annotations

from collections.abc import Mapping

from adapters.edge import BuiltBackend, ConsoleHook
from adapters.trueconf.sandbox import SandboxServer
from adapters.trueconf.sandbox.errors import ApiError
from adapters.trueconf.setup import TrueConfEndpoint
from bot.chat import ChatRef
from bot.ports import UnitOfWorkFactory

CONSOLE_CHAT = ChatRef("console", "local", "console")


def console_hooks(built: BuiltBackend, uow: UnitOfWorkFactory) -> Mapping[str, ConsoleHook]:
    """``/join`` and ``/leave`` when the server is the built-in sandbox."""
    endpoint = built.endpoint
    if not isinstance(endpoint, TrueConfEndpoint) or endpoint.sandbox is None:
        return {}
    return demo_hooks(endpoint.sandbox, uow)


def _wrong(word: str, ref: str, backend: str | None) -> str:
    """What a /join or /leave line got wrong: no number, no such meeting here,
    or a meeting on a server whose participants the sandbox does not play."""
    if not ref:
        return f"! {word} takes the number of a meeting of this chat: {word} 1"
    if backend is None:
        return f"! There is no meeting {ref} in this chat: {word} takes its number, e.g. {word} 1"
    return f"! Meeting {ref} is on {backend}: {word} works for TrueConf meetings only"


def demo_hooks(sandbox: SandboxServer, uow: UnitOfWorkFactory) -> dict[str, ConsoleHook]:
    state = sandbox.state
    guests: dict[tuple[str, str], str] = {}

    async def conference_of(word: str, ref: str) -> tuple[str | None, str]:
        """The meeting's conference id, or why there is none (the line to print)."""
        meeting = None
        if ref:
            async with uow(transaction=False) as work:
                meeting = await work.meetings.find_in_chat(CONSOLE_CHAT, ref)
        if meeting is None or meeting.backend != "trueconf":
            return None, _wrong(word, ref, meeting.backend if meeting else None)
        return meeting.conference_id, ""

    async def join(user: str, ref: str) -> str:
        conference, wrong = await conference_of("/join", ref)
        if conference is None:
            return wrong
        try:
            if user in state.users:
                state.join(conference, user)
            else:
                guests[conference, user] = state.join_guest(conference, user)
        except ApiError as exc:
            return f"! {exc.message}"
        return f"(@{user} joined meeting #{ref.lstrip('#')} in the sandbox)"

    async def leave(user: str, ref: str) -> str:
        conference, wrong = await conference_of("/leave", ref)
        if conference is None:
            return wrong
        who = guests.get((conference, user), user)
        inside = state.list_participants(conference, "sandbox")["participants"]
        if all(person["login_name"] != who for person in inside):
            return f"! @{user} is not in meeting #{ref.lstrip('#')}: /join {ref} walks in"
        state.leave(conference, guests.pop((conference, user), user))
        return f"(@{user} left meeting #{ref.lstrip('#')} in the sandbox)"

    return {"/join": join, "/leave": leave}

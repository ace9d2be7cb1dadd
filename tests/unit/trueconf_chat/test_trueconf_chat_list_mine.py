"""``/meet list mine`` typed in a TrueConf group: the list comes to the
person's personal chat, where a press runs, so it offers no guest link (nor
any press) on the group's meetings; a guest press forged there for the
group's meeting gets "no meeting" and no link. Through the adapter's
handlers with a stand-in for the library's bot."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from trueconf import Bot
from trueconf.types.callback_query import CallbackQuery

from adapters.trueconf_chat.handlers import ChatBridge, Handlers
from adapters.trueconf_chat.inbound import P2P, Reader
from adapters.trueconf_chat.messenger import CAPABILITIES
from bot.catalogue import CATALOGUE
from bot.commands import CommandInput, GuestLink
from bot.service import CommandService
from tests.fakes import FakeBackend, fake_deps

DOMAIN = "video.example.com"
ME = f"meetbot@{DOMAIN}/conn-1"
ALICE = f"alice@{DOMAIN}/web-1"
GROUP = 2


@dataclass
class FakeBot:
    """What the handlers call on the library's bot, kept as sent."""

    me_id: str = ME
    sent: list[tuple[str, str, Any]] = field(default_factory=list)

    async def send_message(
        self, chat_id: str, text: str, parse_mode: Any, reply_to: Any, *, buttons: Any = None
    ) -> SimpleNamespace:
        self.sent.append((chat_id, text, buttons))
        return SimpleNamespace(message_id=f"m{len(self.sent)}")

    async def send_document(self, chat_id: str, document: Any) -> None:
        pass

    async def create_personal_chat(self, account: str) -> SimpleNamespace:
        return SimpleNamespace(chat_id=f"personal-{account.split('@', 1)[0]}")

    def labels(self, chat_id: str) -> set[str]:
        return {
            button.text
            for to, _, markup in self.sent
            if to == chat_id and markup is not None
            for row in markup.buttons
            for button in row
        }

    def texts(self, chat_id: str) -> list[str]:
        return [text for to, text, _ in self.sent if to == chat_id]


def _press(chat_id: str, command: str) -> CallbackQuery:
    message = {
        "chat": {"chatId": chat_id, "chatTitle": "", "chatType": P2P},
        "chatId": chat_id,
        "timestamp": 1,
        "type": 200,
        "author": {"id": ME, "type": 1},
        "box": {"id": 1, "position": "1"},
        "content": {"text": "list", "parseMode": "html"},
        "messageId": "listed",
        "isEdited": False,
        "replyMessageId": None,
    }
    return CallbackQuery.from_dict(
        {
            "commandSource": {"type": "button", "message": message},
            "commandPayload": {"type": "command", "command": command},
        }
    )


async def test_list_mine_from_a_group_offers_no_guest_link_on_its_meetings() -> None:
    backend = FakeBackend("trueconf")
    deps = fake_deps(backend, [], datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    service = CommandService(deps, CATALOGUE)
    handlers = Handlers(ChatBridge(service, deps.uow, DOMAIN))
    reader = Reader(DOMAIN, ME)
    team, alice = reader.chat("team"), reader.user(ALICE)
    handlers.chat_types["team"] = GROUP
    made = await service.handle(
        CommandInput(text="tomorrow 15:00 Group sync", chat=team, user=alice), CAPABILITIES
    )
    assert "Group sync" in made.plain_text()
    listed = await service.handle(
        CommandInput(text="list mine", chat=team, user=alice, is_private_chat=False),
        CAPABILITIES,
    )
    bot = FakeBot()
    await handlers.answer(cast(Bot, bot), listed, chat_id="team", person=ALICE, reply_to=None)

    alices = "personal-alice"
    assert any("Group sync" in text for text in bot.texts(alices)), bot.sent
    assert "Guest link" not in bot.labels(alices)
    assert "Cancel" not in bot.labels(alices)
    assert bot.texts("team") == [], "the person's list is for them alone"

    # Forged in the personal chat: the group's meeting is not found there.
    await handlers.on_press(_press(alices, CATALOGUE.token(GuestLink("1"))), cast(Bot, bot))
    assert "no meeting 1" in bot.texts(alices)[-1].lower()
    assert "guest_access" not in backend.calls
    assert not [text for text in bot.texts(alices) if "Guest link for" in text]

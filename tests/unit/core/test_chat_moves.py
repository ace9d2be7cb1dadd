"""``move_chat`` refuses to move a chat across platforms or workspaces."""

from __future__ import annotations

import pytest

from bot.chat import ChatRef
from bot.chat_moves import move_chat
from tests.fakes import MemoryUnitOfWorkFactory


async def test_a_chat_does_not_move_to_another_workspace() -> None:
    uow = MemoryUnitOfWorkFactory()
    with pytest.raises(ValueError, match="own platform and workspace"):
        await move_chat(uow, ChatRef("telegram", "1", "-5"), ChatRef("telegram", "2", "-1005"))


async def test_moving_to_itself_moves_nothing() -> None:
    chat = ChatRef("telegram", "1", "-5")
    assert await move_chat(MemoryUnitOfWorkFactory(), chat, chat) == 0

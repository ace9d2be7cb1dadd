"""Where a meeting's card is: the record a new watched meeting starts with,
and the posted message id a messenger reports once the card is out."""

from __future__ import annotations

import logging

from bot.live.card import first_view
from bot.live.model import LiveRecord
from bot.meeting import Meeting
from bot.ports import UnitOfWork, UnitOfWorkFactory
from bot.reply import Reply

log = logging.getLogger(__name__)


async def watch_new(uow: UnitOfWork, meeting: Meeting) -> None:
    """A new meeting's record, in the transaction that stores it: its card
    shows ``first_view`` when posted."""
    assert meeting.id is not None
    record = LiveRecord(meeting.id, chat_key=meeting.chat.key, shown=first_view(meeting))
    await uow.live.save(record)


async def card_posted(uow: UnitOfWorkFactory, reply: Reply, message_id: str) -> None:
    """``reply`` went out as the message ``message_id`` (a Slack ts, a
    Telegram message id): when it is a meeting's live card, it is kept."""
    if reply.card_of is None or not message_id:
        return
    try:
        async with uow(transaction=False) as work:
            await work.live.set_card(reply.card_of, message_id)  # not watched: no row
            await work.commit()
    except Exception:  # the card is out; only its updates are lost
        log.exception("could not keep the card of meeting %d", reply.card_of)

"""Where a meeting's card is: the posted message id a messenger reports once
the card is out (a new watched meeting's record is stored with the meeting,
``MeetingRepository.add``)."""

from __future__ import annotations

import logging

from bot.ports import UnitOfWorkFactory
from bot.reply import Reply

log = logging.getLogger(__name__)


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

"""One replica of ``bench.telegram_replicas``: sends its share of a burst of
reminders through the Telegram messenger and its rate limiter, from a given
moment, and prints what it did as JSON.

    python -m bench._telegram_replica '<json arguments>'
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from adapters.telegram.messenger import TelegramMessenger
from adapters.telegram.ratelimit import Limits, TelegramRateLimiter
from bot.chat import ChatRef
from bot.reply import Reply, Text, Title
from storage import build_engine
from storage.send_windows import SqlSendWindows


async def main(args: dict[str, Any]) -> dict[str, Any]:
    engine = build_engine(args["database_url"])
    token: str = args["token"]
    shared = (
        SqlSendWindows(engine, f"telegram:{token.split(':', maxsplit=1)[0]}")
        if args["shared"]
        else None
    )
    limiter = TelegramRateLimiter(Limits().scaled(args["scale"]), shared=shared)
    bot = ExtBot(
        token,
        base_url=f"{args['api_url']}/bot",
        rate_limiter=limiter,
        request=HTTPXRequest(connection_pool_size=256),
    )
    await bot.initialize()
    messenger = TelegramMessenger(bot)
    groups, index, replicas = args["groups"], args["index"], args["replicas"]
    chats = [ChatRef("telegram", args["bot_id"], str(-1_000_000 - n)) for n in range(groups)]
    mine = [n for n in range(args["reminders"]) if n % replicas == index]
    try:
        if shared is not None:  # the pool's first connection, before the burst
            async with engine.connect():
                pass
        await asyncio.sleep(max(0.0, args["start"] - time.monotonic()))
        started = time.monotonic()
        outcomes = await asyncio.gather(
            *(
                messenger.send(chats[n % groups], Reply((Title(f"Meeting {n}"), Text("soon"))))
                for n in mine
            ),
            return_exceptions=True,
        )
        finished = time.monotonic()
    finally:
        await bot.shutdown()
        await engine.dispose()
    return {
        "sent": sum(1 for o in outcomes if not isinstance(o, BaseException)),
        "failed": sum(1 for o in outcomes if isinstance(o, BaseException)),
        "started": started,
        "finished": finished,
        "retry_after": limiter.stats.retry_after_seen,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(json.loads(sys.argv[1])))))

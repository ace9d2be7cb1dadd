"""One replica of ``bench.telegram_replicas``: sends its share of a burst of
reminders through the Telegram messenger and its rate limiter, and prints
what it did as JSON. Once started it prints ``ready`` and reads the burst's
moment (``time.monotonic()``, one clock for every process here) from stdin,
so a replica slow to start on a busy machine does not count against the time.

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
    # Every third reminder, shifted by one each round of the groups: each
    # group hears from every replica (with n % replicas alone, a number of
    # groups divisible by three would give each group one replica).
    mine = [n for n in range(args["reminders"]) if (n + n // groups) % replicas == index]
    try:
        if shared is not None:  # the pool's first connection, before the burst
            async with engine.connect():
                pass
        print("ready", flush=True)
        start = float(await asyncio.to_thread(sys.stdin.readline))
        await asyncio.sleep(max(0.0, start - time.monotonic()))
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
        "rebooked": limiter.stats.rebooked,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(json.loads(sys.argv[1])))))

"""What the Telegram rate limiter does with a reminder burst at Telegram's real
limits: 200 reminders due in the same minute across 50 groups, sent through
the Telegram messenger to the fake Bot API, which enforces the limits and
answers 429 to any send over them.

    .venv/bin/python -m bench.telegram_burst [--reminders 200] [--groups 50] [--scale 1.0]

It prints the time to deliver everything, the 429s seen, and the least time the
limits allow for the same burst.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import time
from collections import Counter
from dataclasses import asdict

from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from adapters.telegram.messenger import TelegramMessenger
from adapters.telegram.ratelimit import Limits, TelegramRateLimiter
from bot.chat import ChatRef
from bot.reply import Reply, Text, Title
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer


def least_time(reminders: int, groups: int, limits: Limits) -> float:
    """When the last send may leave at the earliest, from the windows alone:
    overall, per chat and per group (a burst starting at 0)."""
    per_group = math.ceil(reminders / groups)
    overall = (math.ceil(reminders / limits.overall.count) - 1) * limits.overall.seconds
    chat = (per_group - 1) * limits.per_chat.seconds / limits.per_chat.count
    group = (math.ceil(per_group / limits.per_group.count) - 1) * limits.per_group.seconds
    return max(overall, chat, group)


async def run(reminders: int, groups: int, scale: float) -> dict[str, object]:
    limits = Limits().scaled(scale)
    server = FakeTelegramServer(FakeTelegram(scale=scale))
    await asyncio.to_thread(server.start)
    limiter = TelegramRateLimiter(limits)
    bot = ExtBot(
        server.state.token,
        base_url=f"{server.url}/bot",
        rate_limiter=limiter,
        request=HTTPXRequest(connection_pool_size=256),
    )
    await bot.initialize()
    messenger = TelegramMessenger(bot)
    chats = [
        ChatRef("telegram", str(server.state.bot_id), str(-1_000_000 - n)) for n in range(groups)
    ]
    burst = [
        (chats[n % groups], Reply((Title(f"Meeting {n}"), Text("starts in 10 minutes"))))
        for n in range(reminders)
    ]
    started = time.monotonic()
    try:
        await asyncio.gather(*(messenger.send(chat, reply) for chat, reply in burst))
        elapsed = time.monotonic() - started
    finally:
        await bot.shutdown()
        await asyncio.to_thread(server.stop)
    sent = server.state.sent()
    smooth_floor = (reminders - 1) * (limits.overall.seconds + limits.margin) / limits.overall.count
    return {
        "reminders": reminders,
        "groups": groups,
        "scale": scale,
        "delivered": len(sent),
        "per_group": sorted(set(Counter(c.chat_id for c in sent).values())),
        "seconds_to_deliver_all": round(elapsed, 3),
        "least_seconds_the_limits_allow": round(least_time(reminders, groups, limits), 3),
        "least_seconds_with_even_spreading": round(smooth_floor, 3),
        "http_429_answers": len(server.state.refused),
        "limiter": asdict(limiter.stats),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=200)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--scale", type=float, default=1.0, help="window length factor")
    args = parser.parse_args()
    result = asyncio.run(run(args.reminders, args.groups, args.scale))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

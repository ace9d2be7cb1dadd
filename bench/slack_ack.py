"""Ack latency of ``/meet`` on loopback: ``meetbridge serve`` against a bare bolt
app that only acknowledges, measured in the same run.

    .venv/bin/python -m bench.slack_ack [--requests 1000] [--warmup 50] [--text list]

Both servers run as their own processes; the signed requests come from a third
process (the load generator), one at a time over one keep-alive connection,
so the number is the acknowledgement's own latency, not queueing. The bridge
runs against the TrueConf sandbox and a fake Slack Web API; its work after
the ack (``users.info``, the command) runs in the same process, as in
production. Prints median and p99 for both and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

SECRET = "bench-signing-secret"  # noqa: S105 (a loopback-only benchmark)
TOKEN = "xoxb-bench"  # noqa: S105


def _body(text: str, n: int, response_url: str) -> str:
    return urlencode(
        {
            "team_id": "T0TEAM",
            "channel_id": "C0BENCH",
            "channel_name": "bench",
            "user_id": "U0BENCH",
            "command": "/meet",
            "text": text,
            "response_url": response_url,
            "trigger_id": f"bench.{n}.{time.time_ns()}",
        }
    )


def load(url: str, requests: int, warmup: int, text: str, response_url: str) -> list[float]:
    """The load generator (run in its own process): seconds per acknowledgement."""
    from tests.support.fake_slack import signed_headers

    took: list[float] = []
    with httpx.Client(timeout=10) as client:
        for n in range(warmup + requests):
            body = _body(text, n, response_url)
            headers = signed_headers(SECRET, body)
            started = time.perf_counter()
            answer = client.post(url, content=body, headers=headers)
            elapsed = time.perf_counter() - started
            if answer.status_code != 200:
                raise SystemExit(f"request {n} got {answer.status_code}: {answer.text[:200]}")
            if n >= warmup:
                took.append(elapsed)
    return took


def bare(port: int, api_url: str) -> None:
    """A bolt app that only acknowledges ``/meet`` (run in its own process)."""
    import uvicorn
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    app = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token=TOKEN, base_url=api_url))

    @app.command("/meet")
    async def ack_only(ack: Any) -> None:
        await ack()

    handler = AsyncSlackRequestHandler(app)

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    web = Starlette(
        routes=[
            Route("/slack/events", events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )
    uvicorn.run(web, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _run_load(url: str, args: argparse.Namespace, response_url: str) -> list[float]:
    command = [
        sys.executable,
        "-m",
        "bench.slack_ack",
        "--load-url",
        url,
        "--requests",
        str(args.requests),
        "--warmup",
        str(args.warmup),
        "--text",
        args.text,
        "--response-url",
        response_url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    took: list[float] = json.loads(done.stdout)
    return took


def _summary(took: list[float]) -> dict[str, float]:
    ordered = sorted(took)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]
    return {"median_ms": statistics.median(ordered) * 1000, "p99_ms": p99 * 1000}


def main(args: argparse.Namespace) -> dict[str, Any]:
    from adapters.trueconf.sandbox import SandboxServer
    from tests.support.fake_slack import FakeSlack, slack_user
    from tests.support.serve import ServeProcess, free_port, wait_until

    users = [slack_user("U0BENCH", "bench", email="carol@example.com", tz="Europe/Moscow")]
    with (
        SandboxServer() as sandbox,
        FakeSlack(users=users) as slack,
        tempfile.TemporaryDirectory() as tmp,
    ):
        env = {
            "TRUECONF_SERVER_URL": sandbox.base_url,
            "TRUECONF_CLIENT_ID": sandbox.client_id,
            "TRUECONF_CLIENT_SECRET": sandbox.client_secret,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
            "LOG_LEVEL": "WARNING",
        }
        port = free_port()
        bare_process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "bench.slack_ack", "--bare-port", str(port)],
            env={**os.environ, "SLACK_API_URL": slack.api_url},
        )
        try:
            wait_until(
                lambda: _healthy(f"http://127.0.0.1:{port}/healthz"), timeout=30, what="bare app"
            )
            with ServeProcess(env=env, cwd=Path(tmp)) as served:
                response_url = slack.response_url("bench")
                bare_took = _run_load(f"http://127.0.0.1:{port}/slack/events", args, response_url)
                bridge_took = _run_load(served.url("/slack/events"), args, response_url)
        finally:
            bare_process.terminate()
            bare_process.wait(timeout=20)
    bridge, bare_stats = _summary(bridge_took), _summary(bare_took)
    return {
        "requests": args.requests,
        "command": f"/meet {args.text}",
        "bridge": bridge,
        "bare_bolt": bare_stats,
        "ratio_median": bridge["median_ms"] / bare_stats["median_ms"],
        "ratio_p99": bridge["p99_ms"] / bare_stats["p99_ms"],
    }


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--text", default="list", help="what follows /meet")
    parser.add_argument("--load-url", help=argparse.SUPPRESS)
    parser.add_argument("--response-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--bare-port", type=int, help=argparse.SUPPRESS)
    return parser


if __name__ == "__main__":
    options = _parser().parse_args()
    if options.bare_port:
        bare(options.bare_port, os.environ["SLACK_API_URL"])
    elif options.load_url:
        took = load(
            options.load_url, options.requests, options.warmup, options.text, options.response_url
        )
        print(json.dumps(took))
    else:
        print(json.dumps(main(options), indent=2))

"""Container health check: exit 0 when the local service answers PATH with 2xx.

    python healthcheck.py [/healthz | /readyz]

The image has no curl; this needs only the standard library. It asks the
service on 127.0.0.1 at the port it listens on (PORT, default 8080).
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from http import HTTPStatus

TIMEOUT_SECONDS = 4.0


def check(path: str, port: str) -> int:
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:
            status = int(answer.status)
    except urllib.error.HTTPError as exc:  # 4xx/5xx arrive as exceptions
        status = exc.code
    except OSError as exc:  # refused, timed out: not healthy
        print(f"{url}: {exc}", file=sys.stderr)
        return 1
    if HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES:
        return 0
    print(f"{url}: HTTP {status}", file=sys.stderr)
    return 1


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else "/healthz"
    return check(path, os.environ.get("PORT", "8080"))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

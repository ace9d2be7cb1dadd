"""A connection's reads under one deadline for the whole request: a
socket's own timeout is per read, so a request sent a byte at a time, each
inside it, was read for good."""

from __future__ import annotations

import io
import socket
import time
from typing import Any


class DeadlineReader(io.RawIOBase):
    """Reads ``sock``, each read given only the time left until ``deadline``
    (``time.monotonic``); ``lift`` ends it (the request is in), reads then
    keep the socket's own timeout."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline: float | None = deadline
        self._timeout = sock.gettimeout()

    def lift(self) -> None:
        self._deadline = None
        self._sock.settimeout(self._timeout)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._deadline is not None:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request did not come whole in time")
            self._sock.settimeout(left)
        return self._sock.recv_into(buffer)

"""The sandbox's HTTP face: ``/api/conferences/<action>`` with the documented methods."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.callaba.sandbox.rooms import RoomError
from adapters.callaba.sandbox.state import CallabaState, LoggedCall

Action = Callable[[CallabaState, Any], Any]

# action -> (method, handler), as the reference lists them.
ACTIONS: dict[str, tuple[str, Action]] = {
    "create": ("POST", CallabaState.create),
    "update": ("POST", CallabaState.update),
    "remove": ("DELETE", CallabaState.remove),
    "getAll": ("POST", CallabaState.get_all),
    "getById": ("POST", CallabaState.get_by_id),
}


def _error(error: RoomError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status)


class CallabaApp:
    def __init__(self, state: CallabaState) -> None:
        self.state = state

    def build(self) -> Starlette:
        return Starlette(
            routes=[Route("/api/conferences/{action}", self.api, methods=["POST", "DELETE"])]
        )

    async def api(self, request: Request) -> Response:
        if self.state.latency > 0:
            await asyncio.sleep(self.state.latency)
        action = request.path_params["action"]
        token = request.headers.get("x-access-token")
        body: Any = None
        try:
            body = await self._body(request)
            response = self._answer(request.method, action, token, body)
        except RoomError as exc:
            response = _error(exc)
        self.state.record(
            LoggedCall(
                method=request.method,
                action=action,
                body=body,
                status=response.status_code,
                token=token == self.state.token,
                at=self.state.clock.now(),
            )
        )
        return response

    def _answer(self, method: str, action: str, token: str | None, body: Any) -> Response:
        known = ACTIONS.get(action)
        if known is None:
            raise RoomError(404, f"Cannot {method} /api/conferences/{action}")
        if known[0] != method:
            raise RoomError(404, f"Cannot {method} /api/conferences/{action}")
        failure = self.state.take_failure(action)
        if failure is not None:
            if failure.raw is not None:
                return Response(failure.raw, status_code=failure.status, media_type="text/html")
            body_out = failure.body if failure.body is not None else {"message": "injected"}
            return JSONResponse(body_out, status_code=failure.status)
        if not token:
            raise RoomError(403, "No token provided!")
        if token != self.state.token:
            raise RoomError(401, "Unauthorized!")
        return JSONResponse(known[1](self.state, body))

    @staticmethod
    async def _body(request: Request) -> Any:
        raw = await request.body()
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except (ValueError, RecursionError) as exc:  # not JSON, or nested too deep
            raise RoomError(400, "the body is not valid JSON") from exc


def build_app(state: CallabaState) -> Starlette:
    return CallabaApp(state).build()

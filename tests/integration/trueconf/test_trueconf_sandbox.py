"""The sandbox answers as the reference says, seen through raw HTTP."""

from __future__ import annotations

import httpx

from adapters.trueconf.sandbox import SandboxServer


async def _token(http: httpx.AsyncClient, sandbox: SandboxServer) -> str:
    answer = await http.post(
        "/oauth2/v1/token",
        json={
            "grant_type": "client_credentials",
            "client_id": sandbox.client_id,
            "client_secret": sandbox.client_secret,
        },
    )
    token: str = answer.json()["access_token"]
    return token


async def test_missing_token_is_401_access_token_invalid(http: httpx.AsyncClient) -> None:
    answer = await http.get("/api/v3.10/conferences")
    assert answer.status_code == 401
    error = answer.json()["error"]
    assert (error["code"], error["message"]) == (401, "Unauthorized")
    assert error["errors"][0]["reason"] == "accessTokenInvalid"


async def test_token_accepted_as_query_parameter_and_grant_type_checked(
    http: httpx.AsyncClient, sandbox: SandboxServer
) -> None:
    token = await _token(http, sandbox)
    answer = await http.get("/api/v3.10/users", params={"access_token": token})
    assert answer.status_code == 200
    assert "cnt" not in answer.json()  # the user list has no total
    refused = await http.post("/oauth2/v1/token", data={"grant_type": "password"})
    assert refused.status_code == 400
    assert refused.json()["error"] == "unsupported_grant_type"


async def test_validation_errors_name_the_parameter(
    http: httpx.AsyncClient, sandbox: SandboxServer
) -> None:
    headers = {"Authorization": f"Bearer {await _token(http, sandbox)}"}
    bad = [
        ({"owner": "alice", "schedule": {"type": -1}}, "topic"),
        ({"topic": "T", "owner": "a" * 65, "schedule": {"type": -1}}, "owner"),
        ({"topic": "T", "owner": "alice", "schedule": {"type": 5}}, "schedule"),
        (
            {"topic": "T", "owner": "alice", "schedule": {"type": 0, "days": ["funday"]}},
            "schedule.duration",
        ),
        ({"id": "bad id!", "topic": "T", "owner": "alice", "schedule": {"type": -1}}, "id"),
    ]
    for body, location in bad:
        answer = await http.post("/api/v3.10/conferences", json=body, headers=headers)
        assert answer.status_code == 400, body
        detail = answer.json()["error"]["errors"][0]
        assert detail["locationType"] == "parameter"
        assert detail["location"] == location
        assert detail["reason"] in ("invalidRequest", "missingRequiredField")


async def test_conference_list_reports_cnt(http: httpx.AsyncClient, sandbox: SandboxServer) -> None:
    headers = {"Authorization": f"Bearer {await _token(http, sandbox)}"}
    body = {
        "topic": "T",
        "owner": "alice",
        "invitations": [{"id": "alice"}],
        "schedule": {"type": -1},
    }
    for _ in range(3):
        assert (await http.post("/api/v3.10/conferences", json=body, headers=headers)).is_success
    page = await http.get(
        "/api/v3.10/conferences", params={"page_id": 2, "page_size": 2}, headers=headers
    )
    assert page.json()["cnt"] == 3
    assert len(page.json()["conferences"]) == 1
    too_big = await http.get("/api/v3.10/conferences", params={"page_size": 1001}, headers=headers)
    assert too_big.status_code == 400


async def test_json_nested_past_the_decoders_depth_is_a_400(
    http: httpx.AsyncClient, sandbox: SandboxServer
) -> None:
    deep = b"[" * 100_000
    headers = {"Content-Type": "application/json"}
    refused = await http.post("/oauth2/v1/token", content=deep, headers=headers)
    assert refused.status_code == 400, refused.text
    token = await _token(http, sandbox)
    answer = await http.post(
        "/api/v3.10/conferences", params={"access_token": token}, content=deep, headers=headers
    )
    assert answer.status_code == 400, answer.text

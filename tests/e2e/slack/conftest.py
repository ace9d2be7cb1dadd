from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.trueconf.sandbox import SandboxServer
from tests.e2e.slack.support import SlackWorld, start_world, strict_slack
from tests.support.fake_slack import FakeSlack, slack_user

USERS = [
    slack_user("UCREATOR", "carol", email="carol@example.com", tz="Europe/Moscow"),
    slack_user("UALICE", "alice", email="alice@example.com", tz="Europe/Berlin"),
    slack_user("UNOMAIL", "zed"),  # users:read.email gives nothing for this one
    slack_user("UADMIN", "helen", email="helen@example.com", is_admin=True),
    slack_user("UOTHER", "bob", email="bob@example.com"),
]


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    yield from strict_slack(USERS)


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, slack: FakeSlack, sandbox: SandboxServer
) -> Iterator[SlackWorld]:
    yield from start_world(tmp_path_factory.mktemp("slack"), slack, sandbox)


@pytest.fixture(autouse=True)
def _fast_sandbox(sandbox: SandboxServer) -> Iterator[None]:
    sandbox.state.latency = 0.0
    yield
    sandbox.state.latency = 0.0

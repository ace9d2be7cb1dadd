"""UNLINKED_MAY_CREATE=false over the webhook: only people linked to a TrueConf
account create meetings, owned by their own account; the others are told, in
private, how to ask for a link, and nothing reaches the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.trueconf.sandbox import SandboxServer
from tests.support.serve import ServeProcess
from tests.support.telegram_api import FakeTelegram, FakeTelegramServer, person
from tests.support.telegram_chat import SECRET, Chat

pytestmark = pytest.mark.timeout(120)

ROOT = person(910, "root")
CAROL = person(911, "carol")
GROUP = -5001


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SandboxServer, Chat, Chat]]:
    with SandboxServer() as sandbox, FakeTelegramServer(FakeTelegram(scale=0.05)) as telegram:
        env = {
            "TRUECONF_SERVER_URL": sandbox.base_url,
            "TRUECONF_CLIENT_ID": sandbox.client_id,
            "TRUECONF_CLIENT_SECRET": sandbox.client_secret,
            "TRUECONF_OWNER": "admin",  # set, and unused
            "UNLINKED_MAY_CREATE": "false",
            "TELEGRAM_BOT_TOKEN": telegram.state.token,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_URL": telegram.url,
            "TELEGRAM_ALLOWED_CHATS": str(GROUP),
            "BRIDGE_ADMINS": f"telegram:{ROOT['id']}",
        }
        cwd = Path(tmp_path_factory.mktemp("unlinked"))
        with ServeProcess(env=env, cwd=cwd) as served:
            yield sandbox, Chat(telegram, served, GROUP), Chat(telegram, served, CAROL["id"])
        assert "Traceback" not in served.log


def test_only_linked_people_create_meetings(world: tuple[SandboxServer, Chat, Chat]) -> None:
    sandbox, group, carol_private = world
    group.send("/meet now Unlinked call", CAROL)
    told = carol_private.wait()[0]
    assert "/meet link" in told.text
    assert sandbox.state.conference_ids() == []
    assert group.unseen() == []

    linked = group.say("/meet link @carol carol", ROOT)
    assert "carol is now linked to TrueConf user carol" in linked.text
    card = group.say("/meet now Linked call", CAROL)
    assert "Linked call" in card.text
    (conference_id,) = sandbox.state.conference_ids()
    made = sandbox.state.raw_conference(conference_id)
    assert made is not None
    assert made["owner"] == "carol"

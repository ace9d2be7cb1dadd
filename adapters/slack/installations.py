"""Installations kept in the bridge's database, tokens encrypted at rest.

slack-sdk's ``AsyncSQLAlchemyInstallationStore`` does the SQL over the
bridge's connection pool, handed over by the composition root, in the
adapter's own tables (``adapters.slack.tables``, created and upgraded by their
own migrations, ``adapters.slack.schema``, before the store is used). This
wrapper encrypts every token with Fernet before it is written and decrypts it
after it is read, so a database dump holds no usable token.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.tables import BOTS, INSTALLATIONS
from bot.errors import ConfigError

TOKEN_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


def fernet_from(key: str) -> Fernet:
    try:
        return Fernet(key.encode())
    except (ValueError, TypeError):
        raise ConfigError(
            "SLACK_ENCRYPTION_KEY is not a Fernet key (32 url-safe base64-encoded bytes): "
            "make one with `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`"
        ) from None


class EncryptedInstallationStore(AsyncInstallationStore):
    def __init__(
        self,
        client_id: str,
        engine: AsyncEngine,
        fernet: Fernet,
        allows: Callable[[str | None], bool] = lambda team_id: True,
    ) -> None:
        self._inner = AsyncSQLAlchemyInstallationStore(
            client_id=client_id,
            engine=engine,
            installations_table_name=INSTALLATIONS,
            bots_table_name=BOTS,
        )
        self._fernet = fernet
        self._allows = allows

    def __repr__(self) -> str:
        return "EncryptedInstallationStore()"

    def _seal(self, record: Any) -> Any:
        sealed = copy.copy(record)
        for name in TOKEN_FIELDS:
            value = getattr(sealed, name, None)
            if value:
                setattr(sealed, name, self._fernet.encrypt(value.encode()).decode())
        return sealed

    def _open(self, record: Any) -> Any:
        if record is None:
            return None
        for name in TOKEN_FIELDS:
            value = getattr(record, name, None)
            if value:
                try:
                    setattr(record, name, self._fernet.decrypt(value.encode()).decode())
                except InvalidToken:
                    # Written under another key: unusable, so treated as not installed.
                    return None
        return record

    async def async_save(self, installation: Installation) -> None:
        if not self._allows(installation.team_id):
            # The install flow turns this into its failure page; nothing is kept.
            raise PermissionError("this workspace is not on SLACK_WORKSPACE_ALLOWLIST")
        await self._inner.async_save(self._seal(installation))

    async def async_save_bot(self, bot: Bot) -> None:
        await self._inner.async_save_bot(self._seal(bot))

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = await self._inner.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        opened: Bot | None = self._open(found)
        return opened

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        found = await self._inner.async_find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        opened: Installation | None = self._open(found)
        return opened

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._inner.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self._inner.async_delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )

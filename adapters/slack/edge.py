"""Slack as an edge of the bridge: its settings, component and checks."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.edge import Configuration, MessengerEdge, Wiring
from adapters.slack.component import SlackComponent, SlackWork
from adapters.slack.config import slack_config
from adapters.slack.doctor import check_slack
from adapters.slack.installations import fernet_from
from adapters.slack.oauth import installation_store
from adapters.slack.schema import upgrade_tables
from adapters.slack.settings import SlackSettings
from adapters.slack.work import SOURCE


def validate(settings: SlackSettings, _config: Configuration) -> None:
    config = slack_config(settings)
    if config is not None and config.multi_workspace and config.encryption_key is not None:
        fernet_from(config.encryption_key.get_secret_value())


async def tables(settings: SlackSettings, engine: AsyncEngine) -> None:
    """The installation store's tables, where the store is used: the OAuth
    install (multi-workspace mode, no SLACK_BOT_TOKEN). Read from the settings
    as they are: `db upgrade` does not stop on a Slack setting missing."""
    if settings.bot_token is None:
        await upgrade_tables(engine)


def component(settings: SlackSettings, wiring: Wiring) -> SlackComponent:
    config = slack_config(settings)
    assert config is not None  # enabled, and validated before anything starts
    if wiring.command_queue is None:
        raise ValueError("Slack needs the accepted-commands queue of the bridge's database")
    store = installation_store(config, wiring.engine) if config.multi_workspace else None
    return SlackComponent(
        config,
        wiring.service,
        wiring.deps.uow,
        wiring.messengers,
        queue=wiring.command_queue(SOURCE),
        clock=wiring.deps.clock,
        installations=store,
        public_url=wiring.config.core.public_url,
        open_links=wiring.open_links,
        metrics=wiring.deps.metrics,
    )


def worker(settings: SlackSettings, wiring: Wiring) -> SlackWork:
    return component(settings, wiring).worker()


EDGE = MessengerEdge(
    name="slack",
    settings=SlackSettings,
    enabled=lambda settings: settings.configured,
    validate=validate,
    component=component,
    worker=worker,
    tables=tables,
    doctor=check_slack,
    public_paths=("/slack/",),
)

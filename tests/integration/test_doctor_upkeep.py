"""``doctor`` warns when PostgreSQL runs no autovacuum (the queue's statements
then slow with every command); SQLite needs no upkeep and gets no line."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.settings import Settings
from meetbridge.doctor_upkeep import check_upkeep, upkeep_findings
from storage import build_engine

pytestmark = pytest.mark.timeout(30)


@pytest.mark.parametrize(
    ("autovacuum", "track_counts", "named"),
    [
        ("off", "on", "autovacuum off"),
        ("on", "off", "track_counts off"),
        ("off", "off", "autovacuum and track_counts off"),
    ],
)
def test_upkeep_turned_off_is_a_warning_that_names_the_setting_and_the_fix(
    autovacuum: str, track_counts: str, named: str
) -> None:
    [finding] = upkeep_findings(autovacuum=autovacuum, track_counts=track_counts)
    assert finding.ok
    assert finding.warning
    assert finding.line().startswith(f"warn  database upkeep: {named} on this PostgreSQL server")
    assert "VACUUM ANALYZE" in finding.detail


def test_upkeep_on_says_nothing() -> None:
    assert upkeep_findings(autovacuum="on", track_counts="on") == []


def test_tables_left_out_one_by_one_are_named() -> None:
    [finding] = upkeep_findings(
        autovacuum="on", track_counts="on", excluded=["accepted_commands", "scheduled_actions"]
    )
    assert finding.warning
    assert finding.detail.startswith(
        "autovacuum turned off for accepted_commands, scheduled_actions: "
    )
    assert "RESET (autovacuum_enabled)" in finding.detail


async def test_doctor_reads_the_servers_setting_and_a_table_left_out(migrated_url: str) -> None:
    settings = Settings(database_url=migrated_url, _env_file=None)
    if migrated_url.startswith("sqlite"):
        assert await check_upkeep(settings) == []  # SQLite needs no upkeep
        return
    engine = build_engine(migrated_url)
    try:
        async with engine.begin() as conn:
            server_on = await conn.scalar(
                text(
                    "SELECT current_setting('autovacuum') = 'on' AND "
                    "current_setting('track_counts') = 'on'"
                )
            )
            await conn.execute(
                text("ALTER TABLE accepted_commands SET (autovacuum_enabled = false)")
            )
        [finding] = await check_upkeep(settings)
        # This machine's server may run either way; the table is named in both.
        assert "autovacuum turned off for accepted_commands: " in finding.detail
        assert finding.detail.startswith("autovacuum turned off") == server_on
        async with engine.begin() as conn:
            await conn.execute(text("ALTER TABLE accepted_commands RESET (autovacuum_enabled)"))
        assert bool(await check_upkeep(settings)) == (not server_on)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("url", ["postgresql+asyncpg://nobody@127.0.0.1:9/none", "nonsense"])
async def test_an_unusable_database_url_is_left_to_the_other_checks(url: str) -> None:
    assert await check_upkeep(Settings(database_url=url, _env_file=None)) == []

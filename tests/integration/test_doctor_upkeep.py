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


async def test_doctor_reads_the_servers_own_setting(migrated_url: str) -> None:
    findings = await check_upkeep(Settings(database_url=migrated_url, _env_file=None))
    if migrated_url.startswith("sqlite"):
        assert findings == []
        return
    engine = build_engine(migrated_url)
    try:
        async with engine.connect() as conn:
            shown = await conn.scalar(text("SHOW autovacuum"))
            counted = await conn.scalar(text("SHOW track_counts"))
    finally:
        await engine.dispose()
    # This machine's server may run either way: the finding follows it.
    assert bool(findings) == (shown != "on" or counted != "on")


@pytest.mark.parametrize("url", ["postgresql+asyncpg://nobody@127.0.0.1:9/none", "nonsense"])
async def test_an_unusable_database_url_is_left_to_the_other_checks(url: str) -> None:
    assert await check_upkeep(Settings(database_url=url, _env_file=None)) == []

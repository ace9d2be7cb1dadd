"""/readyz's evaluation: every check named, a failure or an exception or a
check that never answers makes it fail, answers are reused for a while."""

from __future__ import annotations

import asyncio
import logging

import pytest

from adapters.http.readiness import (
    STOPPING_DETAIL,
    Check,
    CheckResult,
    Readiness,
    ReadinessComponent,
    Started,
    failed,
    passed,
)
from adapters.http.shutdown import ShutdownBudget
from adapters.logs import Redactor

pytestmark = pytest.mark.timeout(30)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Counting:
    def __init__(self, result: CheckResult) -> None:
        self.result = result
        self.calls = 0

    async def __call__(self) -> CheckResult:
        self.calls += 1
        return self.result


async def test_all_passing_is_ok_and_names_each_check() -> None:
    readiness = Readiness(
        [Check("database", Counting(passed("at 0005"))), Check("slack", Counting(passed("ok")))]
    )
    answer = await readiness.answer()
    assert answer == {
        "status": "ok",
        "checks": {
            "database": {"ok": True, "detail": "at 0005"},
            "slack": {"ok": True, "detail": "ok"},
        },
    }


async def test_a_failing_raising_or_silent_check_fails_with_a_short_reason() -> None:
    async def raises() -> CheckResult:
        raise ConnectionError("refused by 10.0.0.1 with token=hunter2\nsecond line")

    async def silent() -> CheckResult:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    readiness = Readiness(
        [
            Check("database", Counting(passed("fine"))),
            Check("backend:trueconf", Counting(failed("credentials refused"))),
            Check("telegram", raises),
            Check("slack", silent),
        ],
        timeout=0.05,
        redact=Redactor(["10.0.0.1"]),
    )
    answer = await readiness.answer()
    assert answer["status"] == "failing"
    checks = answer["checks"]
    assert checks["database"]["ok"] is True
    assert checks["backend:trueconf"] == {"ok": False, "detail": "credentials refused"}
    detail = checks["telegram"]["detail"]
    assert detail.startswith("ConnectionError: refused by")
    assert "hunter2" not in detail
    assert "10.0.0.1" not in detail
    assert "second" not in detail
    assert checks["slack"] == {"ok": False, "detail": "no answer within 0.05s"}


async def test_answers_are_reused_until_the_cache_time_passes() -> None:
    clock = Clock()
    probe = Counting(passed("ok"))
    readiness = Readiness([Check("database", probe)], cache_seconds=5, clock=clock)
    await asyncio.gather(*(readiness.answer() for _ in range(5)))  # probes at once share it
    clock.now += 4.9
    await readiness.answer()
    assert probe.calls == 1
    clock.now += 0.2
    probe.result = failed("gone")
    assert (await readiness.answer())["status"] == "failing"
    assert probe.calls == 2


async def test_once_stopping_it_fails_at_once_naming_the_shutdown() -> None:
    clock = Clock()
    budget = ShutdownBudget(20.0, clock=clock)
    probe = Counting(passed("at 0005"))
    readiness = Readiness(
        [Check("database", probe)], cache_seconds=60, clock=clock, stopping=lambda: budget.began
    )
    assert (await readiness.answer())["status"] == "ok"
    budget.begin()  # the first SIGTERM
    # Within the cached minute, and without asking the database again.
    assert await readiness.answer() == {
        "status": "failing",
        "checks": {"shutdown": {"ok": False, "detail": STOPPING_DETAIL}},
    }
    assert probe.calls == 1


async def test_a_failing_dependency_is_reported_but_keeps_the_process_ready() -> None:
    seen: list[tuple[str, bool]] = []
    readiness = Readiness(
        [Check("database", Counting(passed("at 0005")))],
        dependencies=[
            Check("backend:trueconf", Counting(failed("unreachable: ConnectError"))),
            Check("slack", Counting(passed("auth.test accepts the bot token"))),
        ],
        observe=lambda name, up, seconds: seen.append((name, up)),
    )
    answer = await readiness.answer()
    assert answer == {
        "status": "ok",
        "checks": {"database": {"ok": True, "detail": "at 0005"}},
        "dependencies": {
            "backend:trueconf": {"ok": False, "detail": "unreachable: ConnectError"},
            "slack": {"ok": True, "detail": "auth.test accepts the bot token"},
        },
    }
    assert sorted(seen) == [("backend:trueconf", False), ("slack", True)]  # not the database


async def test_strict_mode_requires_every_dependency() -> None:
    readiness = Readiness(
        [Check("database", Counting(passed("at 0005")))],
        dependencies=[Check("backend:trueconf", Counting(failed("unreachable")))],
        strict=True,
    )
    answer = await readiness.answer()
    assert answer["status"] == "failing"
    assert set(answer["checks"]) == {"database", "backend:trueconf"}
    assert "dependencies" not in answer


async def test_not_ready_until_every_component_started_nor_after_the_stop_began() -> None:
    started = Started()
    component = ReadinessComponent(
        Readiness([Check("started", started)], cache_seconds=0), started=started
    )
    assert (await component.readiness.answer())["status"] == "failing"
    await component.start()
    try:
        assert (await component.readiness.answer())["status"] == "ok"
    finally:
        await component.stop()
    assert (await component.readiness.answer())["checks"]["started"] == {
        "ok": False,
        "detail": "starting",
    }


async def test_what_each_check_found_is_logged_when_it_changes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # /readyz answers anyone who reaches it with ready or not alone: what the
    # checks found (a work process's pid, how many commands wait) is for the
    # operator, in the log, once per change rather than once per probe.
    database = Counting(passed("reachable"))
    trueconf = Counting(failed("unreachable: ConnectError"))
    readiness = Readiness(
        [Check("database", database)],
        dependencies=[Check("backend:trueconf", trueconf)],
        cache_seconds=0,
    )
    with caplog.at_level(logging.INFO, logger="adapters.http.readiness"):
        await readiness.answer()
        await readiness.answer()  # the same again: nothing new said
        database.result = failed("at revision 0001, not 0014: run `meetbridge db upgrade`")
        await readiness.answer()
        database.result = passed("reachable")
        trueconf.result = passed("reachable, credentials accepted")
        await readiness.answer()
    assert [r.getMessage() for r in caplog.records] == [
        "readiness: backend:trueconf (a dependency) fails: unreachable: ConnectError",
        "readiness: database fails: at revision 0001, not 0014: run `meetbridge db upgrade`"
        " (not ready)",
        "readiness: database passes: reachable",
        "readiness: backend:trueconf (a dependency) passes: reachable, credentials accepted",
    ]
    assert [r.levelno for r in caplog.records] == [
        logging.WARNING,
        logging.WARNING,
        logging.INFO,
        logging.INFO,
    ]

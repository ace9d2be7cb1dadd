"""The Prometheus side of the metrics port: the contract's names and labels,
and one registry per app (two apps in a process never share counts)."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from adapters.httpclient import path_template
from adapters.metrics import MetricsComponent, PrometheusMetrics
from adapters.trueconf.client import ENDPOINT_WORDS


def samples(metrics: PrometheusMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = metrics.exposition().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_each_metric_is_exposed_under_its_contract_name() -> None:
    metrics = PrometheusMetrics()
    metrics.command_handled("new", "ok", 0.2)
    metrics.backend_request("trueconf", "/api/v3.10/conferences/{id}", "200", 0.03)
    metrics.token_refreshed("trueconf")
    metrics.reminder_finished("sent", 1.5)
    metrics.reminder_finished("expired", None)
    metrics.rate_limiter_waited("telegram", 0.75)
    metrics.http_request_started()
    seen = samples(metrics)
    assert seen["meetbridge_commands_total", (("kind", "new"), ("outcome", "ok"))] == 1
    assert seen["meetbridge_command_duration_seconds_count", (("kind", "new"),)] == 1
    endpoint = (
        ("backend", "trueconf"),
        ("endpoint", "/api/v3.10/conferences/{id}"),
        ("status", "200"),
    )
    assert seen["meetbridge_backend_request_duration_seconds_count", endpoint] == 1
    assert seen["meetbridge_token_refreshes_total", (("backend", "trueconf"),)] == 1
    assert seen["meetbridge_reminders_total", (("outcome", "sent"),)] == 1
    assert seen["meetbridge_reminders_total", (("outcome", "expired"),)] == 1
    assert seen["meetbridge_reminders_total", (("outcome", "failed"),)] == 0
    assert seen["meetbridge_reminder_lag_seconds_count", ()] == 1  # only what was sent
    assert seen["meetbridge_rate_limiter_waits_total", (("platform", "telegram"),)] == 1
    assert seen["meetbridge_rate_limiter_wait_seconds_total", (("platform", "telegram"),)] == 0.75
    assert seen["meetbridge_http_requests_in_progress", ()] == 1


def test_two_apps_count_apart() -> None:
    first, second = PrometheusMetrics(), PrometheusMetrics()
    first.token_refreshed("trueconf")
    assert ("meetbridge_token_refreshes_total", (("backend", "trueconf"),)) not in samples(second)


def test_endpoints_keep_the_api_words_and_hide_ids() -> None:
    path = "/api/v3.10/conferences/0012%40srv%23vcs/invitations/alice.smith"
    assert path_template(path, ENDPOINT_WORDS) == "/api/v3.10/conferences/{id}/invitations/{id}"
    assert path_template("/oauth2/v1/token", ENDPOINT_WORDS) == "/oauth2/v1/token"


def test_process_runtime_gc_and_build_metrics_are_exposed() -> None:
    metrics = PrometheusMetrics(build=("1.2.3", "abc1234"))
    metrics.dependency_checked("backend:trueconf", False, 0.25)
    seen = samples(metrics)
    names = {name for name, _ in seen}
    assert {"process_cpu_seconds_total", "python_info", "python_gc_collections_total"} <= names
    assert seen["meetbridge_build_info", (("commit", "abc1234"), ("version", "1.2.3"))] == 1
    assert seen["meetbridge_dependency_up", (("name", "backend:trueconf"),)] == 0
    assert seen["meetbridge_dependency_check_seconds", (("name", "backend:trueconf"),)] == 0.25


async def test_metrics_route_negotiates_openmetrics_and_gzip() -> None:
    metrics = PrometheusMetrics()
    app = Starlette(routes=list(MetricsComponent(metrics).routes))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bridge") as client:
        plain = await client.get("/metrics", headers={"Accept-Encoding": "identity"})
        assert plain.headers["content-type"].startswith("text/plain; version=0.0.4")
        assert "meetbridge_build_info" in plain.text
        open_metrics = await client.get(
            "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
        )
        assert open_metrics.headers["content-type"].startswith("application/openmetrics-text")
        assert open_metrics.text.rstrip().endswith("# EOF")
        zipped = await client.get("/metrics", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert "meetbridge_build_info" in zipped.text  # httpx unzips it
        assert (await client.post("/metrics")).status_code == 405

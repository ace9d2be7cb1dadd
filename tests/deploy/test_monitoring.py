"""deploy/monitoring/: the Prometheus alert rules pass promtool, the Grafana
dashboard is a well-formed dashboard, the scrape jobs send METRICS_TOKEN as
the bridge takes it, and every metric either uses is one a
running bridge exposes on /metrics (a renamed metric would leave a panel
empty and an alert silent)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.deploy.tools import DEPLOY, require_tool
from tests.support.serve import ServeProcess

MONITORING = DEPLOY / "monitoring"
RULES = MONITORING / "alerts.yml"
DASHBOARD = MONITORING / "grafana-dashboard.json"
SCRAPE = MONITORING / "prometheus-scrape.yml"
METRIC = re.compile(r"\b((?:meetbridge|process|python)_[a-z0-9_]+)\b")
# What the issue asks the alerts to watch.
REQUIRED_ALERTS = {
    "MeetbridgeNoReplicaUp",
    "MeetbridgeReminderLag",
    "MeetbridgeRemindersFailed",
    "MeetbridgeBackendDown",
    "MeetbridgeRateLimited",
}


def rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return loaded


def dashboard_exprs() -> list[str]:
    return [target["expr"] for panel in dashboard()["panels"] for target in panel["targets"]]


def metrics_in(exprs: list[str]) -> set[str]:
    return {name for expr in exprs for name in METRIC.findall(expr)}


def test_promtool_accepts_the_rules() -> None:
    promtool = require_tool(
        "promtool", what="the alert rules' PromQL", install="apt-get install prometheus"
    )
    result = subprocess.run(
        [promtool, "check", "rules", str(RULES)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(rules())} rules found" in result.stdout


def test_each_alert_is_there_with_a_severity_and_words_for_people() -> None:
    found = {rule["alert"] for rule in rules()}
    assert found >= REQUIRED_ALERTS
    for rule in rules():
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}, rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        assert rule["annotations"]["description"], rule["alert"]


def test_the_dashboard_is_a_grafana_dashboard() -> None:
    board = dashboard()
    assert board["uid"] == "meetbridge"
    assert isinstance(board["schemaVersion"], int)
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids)), "panel ids repeat"
    for panel in board["panels"]:
        assert panel["title"]
        assert panel["type"] in {"timeseries", "table", "stat"}
        assert set(panel["gridPos"]) == {"h", "w", "x", "y"}
        assert panel["targets"], panel["title"]
        ref_ids = [target["refId"] for target in panel["targets"]]
        assert len(ref_ids) == len(set(ref_ids)), panel["title"]
    variables = {v["name"] for v in board["templating"]["list"]}
    assert variables == {"datasource", "job"}


def exposed(text: str) -> set[str]:
    """Every series name the exposition can carry, from its families."""
    suffixes = {
        "counter": ("_total",),
        "histogram": ("_bucket", "_count", "_sum"),
        "gauge": ("",),
        "summary": ("_count", "_sum", ""),
        "info": ("_info",),
    }
    names: set[str] = set()
    for family in text_string_to_metric_families(text):
        names.update(family.name + suffix for suffix in suffixes.get(family.type, ("",)))
    return names


@pytest.mark.timeout(90)
def test_every_metric_the_dashboard_and_alerts_use_is_exposed(tmp_path: Path) -> None:
    with ServeProcess(env={}, cwd=tmp_path) as served:
        text = httpx.get(served.url("/metrics"), timeout=10).text
    available = exposed(text)
    used = metrics_in(dashboard_exprs()) | metrics_in([rule["expr"] for rule in rules()])
    assert used, "no metric found in the dashboard or the rules"
    assert not used - available, f"not exposed by meetbridge serve: {sorted(used - available)}"


def scrape_jobs() -> list[dict[str, Any]]:
    document = yaml.safe_load(SCRAPE.read_text(encoding="utf-8"))
    jobs: list[dict[str, Any]] = document["scrape_configs"]
    return jobs


def test_the_scrape_jobs_send_the_token_from_a_file() -> None:
    """Each job sends METRICS_TOKEN as Prometheus reads it from the Secret
    mounted into its pod; serve's is the job alerts.yml names."""
    jobs = {job["job_name"]: job for job in scrape_jobs()}
    assert set(jobs) == {"meetbridge", "meetbridge-work"}
    for job in jobs.values():
        authorization = job["authorization"]
        assert authorization["type"] == "Bearer"
        assert authorization["credentials_file"].endswith("/meetbridge-metrics/token")
        assert "bearer_token" not in job  # the token itself is never written here
        assert "credentials" not in authorization


def test_a_scraper_sending_the_token_as_the_jobs_say_gets_the_metrics(tmp_path: Path) -> None:
    """As Prometheus does: the file's content without the newline at its end,
    after the type the job names."""
    token = "scrape-token-" + "0123456789abcdef" * 2
    token_file = tmp_path / "token"
    token_file.write_text(token + "\n", encoding="utf-8")
    (job, *_) = scrape_jobs()
    authorization = f"{job['authorization']['type']} {token_file.read_text().strip()}"
    with ServeProcess(env={"METRICS_TOKEN": token}, cwd=tmp_path) as served:
        url = served.url(job.get("metrics_path", "/metrics"))
        answer = httpx.get(url, headers={"Authorization": authorization}, timeout=10)
        refused = httpx.get(url, timeout=10)
    assert answer.status_code == 200
    assert "meetbridge_build_info" in answer.text
    assert refused.status_code == 401

"""deploy/kubernetes/work/: a kustomize Component that runs the work apart
(`meetbridge work`, WORK_PROCESS=false for serve), valid against the
Kubernetes schemas, its /metrics where its port and annotations say, and
outside the Service's and the disruption budget's selection."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.deploy import files
from tests.deploy.files import KUBERNETES
from tests.deploy.test_kubernetes import (
    METRICS_SECRET_REF,
    kubectl_kustomize,
    schema_version,
    validate,
)

WORK = KUBERNETES / "work"


def _work_deployment() -> dict[str, Any]:
    (doc,) = files.yaml_documents((WORK / "work-deployment.yaml").read_text(encoding="utf-8"))
    return doc


@pytest.mark.parametrize("which", ["oldest", "newest"])
def test_the_work_deployment_is_valid_for_kubernetes(which: str) -> None:
    validate([_work_deployment()], schema_version(which))


def test_the_work_deployment_runs_work_with_its_metrics_where_it_says() -> None:
    deployment = _work_deployment()
    template = deployment["spec"]["template"]
    (container,) = template["spec"]["containers"]
    assert container["args"] == ["work"]
    env = files.plain_env(container)
    assert env["WORK_METRICS_HOST"] == "0.0.0.0"  # noqa: S104  # the pod's address
    (port,) = container["ports"]
    assert port["containerPort"] == int(env["WORK_METRICS_PORT"])
    # /metrics may ask for a token no probe has: the probes knock on its port.
    for probe in ("startupProbe", "livenessProbe"):
        assert container[probe]["tcpSocket"] == {"port": port["name"]}
    assert files.env_from_secrets(container)["METRICS_TOKEN"] == METRICS_SECRET_REF
    annotations = template["metadata"]["annotations"]
    assert annotations["prometheus.io/port"] == env["WORK_METRICS_PORT"]
    assert annotations["prometheus.io/path"] == "/metrics"
    assert template["spec"]["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True


def test_with_the_base_serve_leaves_the_work_to_the_work_deployment(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        # kustomize takes no absolute root
        f"resources: [{os.path.relpath(KUBERNETES, overlay)}]\n"
        f"components: [{os.path.relpath(WORK, overlay)}]\n",
        encoding="utf-8",
    )
    rendered = kubectl_kustomize(overlay)
    validate(rendered, schema_version())
    by_name = {(doc["kind"], doc["metadata"]["name"]): doc for doc in rendered}
    assert by_name["ConfigMap", "meetbridge"]["data"]["WORK_PROCESS"] == "false"
    work = by_name["Deployment", "meetbridge-work"]
    labels = work["spec"]["template"]["metadata"]["labels"]
    for kind in ("Service", "PodDisruptionBudget"):
        (selecting,) = [doc for doc in rendered if doc["kind"] == kind]
        selector = selecting["spec"].get("selector", {})
        selector = selector.get("matchLabels", selector)
        assert not selector.items() <= labels.items(), kind  # no traffic, no serve budget

"""deploy/kubernetes/: valid against the Kubernetes schemas, and wired together.

Schemas: kubernetes-validate (dev extra) ships them, so this runs offline;
strict mode rejects unknown fields, the typos a cluster would silently drop.
`kubectl kustomize` (when installed) renders the base and the guide's overlay.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH
from adapters.telegram.webhook import PATH as TELEGRAM_WEBHOOK
from tests.deploy import files
from tests.deploy.files import KUBERNETES, kubernetes_documents, kubernetes_object
from tests.deploy.tools import (
    REPO,
    field_names,
    require_module,
    require_tool,
    secret_names,
    settings_from,
)

GUIDE = REPO / "docs" / "deploying.md"
METRICS_SECRET_REF = {"name": "meetbridge-metrics", "key": "token", "optional": True}


@pytest.fixture(scope="module")
def documents() -> list[dict[str, Any]]:
    return kubernetes_documents()


def pod_specs(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pod templates of the Deployment and the migration Job."""
    return [
        doc["spec"]["template"]["spec"] for doc in documents if doc["kind"] in ("Deployment", "Job")
    ]


def schema_version(which: str = "newest") -> str:
    """The oldest or newest Kubernetes version whose schemas are bundled."""
    utils = require_module("kubernetes_validate.utils").utils
    versions = sorted(set(utils.all_versions()), key=lambda v: tuple(map(int, v.split("."))))
    return str(versions[0] if which == "oldest" else versions[-1])


def kubectl_kustomize(directory: Path) -> list[dict[str, Any]]:
    kubectl = require_tool(
        "kubectl",
        what="the kustomize rendering (the schema tests of the base still run)",
        install="kubectl 1.27 or newer, e.g. from the Kubernetes apt repository",
    )
    result = subprocess.run(
        [kubectl, "kustomize", str(directory)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return files.yaml_documents(result.stdout)


def validate(documents: list[dict[str, Any]], version: str) -> None:
    kubernetes_validate = require_module("kubernetes_validate")
    for doc in documents:
        kubernetes_validate.validate(doc, version, strict=True)  # raises, naming the field


def test_the_kustomization_lists_every_manifest() -> None:
    manifests = {path.name for path in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}
    assert sorted(files.kustomization()["resources"]) == sorted(manifests)


@pytest.mark.parametrize("which", ["oldest", "newest"])
def test_every_manifest_is_valid_for_kubernetes(
    documents: list[dict[str, Any]], which: str
) -> None:
    validate(documents, schema_version(which))
    kinds = {doc["kind"] for doc in documents}
    assert kinds >= {"Deployment", "Service", "Ingress", "ConfigMap", "Secret"}
    assert kinds >= {"PodDisruptionBudget", "Job"}


def test_a_broken_manifest_is_caught(documents: list[dict[str, Any]]) -> None:
    """The validator is strict: a misspelt probe field fails."""
    kubernetes_validate = require_module("kubernetes_validate")
    deployment = kubernetes_object(documents, "Deployment")
    container = dict(deployment["spec"]["template"]["spec"]["containers"][0])
    container["livenessProbe"] = {"httpGet": {"pathh": "/healthz", "port": "http"}}
    broken = {
        **deployment,
        "spec": {
            **deployment["spec"],
            "template": {
                **deployment["spec"]["template"],
                "spec": {**deployment["spec"]["template"]["spec"], "containers": [container]},
            },
        },
    }
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, schema_version(), strict=True)


def test_kubectl_kustomize_renders_the_same_valid_resources(
    documents: list[dict[str, Any]],
) -> None:
    rendered = kubectl_kustomize(KUBERNETES)
    names = sorted((doc["kind"], doc["metadata"]["name"]) for doc in rendered)
    assert names == sorted((doc["kind"], doc["metadata"]["name"]) for doc in documents)
    validate(rendered, schema_version())


def test_replicas_are_probed_on_healthz_and_readyz(documents: list[dict[str, Any]]) -> None:
    deployment = kubernetes_object(documents, "Deployment")
    assert deployment["spec"]["replicas"] >= 2
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    port_names = {port["name"] for port in container["ports"]}
    probes = {
        name: container[name]["httpGet"]
        for name in ("startupProbe", "livenessProbe", "readinessProbe")
    }
    assert probes["livenessProbe"]["path"] == "/healthz"
    assert probes["readinessProbe"]["path"] == "/readyz"
    assert probes["startupProbe"]["path"] == "/healthz"
    assert {probe["port"] for probe in probes.values()} <= port_names
    # The bridge listens where the container port says.
    env = files.plain_env(container)
    assert [port["containerPort"] for port in container["ports"]] == [int(env["PORT"])]
    assert env["HOST"] == "0.0.0.0"  # noqa: S104  # the pod's address, not loopback


def test_metrics_ask_for_the_token_of_an_optional_secret(documents: list[dict[str, Any]]) -> None:
    """Listening on the pod's address, /metrics takes METRICS_TOKEN from the
    Secret meetbridge-metrics (key token), which the scraper mounts too;
    without that Secret the pods start as before."""
    (container,) = kubernetes_object(documents, "Deployment")["spec"]["template"]["spec"][
        "containers"
    ]
    assert files.env_from_secrets(container)["METRICS_TOKEN"] == METRICS_SECRET_REF


def test_every_pod_has_resource_requests_and_runs_unprivileged(
    documents: list[dict[str, Any]],
) -> None:
    (user,) = files.dockerfile_stages()[-1].values("USER")
    for spec in pod_specs(documents):
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert str(spec["securityContext"]["runAsUser"]) == user.split(":")[0]  # the image's
        assert spec["automountServiceAccountToken"] is False
        for container in spec["containers"]:
            assert set(container["resources"]["requests"]) >= {"cpu", "memory"}
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["securityContext"]["readOnlyRootFilesystem"] is True


def test_the_service_ingress_and_budget_select_the_bridge(documents: list[dict[str, Any]]) -> None:
    deployment = kubernetes_object(documents, "Deployment")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    service = kubernetes_object(documents, "Service")
    assert service["spec"]["selector"].items() <= pod_labels.items()
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    (service_port,) = service["spec"]["ports"]
    assert service_port["targetPort"] in {port["name"] for port in container["ports"]}

    budget = kubernetes_object(documents, "PodDisruptionBudget")
    assert budget["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    # A budget as large as the Deployment would block every node drain.
    assert budget["spec"]["minAvailable"] < deployment["spec"]["replicas"]

    ingress = kubernetes_object(documents, "Ingress")
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend["name"] == service["metadata"]["name"]
            assert backend["port"]["name"] == service_port["name"]


def test_the_ingress_publishes_the_webhooks_and_healthz_but_not_readiness_or_metrics(
    documents: list[dict[str, Any]],
) -> None:
    ingress = kubernetes_object(documents, "Ingress")
    paths = [path for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]]

    def published(route: str) -> bool:
        return any(
            route == p["path"]
            or (p["pathType"] == "Prefix" and route.startswith(p["path"].rstrip("/") + "/"))
            for p in paths
        )

    for route in ("/slack/events", INSTALL_PATH, REDIRECT_PATH, TELEGRAM_WEBHOOK):
        assert published(route), route
    assert published("/open")
    # /healthz exactly, for doctor's PUBLIC_URL check; nothing under it.
    assert published("/healthz")
    assert not published("/healthz/x")
    for internal in ("/readyz", "/metrics"):
        assert not published(internal), internal


def test_the_migration_job_upgrades_the_database_with_the_same_image_and_settings(
    documents: list[dict[str, Any]],
) -> None:
    (server,) = kubernetes_object(documents, "Deployment")["spec"]["template"]["spec"]["containers"]
    job = kubernetes_object(documents, "Job")
    (migrate,) = job["spec"]["template"]["spec"]["containers"]
    assert migrate["args"] == ["db", "upgrade"]
    assert server["args"] == ["serve"]
    assert migrate["image"] == server["image"]
    assert migrate["envFrom"] == server["envFrom"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_settings_come_from_the_configmap_and_the_secret_and_are_valid(
    documents: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = kubernetes_object(documents, "ConfigMap")
    secret = kubernetes_object(documents, "Secret")
    (container,) = kubernetes_object(documents, "Deployment")["spec"]["template"]["spec"][
        "containers"
    ]
    refs = {next(iter(ref)): ref[next(iter(ref))]["name"] for ref in container["envFrom"]}
    assert refs == {
        "configMapRef": config["metadata"]["name"],
        "secretRef": secret["metadata"]["name"],
    }
    secret_settings = secret_names()
    assert set(config["data"]) <= field_names()
    assert set(config["data"]) & secret_settings == set(), "secrets belong in the Secret"
    assert set(secret["stringData"]) <= field_names()
    values = {**config["data"], **secret["stringData"]}
    values.update(files.plain_env(container))
    settings = settings_from(values, tmp_path, monkeypatch)
    database_url = settings.value("DATABASE_URL")
    assert isinstance(database_url, str)
    assert database_url.startswith("postgresql+asyncpg://"), "replicas need PostgreSQL"
    assert settings.value("SLACK_APP_TOKEN") is None, "Socket Mode is for one replica only"
    assert settings.value("TELEGRAM_POLLING") is False, "polling is for one replica only"


def guide_block(first_line: str) -> str:
    """The fenced block of docs/deploying.md that starts with ``first_line``."""
    blocks: list[str] = re.findall(r"```[a-z]*\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    (block,) = [b for b in blocks if b.startswith(first_line + "\n")]
    return block


def test_the_guides_overlay_sets_image_settings_and_secret(tmp_path: Path) -> None:
    """The overlay docs/deploying.md shows renders, and replaces every placeholder."""
    overlay = tmp_path / "meetbridge-prod"
    overlay.mkdir()
    base = os.path.relpath(KUBERNETES, overlay)
    kustomization = guide_block("# meetbridge-prod/kustomization.yaml")
    assert "../meetbridge/deploy/kubernetes" in kustomization
    (overlay / "kustomization.yaml").write_text(
        kustomization.replace("../meetbridge/deploy/kubernetes", base)
    )
    (overlay / "secret.env").write_text(guide_block("# meetbridge-prod/secret.env"))

    rendered = kubectl_kustomize(overlay)
    validate(rendered, schema_version())
    secret = kubernetes_object(rendered, "Secret")
    assert secret["metadata"]["name"] == "meetbridge"  # what envFrom names
    assert "stringData" not in secret, "the placeholders must be gone"
    assert set(secret["data"]) <= field_names()
    images = {
        container["image"]
        for doc in rendered
        if doc["kind"] in ("Deployment", "Job")
        for container in doc["spec"]["template"]["spec"]["containers"]
    }
    (image,) = images
    assert image.startswith("registry.example.com/meetbridge:")
    config = kubernetes_object(rendered, "ConfigMap")
    assert config["metadata"]["name"] == "meetbridge"
    assert config["data"]["PUBLIC_URL"] == "https://meet-bridge.example.org"
    ingress = kubernetes_object(rendered, "Ingress")
    assert ingress["spec"]["rules"][0]["host"] == "meet-bridge.example.org"
    assert ingress["spec"]["tls"][0]["hosts"] == ["meet-bridge.example.org"]

"""deploy/docker-compose.yml: valid Compose, and wired the way the guide says.

Two validators: the compose-spec JSON schema (vendored by check-jsonschema, in
the dev extra, so it always runs), and Debian's `docker-compose config`, which
also interpolates ${…}, reads the env_file and resolves paths (when installed;
.ci/run installs it). The same checks of meaning run on the raw file and on
what docker-compose renders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.deploy import files
from tests.deploy.files import COMPOSE
from tests.deploy.tools import REPO, require_module, require_tool, settings_from

PASSWORD = "0123abcd"
SCHEMA = ("--builtin-schema", "vendor.compose-spec")


def compose_project(tmp_path: Path) -> Path:
    """The compose file where it lives (deploy/), with .env.example as ../.env."""
    (tmp_path / "deploy").mkdir(parents=True)
    shutil.copy(COMPOSE, tmp_path / "deploy" / COMPOSE.name)
    shutil.copy(REPO / ".env.example", tmp_path / ".env")
    return tmp_path / "deploy" / COMPOSE.name


def docker_compose_config(
    compose: Path, *, password: str | None
) -> subprocess.CompletedProcess[str]:
    binary = require_tool(
        "docker-compose",
        what="docker-compose's reading of the file (the compose-spec schema test still runs)",
        install="apt-get install docker-compose",
    )
    env = {k: v for k, v in os.environ.items() if k != "POSTGRES_PASSWORD"}
    if password is not None:
        env["POSTGRES_PASSWORD"] = password
    return subprocess.run(
        [binary, "--project-directory", str(compose.parent), "-f", str(compose), "config"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def rendered(tmp_path: Path) -> dict[str, Any]:
    result = docker_compose_config(compose_project(tmp_path), password=PASSWORD)
    assert result.returncode == 0, result.stderr
    (loaded,) = files.yaml_documents(result.stdout)
    return loaded


@pytest.fixture(params=["raw", "docker-compose"])
def compose(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    return files.compose() if request.param == "raw" else rendered(tmp_path)


def test_the_file_matches_the_compose_spec_schema() -> None:
    require_module("check_jsonschema")
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *SCHEMA, str(COMPOSE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_bridge_waits_for_a_healthy_postgres_with_its_data_on_a_volume(
    compose: dict[str, Any],
) -> None:
    bridge, db = compose["services"]["bridge"], compose["services"]["db"]
    assert bridge["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pg_isready" in db["healthcheck"]["test"]
    (volume,) = db["volumes"]
    name = volume.split(":")[0]
    assert volume.startswith(f"{name}:/var/lib/postgresql/data")
    assert name in compose["volumes"]
    assert "ports" not in db, "PostgreSQL must not be published"


def test_the_bridge_reports_readiness_and_stops_gracefully(compose: dict[str, Any]) -> None:
    bridge = compose["services"]["bridge"]
    test = bridge["healthcheck"]["test"]
    assert test[0] == "CMD"
    assert test[-1] == "/readyz"
    assert test[-2] == "/usr/local/lib/meetbridge/healthcheck.py"  # the path the image copies
    assert bridge["stop_grace_period"] == "60s"
    assert bridge["build"]["dockerfile"] == "deploy/Dockerfile"
    # Published on loopback only: a TLS reverse proxy faces the internet.
    assert all(str(port).startswith("127.0.0.1:") for port in bridge["ports"])


def test_docker_compose_gives_the_bridge_valid_settings_and_its_own_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = rendered(tmp_path / "project")["services"]["bridge"]["environment"]
    settings = settings_from(
        {key: str(value) for key, value in environment.items()}, tmp_path, monkeypatch
    )
    assert settings.value("DATABASE_URL") == (
        f"postgresql+asyncpg://meetbridge:{PASSWORD}@db:5432/meetbridge"
    )
    assert settings.value("TRUECONF_SERVER_URL") == "https://video.example.com"  # from ../.env


def test_docker_compose_refuses_to_start_without_a_database_password(tmp_path: Path) -> None:
    result = docker_compose_config(compose_project(tmp_path), password=None)
    assert result.returncode != 0
    assert "set POSTGRES_PASSWORD" in result.stderr

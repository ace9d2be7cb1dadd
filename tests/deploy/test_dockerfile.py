"""deploy/Dockerfile, read with dockerfile-parse (no container engine runs here).

deploy/build-image.sh builds it for real where buildah works.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

import pytest

from tests.deploy.files import Stage, dockerfile, dockerfile_stages
from tests.deploy.tools import REPO


@pytest.fixture(scope="module")
def parser() -> Any:
    return dockerfile()


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return dockerfile_stages()


def exec_form(value: str) -> list[str]:
    """A JSON-array instruction; the shell form would put `sh -c` in between,
    which would not pass SIGTERM to the bridge."""
    parsed = json.loads(value)
    assert isinstance(parsed, list), f"{value!r} is not the exec (JSON) form"
    return [str(part) for part in parsed]


def test_it_is_multi_stage_on_a_slim_python_base(stages: list[Stage]) -> None:
    assert len(stages) >= 2
    for stage in stages:
        assert "slim" in stage.base, f"{stage.base} is not a slim image"
        assert stage.base.startswith("python:3.11"), stage.base
    # The final stage takes the built virtualenv, not the build tools.
    assert any(v.startswith("--from=") for v in stages[-1].values("COPY"))


def test_the_final_stage_runs_as_a_numeric_non_root_user(stages: list[Stage]) -> None:
    users = stages[-1].values("USER")
    assert users, "the final stage has no USER: the bridge would run as root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit(), "a numeric uid lets Kubernetes' runAsNonRoot verify it"
    assert int(uid) != 0


def test_the_entrypoint_is_meetbridge_serve(stages: list[Stage]) -> None:
    final = stages[-1]
    entrypoint = exec_form(final.values("ENTRYPOINT")[-1])
    cmd = exec_form(final.values("CMD")[-1])
    assert entrypoint + cmd == ["meetbridge", "serve"]


def test_the_healthcheck_runs_the_shipped_script_on_a_health_endpoint(
    stages: list[Stage],
) -> None:
    final = stages[-1]
    (healthcheck,) = final.values("HEALTHCHECK")
    options, _, command = healthcheck.partition("CMD")
    assert "--interval=" in options
    assert "--timeout=" in options
    argv = exec_form(command.strip())
    assert argv[-1] in ("/healthz", "/readyz")
    script = argv[-2]
    copied = {shlex.split(v)[-1]: shlex.split(v)[0] for v in final.values("COPY")}
    assert script in copied, f"{script} is not copied into the image"
    assert (REPO / copied[script]).is_file()


def test_the_listening_port_is_exposed(stages: list[Stage], parser: Any) -> None:
    final = stages[-1]
    assert parser.envs["HOST"] == "0.0.0.0"  # noqa: S104  # reachable from outside the container
    assert final.values("EXPOSE") == [parser.envs["PORT"]]


def test_every_copied_source_exists_and_is_in_the_build_context(stages: list[Stage]) -> None:
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    for stage in stages:
        for value in stage.values("COPY"):
            if value.startswith("--from="):
                continue
            *sources, _ = shlex.split(value)
            for source in sources:
                assert (REPO / source).exists(), f"COPY {source}: no such path"
                # .dockerignore excludes everything, then lets through what is built.
                allowed = {f"!{source}", f"!{source}/"}
                assert allowed & set(ignored), f"{source} is excluded by .dockerignore"

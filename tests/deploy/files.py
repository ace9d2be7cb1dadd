"""The deployment files, read into plain data for the tests."""

from __future__ import annotations

import configparser
from dataclasses import dataclass
from typing import Any

from tests.deploy.tools import DEPLOY, require_module

DOCKERFILE = DEPLOY / "Dockerfile"
COMPOSE = DEPLOY / "docker-compose.yml"
KUBERNETES = DEPLOY / "kubernetes"
SYSTEMD_UNIT = DEPLOY / "systemd" / "meetbridge.service"


@dataclass(frozen=True)
class Stage:
    base: str  # after ARG defaults
    instructions: list[tuple[str, str]]  # (INSTRUCTION, value), comments left out

    def values(self, instruction: str) -> list[str]:
        return [value for name, value in self.instructions if name == instruction]


def dockerfile() -> Any:
    parse = require_module("dockerfile_parse")
    return parse.DockerfileParser(path=str(DOCKERFILE))


def dockerfile_stages() -> list[Stage]:
    parser = dockerfile()
    bases = iter(parser.parent_images)
    stages: list[Stage] = []
    for item in parser.structure:
        name, value = item["instruction"], item["value"]
        if name == "FROM":
            stages.append(Stage(base=next(bases), instructions=[]))
        elif stages and name != "COMMENT":
            stages[-1].instructions.append((name, value))
    return stages


def yaml_documents(text: str) -> list[dict[str, Any]]:
    yaml = require_module("yaml")
    return [doc for doc in yaml.safe_load_all(text) if doc is not None]


def compose() -> dict[str, Any]:
    (loaded,) = yaml_documents(COMPOSE.read_text(encoding="utf-8"))
    return loaded


def kustomization() -> dict[str, Any]:
    (loaded,) = yaml_documents((KUBERNETES / "kustomization.yaml").read_text(encoding="utf-8"))
    return loaded


def kubernetes_documents() -> list[dict[str, Any]]:
    """The base as kustomize renders it: it has only resources, no transformations."""
    return [
        doc
        for resource in kustomization()["resources"]
        for doc in yaml_documents((KUBERNETES / resource).read_text(encoding="utf-8"))
    ]


def kubernetes_object(documents: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    (found,) = [doc for doc in documents if doc["kind"] == kind]
    return found


def systemd_unit() -> configparser.ConfigParser:
    # strict=False: systemd allows a key twice (SystemCallFilter adds up).
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(SYSTEMD_UNIT, encoding="utf-8")
    return unit


def plain_env(container: dict[str, Any]) -> dict[str, str]:
    """A container's settings written in it (not those taken from a Secret)."""
    return {item["name"]: item["value"] for item in container.get("env", []) if "value" in item}


def env_from_secrets(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A container's settings taken from one key of a Secret: name -> its secretKeyRef."""
    return {
        item["name"]: item["valueFrom"]["secretKeyRef"]
        for item in container.get("env", [])
        if "secretKeyRef" in item.get("valueFrom", {})
    }

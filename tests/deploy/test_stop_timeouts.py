"""Every deployment gives the graceful stop the same time, above the bridge's own bound.

SIGTERM starts the bridge's graceful stop, bounded by SHUTDOWN_TIMEOUT_SECONDS;
the supervisor's grace period must exceed it (plus Kubernetes' preStop pause),
or the process is killed mid-stop.
"""

from __future__ import annotations

import re
from typing import Any

from bot.settings import Settings
from tests.deploy import files


def seconds(value: str | int) -> int:
    match = re.fullmatch(r"(\d+)s?", str(value))
    assert match is not None, f"{value!r}: write plain seconds"
    return int(match[1])


def grace_periods() -> dict[str, int]:
    pod: dict[str, Any] = files.kubernetes_object(files.kubernetes_documents(), "Deployment")[
        "spec"
    ]["template"]["spec"]
    return {
        "systemd TimeoutStopSec": seconds(files.systemd_unit()["Service"]["TimeoutStopSec"]),
        "compose stop_grace_period": seconds(
            files.compose()["services"]["bridge"]["stop_grace_period"]
        ),
        "kubernetes terminationGracePeriodSeconds": seconds(pod["terminationGracePeriodSeconds"]),
    }


def pre_stop_pause() -> int:
    pod = files.kubernetes_object(files.kubernetes_documents(), "Deployment")["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    command = container["lifecycle"]["preStop"]["exec"]["command"]
    assert command[0] == "sleep"
    return seconds(command[1])


def test_the_grace_periods_agree_and_exceed_the_bridges_own_bound() -> None:
    periods = grace_periods()
    assert len(set(periods.values())) == 1, periods
    grace = next(iter(periods.values()))
    assert grace > pre_stop_pause()
    # SHUTDOWN_TIMEOUT_SECONDS is being added to the settings; once there, its
    # default (and the ConfigMap's value, if set) must leave room.
    field = Settings.model_fields.get("shutdown_timeout_seconds")
    bounds = [float(field.default)] if field is not None and field.default is not None else []
    config = files.kubernetes_object(files.kubernetes_documents(), "ConfigMap")["data"]
    if "SHUTDOWN_TIMEOUT_SECONDS" in config:
        bounds.append(float(config["SHUTDOWN_TIMEOUT_SECONDS"]))
    for bound in bounds:
        assert grace >= bound + pre_stop_pause() + 5, f"{periods} vs {bound}"

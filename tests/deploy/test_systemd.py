"""deploy/systemd/meetbridge.service, checked by systemd's own tools.

`systemd-analyze verify` refuses a unit whose ExecStart binary is missing, and
/opt/meetbridge is not installed on a test machine: the unit is verified as a
copy whose ExecStart points at a stub executable in a temporary directory.
Everything else (sections, keys, values, the sandboxing options) is verified
as written. systemd does not run as PID 1 here, so the unit is not started.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.deploy.files import SYSTEMD_UNIT, systemd_unit
from tests.deploy.tools import require_tool

INSTALLED_BINARY = "/opt/meetbridge/bin/meetbridge"
INSTALL = "apt-get install systemd"
# systemd-analyze's own scale: 0 (locked down) … 10 (unprotected); "OK" ends at 4.
MAX_EXPOSURE = 2.0


def unit_with_stub(tmp_path: Path, text: str | None = None) -> Path:
    """The unit, or ``text`` in its place, with ExecStart on a stub binary."""
    stub = tmp_path / "meetbridge"
    stub.write_text("#!/bin/sh\nexit 0\n")
    stub.chmod(0o755)
    source = SYSTEMD_UNIT.read_text(encoding="utf-8") if text is None else text
    assert INSTALLED_BINARY in source
    unit = tmp_path / SYSTEMD_UNIT.name
    unit.write_text(source.replace(INSTALLED_BINARY, str(stub)))
    return unit


def verify(unit: Path) -> subprocess.CompletedProcess[str]:
    analyze = require_tool("systemd-analyze", what="the systemd unit", install=INSTALL)
    return subprocess.run(
        [analyze, "verify", "--man=no", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_unit_verifies_without_a_warning(tmp_path: Path) -> None:
    result = verify(unit_with_stub(tmp_path))
    assert result.returncode == 0, result.stderr
    # verify exits 0 on an unknown key or a bad value and only warns.
    assert result.stdout + result.stderr == ""


def test_verify_reports_a_mistake(tmp_path: Path) -> None:
    """The check above can fail: a misspelt key is reported."""
    text = SYSTEMD_UNIT.read_text(encoding="utf-8").replace("TimeoutStopSec", "TimeoutStopSecs")
    result = verify(unit_with_stub(tmp_path, text))
    assert "TimeoutStopSecs" in result.stdout + result.stderr


def test_the_offline_security_review_rates_it_well_protected(tmp_path: Path) -> None:
    analyze = require_tool("systemd-analyze", what="the unit's sandboxing", install=INSTALL)
    result = subprocess.run(
        [analyze, "security", "--offline=true", "--no-pager", str(unit_with_stub(tmp_path))],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert match is not None, result.stdout + result.stderr
    assert float(match[1]) <= MAX_EXPOSURE


def test_it_runs_serve_unprivileged_with_its_environment_file() -> None:
    service = systemd_unit()["Service"]
    assert service["ExecStart"] == f"{INSTALLED_BINARY} serve"
    assert service["User"] == "meetbridge"
    assert service["EnvironmentFile"] == "/etc/meetbridge/meetbridge.env"
    assert service["StateDirectory"] == "meetbridge"
    assert service["WorkingDirectory"] == "/var/lib/meetbridge"
    assert service["Restart"] == "on-failure"
    assert systemd_unit()["Install"]["WantedBy"] == "multi-user.target"

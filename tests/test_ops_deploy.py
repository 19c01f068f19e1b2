"""The files in deploy/ work: systemd units verified (``systemd-analyze verify`` where the
machine has it, parsed always) and the backup script run for real with its rotation."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from storage.migrate import upgrade

DEPLOY = PROJECT_ROOT / "deploy"
UNITS = ("pandu.service", "pandu@.service", "pandu-backup.service", "pandu-backup.timer")


def unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)  # systemd repeats keys
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / name).read_text())
    return parser


def repeated(name: str, section: str, key: str) -> list[str]:
    lines = (DEPLOY / name).read_text().splitlines()
    start = lines.index(f"[{section}]")
    return [line.split("=", 1)[1] for line in lines[start:] if line.startswith(f"{key}=")]


@pytest.mark.parametrize("name", ["pandu.service", "pandu@.service"])
def test_the_bot_units_restart_on_failure_as_an_unprivileged_user_with_an_environment_file(name: str) -> None:
    service = unit(name)["Service"]
    assert service["Restart"] == "on-failure"
    assert service["User"] == service["Group"] == "pandu"
    assert "/etc/pandu/pandu.env" in repeated(name, "Service", "EnvironmentFile")
    assert service["ExecStart"].endswith("/.venv/bin/python -m bot")
    assert service["KillSignal"] == "SIGTERM" and service["NoNewPrivileges"] == "yes"


def test_each_worker_gets_its_own_port_file() -> None:
    assert repeated("pandu@.service", "Service", "EnvironmentFile")[-1] == "/etc/pandu/worker-%i.env"


def test_the_backup_timer_runs_the_backup_service_daily() -> None:
    timer = unit("pandu-backup.timer")
    assert timer["Timer"]["OnCalendar"].endswith("19:30:00") and timer["Timer"]["Persistent"] == "true"
    assert "backup.sh" in unit("pandu-backup.service")["Service"]["ExecStart"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verifies_every_unit(tmp_path: Path) -> None:
    """The units as installed, with /opt/pandu pointing at this checkout (the commands must exist)."""
    python = Path(sys.executable)
    for name in UNITS:
        text = (DEPLOY / name).read_text()
        text = text.replace("/opt/pandu/.venv/bin/python", str(python)).replace("/opt/pandu", str(PROJECT_ROOT))
        (tmp_path / name).write_text(text)
    done = subprocess.run(
        ["systemd-analyze", "verify", "pandu.service", "pandu@1.service", "pandu-backup.service", "pandu-backup.timer"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr  # warnings count as failures


def test_backup_script_writes_a_backup_and_keeps_the_newest(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pandu.sqlite3'}"
    upgrade(url)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN")}
    env |= {"DATABASE_URL": url, "PANDU_PYTHON": sys.executable}
    target = tmp_path / "backups"
    for stamp in ("20260101T000000Z", "20260102T000000Z"):  # two older ones, already there
        target.mkdir(exist_ok=True)
        (target / f"pandu-{stamp}.backup").write_bytes(b"old")
    done = subprocess.run(["sh", str(DEPLOY / "backup.sh"), str(target), "2"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    kept = sorted(p.name for p in target.glob("pandu-*.backup"))
    assert len(kept) == 2 and kept[0] == "pandu-20260102T000000Z.backup", kept
    assert "Cadangan ditulis" in done.stdout

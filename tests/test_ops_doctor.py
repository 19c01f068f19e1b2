"""`python -m bot doctor` against the emulator and a real database: all green on a healthy
installation, and each fault (privacy mode, clock skew, a webhook nobody configured, an
old schema, a broken SOP file, missing cuti bersama, a stuck outbox, overdue tasks nobody
can be told about) turns its own line into ✗ with what to do, and the exit code into 1."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot_fixtures import bot_settings
from db_fixtures import *  # noqa: F403
from db_fixtures import T0, Org
from ops_fixtures import TOKEN, USERNAME, clean_env, cli, emu  # noqa: F401
from sqlalchemy import text

from bot.config import PROJECT_ROOT
from devtools.emulator import BotApiEmulator
from bot.ops.doctor import run_doctor
from storage.db import Database
from storage.migrate import head, upgrade


async def doctor(settings: object, now: datetime) -> tuple[int, list[str]]:
    lines: list[str] = []
    code = await asyncio.to_thread(run_doctor, settings, lambda: now, lines.append)  # type: ignore[arg-type]
    return code, "\n".join(lines).splitlines()


def failing(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("✗")]


async def test_a_healthy_installation_is_all_green(emu: BotApiEmulator, db_url: str) -> None:
    settings = bot_settings(emu, db_url, telegram_bot_token=TOKEN)
    code, lines = await doctor(settings, datetime.now(UTC))
    assert failing(lines) == [] and code == 0, lines
    text_ = "\n".join(lines)
    for expected in (f"Token valid: @{USERNAME}", "Mode privasi mati", "Jam server selisih", "Mode polling",
                     f"skema {head()}", "Outbox: 0", "4 SOP valid", "cuti bersama"):
        assert expected in text_, (expected, lines)
    assert TOKEN not in text_


async def test_each_fault_gets_its_own_cross_and_a_fix(
    emu: BotApiEmulator, org: Org, db_url: str, tmp_path: Path
) -> None:
    bot = emu.state.bots[TOKEN]
    bot.privacy_mode = True  # privacy mode left on
    emu.state.clock_offset = 600  # the server is 10 minutes behind Telegram
    bot.webhook = {"url": "https://lain.example/hook", "last_error": (int(time.time()), "Connection refused")}
    run = org.start("renja-bappeda-kalbar")
    with org.engine.db.transaction() as s:  # nobody pressed Start: no holder, no coordinator reachable
        s.execute(text("UPDATE users SET started_private = false"))
    sops = tmp_path / "sop"
    sops.mkdir()
    (sops / "rusak.yaml").write_text("id: rusak\n")
    settings = bot_settings(emu, db_url, telegram_bot_token=TOKEN, sop_dir=sops)
    now = datetime(2027, 6, 1, 3, 0, tzinfo=UTC)  # next year 2028: cuti bersama not published yet
    assert now > T0 + timedelta(days=30)
    code, lines = await doctor(settings, now)
    bad = "\n".join(failing(lines))
    assert code == 1
    assert re.search(r"selisih -(599|600|601) dtk", bad), lines  # HTTP Date has whole seconds
    for expected in ("Mode privasi aktif", "Webhook terpasang (https://lain.example/hook)",
                     "rusak.yaml", "Hari libur 2028", "Outbox:", f"run {run.id} langkah 1"):
        assert expected in bad, (expected, lines)
    assert "Hari libur 2027" not in bad
    assert len(failing(lines)) == 7, lines
    every_cross_has_a_fix = all(lines[i + 1].startswith("    → ") for i, line in enumerate(lines) if line.startswith("✗"))
    assert every_cross_has_a_fix, lines


async def test_an_old_schema_and_a_refused_token_are_reported(emu: BotApiEmulator, empty_db_url: str) -> None:
    upgrade(empty_db_url, "0003")
    settings = bot_settings(emu, empty_db_url, telegram_bot_token="999:refused")
    code, lines = await doctor(settings, datetime.now(UTC))
    assert code == 1
    assert any("Token ditolak" in line for line in failing(lines))
    assert any("skema 0003" in line and head() in line for line in failing(lines)), lines
    assert Database(empty_db_url).dialect  # the database is left as it was: doctor only reads
    from storage.migrate import current

    assert current(empty_db_url) == "0003"


async def test_the_command_exits_1_when_action_is_needed_and_0_when_not(emu: BotApiEmulator, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pandu.sqlite3'}"
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=emu.base_url, DATABASE_URL=url)
    done = await cli("doctor", cwd=tmp_path, env=env)  # a database never migrated
    assert done.returncode == 1 and "db upgrade" in done.stdout, done.stdout + done.stderr
    upgrade(url)
    done = await cli("doctor", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert TOKEN not in done.stdout + done.stderr
    assert str(PROJECT_ROOT / "sop_data") in done.stdout

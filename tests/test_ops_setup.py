"""`python -m bot setup` as a person (answers on stdin) and as a script (flags) runs it,
against the Bot API emulator, on a real SQLite file and on PostgreSQL when available."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from ops_fixtures import TOKEN, USERNAME, clean_env, cli, emu  # noqa: F401

from handlers.application import MENU
from devtools.emulator import BotApiEmulator
from bot.ops.envfile import read_env, update_env
from db_fixtures import PG_ENV, postgres_schema
from storage.migrate import current, head


async def test_non_interactive_setup_checks_token_writes_env_migrates_and_registers_menus(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    token_file = tmp_path / "token.txt"
    token_file.write_text(TOKEN + "\n")
    env = clean_env(DATA_DIR=str(tmp_path / "data"))
    done = await cli("setup", "--non-interactive", "--token-file", str(token_file), "--api-base-url", emu.base_url,
                     "--timezone", "WITA", "--office-hours", "07:30-15:30", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert TOKEN not in done.stdout + done.stderr and TOKEN.split(":")[1] not in done.stdout
    assert f"@{USERNAME}" in done.stdout and f"https://t.me/{USERNAME}" in done.stdout
    assert "/setprivacy" in done.stdout and "Disable" in done.stdout and "startgroup" in done.stdout
    written = read_env(tmp_path / ".env")
    assert written["TELEGRAM_BOT_TOKEN"] == TOKEN
    assert written["DEFAULT_TIMEZONE"] == "Asia/Makassar"
    assert (written["OFFICE_HOURS_START"], written["OFFICE_HOURS_END"]) == ("07:30", "15:30")
    assert stat.S_IMODE(os.stat(tmp_path / ".env").st_mode) == 0o600
    assert current(f"sqlite:///{tmp_path / 'data' / 'pandu.sqlite3'}") == head()
    assert emu.commands_for() == [i for i, _, _ in MENU]
    assert emu.commands_for(language_code="en") == [e for _, e, _ in MENU]
    assert [r.method for r in emu.request_log][0] == "getMe"


async def test_interactive_setup_asks_again_after_wrong_answers_and_never_echoes_the_token(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("# kantor\nLOG_LEVEL=DEBUG\n")
    os.chmod(tmp_path / ".env", 0o644)
    answers = "\n".join([
        "999:wrong-token",   # refused by Telegram: asked again
        TOKEN,
        "Mars/Olympus",      # unknown zone: asked again
        "WIT",
        "16:00-08:00",       # ends before it starts: asked again
        "",                  # default hours
        "",                  # default database (SQLite)
    ]) + "\n"
    env = clean_env(DATA_DIR=str(tmp_path / "data"), TELEGRAM_API_BASE_URL=emu.base_url)
    done = await cli("setup", cwd=tmp_path, env=env, stdin=answers)
    assert done.returncode == 0, done.stdout + done.stderr
    assert TOKEN not in done.stdout + done.stderr
    assert done.stdout.count("✗") == 3, done.stdout
    assert "401" in done.stdout and "Mars/Olympus" in done.stdout
    written = read_env(tmp_path / ".env")
    assert written["LOG_LEVEL"] == "DEBUG" and written["DEFAULT_TIMEZONE"] == "Asia/Jayapura"
    assert (written["OFFICE_HOURS_START"], written["OFFICE_HOURS_END"]) == ("08:00", "16:00")
    assert (tmp_path / ".env").read_text().startswith("# kantor\n")
    assert stat.S_IMODE(os.stat(tmp_path / ".env").st_mode) == 0o600  # tightened


async def test_setup_refuses_a_bad_token_and_an_unreachable_database_without_writing(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    env = clean_env(TELEGRAM_BOT_TOKEN="777:not-registered", TELEGRAM_API_BASE_URL=emu.base_url)
    done = await cli("setup", "-y", cwd=tmp_path, env=env)
    assert done.returncode == 1 and "401" in done.stderr and "777:not-registered" not in done.stderr
    assert not (tmp_path / ".env").exists()
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=emu.base_url)
    bad_pg = "postgresql+psycopg://pandu:rahasia-db@127.0.0.1:1/pandu"
    done = await cli("setup", "-y", "--database-url", bad_pg, cwd=tmp_path, env=env)
    assert done.returncode == 1 and "tidak terjangkau" in done.stderr and "rahasia-db" not in done.stderr
    assert not (tmp_path / ".env").exists()
    done = await cli("setup", "-y", cwd=tmp_path, env=clean_env())
    assert done.returncode == 1 and "--token-file" in done.stderr


@pytest.mark.skipif(not os.environ.get(PG_ENV), reason="needs TEST_DATABASE_URL")
async def test_setup_with_a_postgresql_url_tests_and_migrates_it(emu: BotApiEmulator, tmp_path: Path) -> None:
    with postgres_schema(os.environ[PG_ENV]) as url:
        env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=emu.base_url)
        done = await cli("setup", "-y", "--database-url", url, cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr
        assert read_env(tmp_path / ".env")["DATABASE_URL"] == url
        assert current(url) == head()


def test_update_env_keeps_other_lines_and_appends_new_keys(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("# c\nA=1\nB=2\n")
    update_env(path, {"B": "3", "C": "4"})
    assert path.read_text() == "# c\nA=1\nB=3\n\nC=4\n"
    assert read_env(path) == {"A": "1", "B": "3", "C": "4"}

"""`db backup` while the bot works, `db restore`, and the bot carries on with nothing lost.

The real bot (in-process, long polling the emulator) plays the scripted SOP run of
:mod:`scripted_office`; a backup is taken in another thread while people keep pressing
buttons. After the run finished, the database is restored from that backup (the bot
stopped, as the README says), the bot is started again, and the same people carry on
from wherever the backup left the run. The end state must equal an undisturbed run's.
Runs on SQLite (online backup API) and on PostgreSQL (pg_dump/pg_restore) when available.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from bot_fixtures import unthrottled, bot_settings, database_url  # noqa: F401
from scripted_office import Script, outcome, populate, undelivered

from handlers.application import build_application, serving
from devtools.emulator import BotApiEmulator
from bot.ops.backup import BackupError, backup, restore
from storage.db import Database
from storage.migrate import current, head

TOKEN = "123456:TEST-pandu-token-never-real"


async def play(emu: BotApiEmulator, url: str, script: Script, refresh: bool = False) -> None:
    """The script with the real bot; `refresh`: everyone first asks /tugas for fresh cards
    (the cards they hold were edited after the backup: what a person does after a restore)."""
    app = build_application(bot_settings(emu, url), drain_interval=1.0, rate_limiter=unthrottled())
    async with serving(app):
        if refresh:
            for who in script.people.values():
                mark = emu.mark()
                await emu.send_text(who, who, "/tugas")
                answer = await emu.wait_for_message(who, since=mark, timeout=10)
                if "tidak punya tugas" not in (answer.text or ""):  # the header: a fresh card follows
                    await emu.wait_for_message(who, lambda m: bool(m.callback_data), since=mark, timeout=10)
        await script.play()
        assert await script.until(lambda: not undelivered(script.db), 30), undelivered(script.db)


async def test_backup_during_activity_then_restore_and_the_run_carries_on(database_url: str, tmp_path: Path) -> None:  # noqa: F811
    if database_url.startswith("postgresql") and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump/pg_restore not installed (apt-get install postgresql-client)")
    emu = BotApiEmulator()
    await emu.start()
    emu.register_bot(TOKEN, "pandu_test_bot", "Pandu")
    group, people = populate(emu)
    db = Database(database_url)
    target = tmp_path / "backups" / "pandu.backup"
    taken: list[asyncio.Future[str]] = []
    script = Script(emu, db, group, people)

    async def during_activity(moment: str, what: str) -> None:
        if not taken and moment == "sent" and "task" in what:  # a press on its way: the bot is busy
            taken.append(asyncio.ensure_future(asyncio.to_thread(backup, database_url, target)))

    script.hook = during_activity
    try:
        await play(emu, database_url, script)
        calm = outcome(db)
        assert calm["run"][0][0] == "finished"
        assert "Cadangan ditulis" in await taken[0]

        lines = restore(database_url, target)  # the bot is stopped now
        assert any("sebelumnya disimpan" in line for line in lines) and current(database_url) == head()
        assert outcome(db) != calm  # back in the middle of the run
        script.hook = Script.hook  # no more backups
        await play(emu, database_url, script, refresh=True)  # the same people carry on from there
        assert outcome(db) == calm
    finally:
        db.dispose()
        await emu.stop()


def test_restore_refuses_a_schema_newer_than_the_code(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pandu.sqlite3'}"
    from storage.migrate import upgrade

    upgrade(url)
    target = tmp_path / "future.backup"
    backup(url, target)
    with closing(sqlite3.connect(target)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
        conn.commit()
    with pytest.raises(BackupError, match="lebih baru"):
        restore(url, target)
    assert current(url) == head()
    with pytest.raises(BackupError, match="bukan cadangan Pandu"):
        (tmp_path / "junk.backup").write_bytes(b"not a database")
        restore(url, tmp_path / "junk.backup")


def test_postgresql_backup_without_pg_dump_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump anywhere
    with pytest.raises(BackupError, match="postgresql-client"):
        backup("postgresql+psycopg://pandu@127.0.0.1/pandu", tmp_path / "x.backup")


def test_the_commands_back_up_and_restore_a_sqlite_file(tmp_path: Path) -> None:
    from test_cli import run_cli

    url = f"sqlite:///{tmp_path / 'pandu.sqlite3'}"
    env = {"DATABASE_URL": url}
    assert run_cli("db", "upgrade", cwd=tmp_path, env=env).returncode == 0
    done = run_cli("db", "backup", "cadangan/pandu.backup", cwd=tmp_path, env=env)
    assert done.returncode == 0 and f"skema {head()}" in done.stdout, done.stderr
    done = run_cli("db", "restore", "cadangan/pandu.backup", cwd=tmp_path, env=env)
    assert done.returncode == 0 and f"skema sekarang {head()}" in done.stdout, done.stderr
    assert len(list((tmp_path / "cadangan").glob("pandu.backup.before-restore-*"))) == 1
    done = run_cli("db", "restore", "tidak-ada.backup", cwd=tmp_path, env=env)
    assert done.returncode == 1 and "tidak ada" in done.stderr and "Traceback" not in done.stderr


def test_a_restore_frees_the_outbox_claims_the_backup_caught(tmp_path: Path) -> None:
    """A row claimed at the backup's moment belongs to no running sender after a restore."""
    from sqlalchemy import text

    from storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    upgrade(url)
    db = Database(url)
    with db.transaction() as s:
        s.execute(text("INSERT INTO outbox (kind, payload, dedupe_key, created_at, attempts, claimed_by, claimed_until) "
                       "VALUES ('group_notice', '{}', 'k1', '2026-12-02 01:00:00', 0, 'host:1:abcd', '2999-01-01 00:00:00')"))
    db.dispose()
    target = tmp_path / "pandu.backup"
    backup(url, target)
    lines = restore(url, target)
    assert any("dikirim lagi" in line for line in lines)
    db = Database(url)
    with db.transaction(readonly=True) as s:
        assert s.execute(text("SELECT claimed_by, claimed_until FROM outbox")).all() == [(None, None)]
    db.dispose()

"""A whole run while Telegram misbehaves: one request in ten times out, fails with a 5xx,
or is refused with 429 (``retry_after``), chosen by a seeded generator.

The script of :mod:`scripted_office` is played twice against the real bot in this
process (SQLite, or PostgreSQL when ``TEST_DATABASE_URL`` is set): once with a healthy
emulator, once with faults. Both must end in the same state, with every confirmation
counted once, every outbox row sent, every lasting message of the healthy run delivered
again, and no bug reaching the error handler. PTB's timeouts are shorter than the
emulator's hold, so "timeout" faults really time out on the client side.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot_fixtures import TOKEN, bot_settings
from db_fixtures import PG_ENV, postgres_schema
from scripted_office import Script, completions_per_task, delivered, outcome, populate, undelivered

from handlers.application import build_application, serving
from handlers.transport.pacing import UNLIMITED, TelegramPacer
from devtools.emulator import BotApiEmulator
from storage.db import Database

#: PTB 22 warns on every RetryAfter about a future type change; nothing to act on here.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

SEED = 7
FAULTS = {"error500": 1.0, "retry429": 1.0, "timeout": 1.0}


async def play(database_url: str, faulty: bool) -> tuple[dict[str, object], dict[int, int], set[tuple[int, str]], BotApiEmulator, list[str]]:
    """One script run; returns the state it left, completions per task, lasting messages."""
    emu = BotApiEmulator()
    await emu.start()
    emu.register_bot(TOKEN, "pandu_test_bot", "Pandu")
    group, people = populate(emu)
    settings = bot_settings(emu, database_url, default_timezone="Asia/Jakarta")
    limiter = TelegramPacer(overall_rate=0, limits=UNLIMITED, max_retries=3)
    app = build_application(settings, drain_interval=0.5, rate_limiter=limiter, request_timeout=0.5)
    db = Database(database_url)
    try:
        async with serving(app):
            if faulty:
                emu.faults.configure(0.10, seed=SEED, weights=FAULTS, retry_after=1, hold_seconds=1.0)
            script = Script(emu, db, group, people, patience=4.0)
            await script.play()
            assert await script.until(lambda: not undelivered(db), 30), undelivered(db)
            emu.faults.disable()
            bugs = list(app.bot_data.unexpected_errors)
        return outcome(db), completions_per_task(db), delivered(emu, [group, *people.values()]), emu, bugs
    finally:
        db.dispose()
        await emu.stop()


async def one(tmp_path: Path, name: str, faulty: bool) -> tuple[dict[str, object], dict[int, int], set[tuple[int, str]], BotApiEmulator, list[str]]:
    """The run on a SQLite file, or on a PostgreSQL schema of its own when TEST_DATABASE_URL is set."""
    base = os.environ.get(PG_ENV)
    if base:
        with postgres_schema(base) as url:
            return await play(url, faulty)
    return await play(f"sqlite:///{(tmp_path / f'{name}.sqlite3').as_posix()}", faulty)


async def test_a_run_ends_the_same_while_telegram_times_out_fails_and_floods(tmp_path: Path) -> None:
    calm, calm_counts, calm_messages, _, calm_bugs = await one(tmp_path, "calm", faulty=False)
    state, counts, messages, emu, bugs = await one(tmp_path, "faulty", faulty=True)
    injected = emu.stats.injected
    assert all(injected[kind] >= 1 for kind in FAULTS) and emu.stats.injected_total >= 8, injected
    assert calm["run"] == [("finished", 2, None, "Renja Tahan Banting")]
    assert state == calm
    assert set(counts.values()) == {1} and len(counts) == len(calm_counts)  # ids may differ (PostgreSQL sequences)
    assert calm_messages <= messages, sorted(calm_messages - messages)
    assert calm_bugs == bugs == []

"""The bot killed with SIGKILL at random moments, again and again, loses and doubles nothing.

The real bot runs as its own process (``python -m bot``) against the Bot API emulator of
this test, on a SQLite file. The script of :mod:`scripted_office` is played twice: once
undisturbed, once while the bot is killed (seeded random moments, at least ten kills,
one of them right after a confirmation was answered) and restarted each time. Both runs
must end in the same state (tasks, events by kind, run, holders, outbox), with each
confirmation counted once, every outbox row sent, every lasting message of the calm run
seen again, and the token in no line the bot process ever wrote. It runs on a SQLite
file, and on a PostgreSQL schema of its own when ``TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from db_fixtures import PG_ENV, postgres_schema
from scripted_office import Script, completions_per_task, delivered, outcome, populate, undelivered

from bot.config import PROJECT_ROOT
from devtools.emulator import BotApiEmulator
from storage.db import Database

TOKEN = "424242:CRASH-test-token-never-real"
SEED = 20260302
MIN_KILLS = 10


class BotProcess:
    """``python -m bot`` in a child process, started, killed and restarted by id."""

    def __init__(self, emu: BotApiEmulator, database_url: str, workdir: Path) -> None:
        self.emu, self.workdir = emu, workdir
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(workdir),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": emu.base_url,
            "DATABASE_URL": database_url,
            "SOP_DIR": str(PROJECT_ROOT / "sop_data"),
            "LOG_LEVEL": "DEBUG",
            "RUN_STARTERS": "admins",
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.kills = 0
        self.started_at = 0.0

    def start(self) -> None:
        self.starts += 1
        log = (self.workdir / f"bot-{self.starts:02d}.log").open("wb")
        self.started_at = time.time()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot"], cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()

    async def ready(self, timeout: float = 60.0) -> None:
        """Until the new process polls for updates."""
        end = time.monotonic() + timeout
        while not any(r.method == "getUpdates" and r.at >= self.started_at for r in self.emu.request_log[-50:]):
            assert self.proc is not None and self.proc.poll() is None, self.output()[-3000:]
            assert time.monotonic() < end, "the bot did not start"
            await asyncio.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, nothing but what is already committed survives."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()
        self.kills += 1

    def stop(self) -> None:
        """The end of a run: killed too (a graceful stop waits out the long poll, ~10 s)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def output(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.workdir.glob("bot-*.log")))


class Chaos:
    """Decides, at each moment the script offers, whether the bot dies now or a little later."""

    def __init__(self, bot: BotProcess, rng: random.Random, probability: float = 0.4, most: int = 12) -> None:
        self.bot, self.rng, self.probability, self.most = bot, rng, probability, most
        self.pending: asyncio.Task[None] | None = None
        self.after_answer_done = False
        self.log: list[str] = []

    async def __call__(self, moment: str, what: str) -> None:
        if moment == "answered" and "Selesai" in what and not self.after_answer_done:
            # The one kill the test is about happens whatever the dice did before (a loaded
            # machine may have spent the random kills already): right after a confirmation
            # counted, before its notices.
            self.after_answer_done = True
            if self.pending is not None:
                self.pending.cancel()
            self.restart(f"at once after the answer: {what}")
            return
        if self.bot.kills >= self.most or (self.pending is not None and not self.pending.done()):
            return
        if self.rng.random() < self.probability:
            delay = self.rng.choice([0.0, 0.0, self.rng.uniform(0.0, 0.4)])
            self.pending = asyncio.ensure_future(self.later(delay, f"{delay:.2f}s after {moment}: {what}"))

    async def later(self, delay: float, why: str) -> None:
        await asyncio.sleep(delay)
        self.restart(why)

    def restart(self, why: str) -> None:
        self.log.append(why)
        self.bot.kill()
        self.bot.start()

    async def settle(self) -> None:
        if self.pending is not None:  # a kill cancelled by the after-answer one ends as CancelledError
            await asyncio.gather(self.pending, return_exceptions=True)


Outcome = tuple[dict[str, object], dict[int, int], set[tuple[int, str]], BotProcess, list[str]]


async def play(tmp: Path, chaos: bool, backend: str = "sqlite") -> Outcome:
    """One whole script run against a fresh emulator and database (a SQLite file, or a
    PostgreSQL schema of its own); returns what it left."""
    tmp.mkdir()
    if backend == "postgresql":
        with postgres_schema(os.environ[PG_ENV]) as url:
            return await play_on(tmp, chaos, url)
    return await play_on(tmp, chaos, f"sqlite:///{(tmp / 'pandu.sqlite3').as_posix()}")


async def play_on(tmp: Path, chaos: bool, url: str) -> Outcome:
    emu = BotApiEmulator()
    await emu.start()
    emu.register_bot(TOKEN, "pandu_test_bot", "Pandu")
    group, people = populate(emu)
    bot = BotProcess(emu, url, tmp)
    db = Database(url)
    try:
        bot.start()
        await bot.ready()
        script = Script(emu, db, group, people, patience=3.0)
        monkey = Chaos(bot, random.Random(SEED)) if chaos else None
        if monkey is not None:
            script.hook = monkey
        await script.play()
        if monkey is not None:
            await monkey.settle()
        await bot.ready()
        # a hang guard: the last notices wait for the group's pacing and the last restart
        assert await script.until(lambda: not undelivered(db), 90), undelivered(db)
        chats = [group, *people.values()]
        return outcome(db), completions_per_task(db), delivered(emu, chats), bot, monkey.log if monkey else []
    finally:
        bot.stop()
        db.dispose()
        await emu.stop()


async def test_sigkill_at_random_moments_loses_and_doubles_nothing(tmp_path: Path, backend: str) -> None:
    calm, calm_counts, calm_messages, calm_bot, _ = await play(tmp_path / "calm", False, backend)
    state, counts, messages, bot, kills = await play(tmp_path / "chaos", True, backend)
    assert bot.kills >= MIN_KILLS and any("after the answer" in why for why in kills), kills
    assert calm["run"] == [("finished", 2, None, "Renja Tahan Banting")]
    assert state == calm, kills
    assert set(counts.values()) == {1} and len(counts) == len(calm_counts)  # each confirmation counted once (ids may differ)
    assert calm_messages <= messages, sorted(calm_messages - messages)
    for process in (calm_bot, bot):
        logs = process.output()
        assert TOKEN not in logs and TOKEN.split(":")[1] not in logs
        bugs = [line for line in logs.splitlines() if " ERROR handlers.errors:" in line]
        assert bugs == [], "an update failed with an unexpected error"

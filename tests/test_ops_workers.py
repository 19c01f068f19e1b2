"""Two webhook workers on one PostgreSQL, behind a proxy, and one of them SIGKILLed mid-run.

The emulator delivers the office's updates to a webhook URL served by a small reverse
proxy (standing in for nginx: round robin over the two workers, next upstream when one
refuses the connection, 502 when one dies with a request in hand). Each worker is
``python -m bot`` in its own process, with its own port, on the same database.

The scripted SOP run of :mod:`scripted_office` is played twice: once with both workers
alive, once while worker A is killed with SIGKILL in the middle of handling an update
(and not restarted). Both runs must end in the same state, with each confirmation
counted once, every outbox row delivered and every lasting message of the calm run
seen again; each chat's updates must have been acknowledged in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import tornado.web
from db_fixtures import PG_ENV, postgres_schema
from ops_fixtures import clean_env
from scripted_office import Script, completions_per_task, delivered, outcome, populate, undelivered
from test_ops_webhook import free_port
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from devtools.emulator import BotApiEmulator
from storage.db import Database
from storage.migrate import head, upgrade

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV), reason="two workers need PostgreSQL (TEST_DATABASE_URL)")

TOKEN = "434343:WORKERS-test-token-never-real"
SECRET = "rahasia-dua-worker"
HOOK = "/telegram/hook"
#: The outbox lease (handlers.outbox.sender.LEASE): what a killed worker had claimed waits this long at most.
LEASE = 60.0
#: Worker A dies 50 ms into the n-th update the proxy hands it (about a third into the run).
KILL_AT = 5
#: Runs with an overdue task in the nag test.
RUNS = 3


class Worker:
    def __init__(self, name: str, env: dict[str, str], workdir: Path) -> None:
        self.name, self.port = name, free_port()
        self.env = env | {"WEBHOOK_PORT": str(self.port)}
        self.log_path = workdir / f"worker-{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "bot"], cwd=self.log_path.parent, env=self.env,
                                         stdout=log, stderr=subprocess.STDOUT)

    async def healthy(self, timeout: float = 60) -> None:
        async with httpx.AsyncClient() as client:
            end = time.monotonic() + timeout
            while True:
                assert self.proc is not None and self.proc.poll() is None, self.log_path.read_text()[-3000:]
                assert time.monotonic() < end, f"worker {self.name} not healthy"
                try:
                    if (await client.get(f"http://127.0.0.1:{self.port}/healthz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Proxy(tornado.web.RequestHandler):
    """nginx's part: forward to the next live upstream; 502 when one dies mid-request."""

    def initialize(self, balancer: Balancer) -> None:
        self.balancer = balancer

    async def post(self) -> None:
        status, body = await self.balancer.forward(self.request.body, dict(self.request.headers))
        self.set_status(status)
        self.finish(body)


class Balancer:
    def __init__(self, workers: list[Worker]) -> None:
        self.workers = workers
        self.turn = 0
        self.handled: Counter[str] = Counter()
        self.errors: list[str] = []
        self.client = httpx.AsyncClient(timeout=60)
        self.on_forward: Any = None  # a test's hook: called with the worker about to get a request

    async def forward(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        keep = {k: v for k, v in headers.items() if k.lower() in ("content-type", "x-telegram-bot-api-secret-token")}
        for _ in range(len(self.workers)):
            worker = self.workers[self.turn % len(self.workers)]
            self.turn += 1
            if self.on_forward is not None:
                self.on_forward(worker)
            try:
                response = await self.client.post(f"http://127.0.0.1:{worker.port}{HOOK}", content=body, headers=keep)
            except httpx.ConnectError:
                continue  # refused: nothing reached the worker, try the next one
            except httpx.HTTPError as exc:
                self.errors.append(f"{worker.name}: {type(exc).__name__}: {exc}")
                return 502, b"upstream died"
            self.handled[worker.name] += response.status_code == 200
            return response.status_code, response.content
        return 502, b"no upstream"


@contextlib.asynccontextmanager
async def cluster(tmp: Path, url: str, emu: BotApiEmulator, names: str = "ab",
                  **settings: str) -> AsyncIterator[tuple[list[Worker], Balancer]]:
    """The proxy and one worker per letter of `names`, all healthy; stopped at the end."""
    tmp.mkdir()
    sockets = bind_sockets(0, "127.0.0.1")
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=emu.base_url, DATABASE_URL=url, RUN_STARTERS="admins",
        WEBHOOK_URL=f"http://127.0.0.1:{sockets[0].getsockname()[1]}{HOOK}", WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_SECRET=SECRET, LOG_LEVEL="INFO", **settings,
    )
    workers = [Worker(name, env, tmp) for name in names]
    balancer = Balancer(workers)
    server = HTTPServer(tornado.web.Application([(HOOK, Proxy, {"balancer": balancer})]))
    server.add_sockets(sockets)
    try:
        for worker in workers:  # both migrate at start; the advisory lock lets them
            worker.start()
        await asyncio.gather(*(w.healthy() for w in workers))
        yield workers, balancer
    finally:
        for worker in workers:
            worker.stop()
        server.stop()
        await balancer.client.aclose()


async def play(tmp: Path, url: str, kill: bool) -> tuple[Any, ...]:
    emu = BotApiEmulator()
    await emu.start()
    emu.register_bot(TOKEN, "pandu_test_bot", "Pandu")
    group, people = populate(emu)
    db = Database(url)
    kills: list[str] = []
    try:
        async with cluster(tmp, url, emu) as (workers, balancer):
            script = Script(emu, db, group, people, patience=3.0)
            if kill:
                sent = Counter[str]()

                def maybe_kill(worker: Worker) -> None:
                    sent[worker.name] += 1
                    if worker.name == "a" and sent["a"] == KILL_AT and not kills:  # mid-run, with a request in hand
                        kills.append(f"after {sum(sent.values())} forwarded updates")
                        asyncio.get_running_loop().call_later(0.05, workers[0].kill)

                balancer.on_forward = maybe_kill
            await script.play()
            assert await script.until(lambda: not undelivered(db), LEASE + 30), undelivered(db)
            acked = [d for d in emu.state.webhook_log if d.outcome == 200]
            for chat in {d.chat_id for d in acked}:
                order = [d.update_id for d in acked if d.chat_id == chat]
                assert order == sorted(order), f"chat {chat} acknowledged out of order"
            # Nothing left at the webhook (a redelivery after a 502 may still be on its way).
            assert await script.until(lambda: not emu.state.bots[TOKEN].updates, 30), balancer.errors
            logs = "\n".join(w.log_path.read_text(errors="replace") for w in workers)
            return outcome(db), completions_per_task(db), delivered(emu, [group, *people.values()]), balancer.handled, kills, logs
    finally:
        db.dispose()
        await emu.stop()


async def test_two_workers_survive_one_killed_mid_run(tmp_path: Path) -> None:
    base = os.environ[PG_ENV]
    with postgres_schema(base) as url:
        calm, calm_counts, calm_messages, calm_handled, _, calm_logs = await play(tmp_path / "calm", url, kill=False)
    with postgres_schema(base) as url:
        state, counts, messages, handled, kills, logs = await play(tmp_path / "killed", url, kill=True)
    assert calm["run"] == [("finished", 2, None, "Renja Tahan Banting")]
    assert min(calm_handled.values()) > 10, calm_handled  # both workers really served
    # The kill lands 50 ms into the KILL_AT-th update: usually mid-update (A answered KILL_AT - 1),
    # on a fast moment just after A answered it; either way B carries the rest.
    assert kills and handled["a"] in (KILL_AT - 1, KILL_AT) and handled["b"] > handled["a"], (kills, handled)
    assert state == calm, kills
    assert set(counts.values()) == {1} and len(counts) == len(calm_counts)  # each confirmation counted once
    assert calm_messages <= messages, sorted(calm_messages - messages)  # no notification lost
    for text in (calm_logs, logs):
        assert TOKEN not in text and TOKEN.split(":")[1] not in text
        assert " ERROR handlers.errors:" not in text


def test_two_workers_migrating_one_postgresql_database_at_once_both_succeed() -> None:
    with postgres_schema(os.environ[PG_ENV]) as url:
        env = clean_env(DATABASE_URL=url)
        procs = [subprocess.Popen([sys.executable, "-m", "bot", "db", "upgrade"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], results
        assert all(f"Skema basis data: {head()}" in out for out, _ in results)
        assert upgrade(url) == head()


async def sends_of_overdue_nags(tmp: Path, names: str) -> tuple[int, int, list[Any]]:
    """Three runs whose first task was due months ago, then workers `names` start: what they send.

    Few runs: one group gets everything, and Telegram allows a group 20 messages a minute."""
    from db_fixtures import SOP_DIR, T0, FakeClock, Org

    from bot.engine import SopEngine, continuous_calendar
    from bot.sop.loader import load_directory

    emu = BotApiEmulator()
    await emu.start()
    emu.register_bot(TOKEN, "pandu_test_bot", "Pandu")
    with postgres_schema(os.environ[PG_ENV]) as url:
        upgrade(url)
        db = Database(url)
        sops = {k: v.definition for k, v in load_directory(SOP_DIR).sops.items()}
        clock = FakeClock(T0)
        org = Org(SopEngine(db, sops, clock=clock, calendar_for=continuous_calendar), clock)
        for i in range(RUNS):
            org.start("renja-bappeda-kalbar", title=f"Renja {i}")
        emu.add_group(org.chat_id, "Sekretariat", members=[emu.add_user(u, f"U{u}") for u in {org.coordinator, *org.people.values()}])
        script = Script(emu, db, None, {})  # type: ignore[arg-type]
        try:
            # Office open around the clock: the overdue nags are due now, whatever the hour.
            always = {"OFFICE_DAYS": "0,1,2,3,4,5,6", "OFFICE_HOURS_START": "00:00", "OFFICE_HOURS_END": "23:59"}
            async with cluster(tmp, url, emu, names, **always) as (workers, _):
                done = lambda: script.rows("SELECT count(*) FROM nag_log")[0][0] >= RUNS and not undelivered(db)  # noqa: E731
                assert await script.until(done, 120), undelivered(db)
                rounds = script.rows("SELECT task_id, round FROM nag_log ORDER BY task_id")
                sends = sum(1 for r in emu.request_log if r.method == "sendMessage" and r.status == 200)
                rows = script.rows("SELECT count(*) FROM outbox")[0][0]
                nags = 0.0  # what the workers' /metrics say they sent, together
                async with httpx.AsyncClient() as client:
                    for worker in workers:
                        text = (await client.get(f"http://127.0.0.1:{worker.port}/metrics")).text
                        nags += sum(float(line.split()[1]) for line in text.splitlines()
                                    if line.startswith("pandu_nags_sent_total "))
                assert nags == len(rounds), (nags, rounds)
        finally:
            db.dispose()
            await emu.stop()
    return sends, rows, rounds


async def test_two_workers_send_each_due_nag_and_each_outbox_row_once(tmp_path: Path) -> None:
    """Both workers' schedulers and senders race for the same due nags and outbox rows."""
    one = await sends_of_overdue_nags(tmp_path / "one", "a")
    two = await sends_of_overdue_nags(tmp_path / "two", "ab")
    assert len(two[2]) == len(one[2]) >= RUNS  # one nag round per task, claimed by one worker
    assert two == one, (one, two)  # the same messages as one worker sent, none twice

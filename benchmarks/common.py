"""What every benchmark shares: databases, bulk seeding, the emulator probe, the bot process,
process figures and the printed table.

Databases: a SQLite file in a temporary folder, or PostgreSQL in a schema of its own
(``bench_<pid>_<n>``) created, migrated with the real Alembic scripts and dropped at the
end. Nothing outside that schema is touched: others test against the same server.

Seeding writes engine-compatible rows straight through SQLAlchemy Core in bulk (an SOP
version pinned by content hash, chats, people, runs, role holders, tasks with due times,
the audit trail and the already-delivered outbox of what happened so far), so 100,000
runs take seconds, not the hours the engine's one-transaction-per-operation API would.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import NullPool

REPO_ROOT = Path(__file__).resolve().parent.parent
SOP_DIR = REPO_ROOT / "sop_data"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
#: 17 steps, five internal roles, no decision and no external party: every confirmation
#: but the last one hands the run to a holder who gets a private card.
SOP_ID = "renja-kesbangpol-tangerang"
PANDU_TOKEN = "700001:BENCH-pandu-not-a-real-token"
ECHO_TOKEN = "700002:BENCH-echo-not-a-real-token"
CHAT_BASE = -1_009_000_000_000
USER_BASE = 50_000_000
ROLE_SLOTS = 10  # user ids per office: USER_BASE + office * ROLE_SLOTS + role index
CHUNK = 5_000


# -- command line -----------------------------------------------------------------------------
def parser(description: str | None, name: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"python -m benchmarks.{name}",
                                description=(description or "").strip().splitlines()[0] if description else None)
    p.add_argument("--db", default="all", choices=["sqlite", "postgres", "all"],
                   help="database(s) to measure on; 'all' = SQLite and PostgreSQL when it answers (default)")
    p.add_argument("--pg-url", default=None,
                   help=f"PostgreSQL server (default: $BENCH_DATABASE_URL, $TEST_DATABASE_URL or {PG_DEFAULT})")
    p.add_argument("--quick", action="store_true", help="tiny sizes: checks the script works, measures nothing")
    return p


def pg_base_url(args: argparse.Namespace | None = None) -> str:
    given = getattr(args, "pg_url", None) if args is not None else None
    return given or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or PG_DEFAULT


def pg_available(url: str) -> bool:
    try:
        engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def backends(args: argparse.Namespace) -> list[str]:
    """The databases asked for; PostgreSQL is skipped (said so) when the server does not answer."""
    wanted = ["sqlite", "postgres"] if args.db == "all" else [args.db]
    if "postgres" in wanted and not pg_available(pg_base_url(args)):
        print(f"SKIP postgres: no server answers at {make_url(pg_base_url(args)).render_as_string()}")
        wanted.remove("postgres")
    return wanted


# -- databases --------------------------------------------------------------------------------
_db_counter = itertools.count(1)


@contextlib.contextmanager
def fresh_database(backend: str, workdir: Path, args: argparse.Namespace | None = None) -> Iterator[str]:
    """A migrated, empty database for one measurement; dropped (PostgreSQL) when done."""
    from storage.migrate import upgrade

    n = next(_db_counter)
    if backend == "sqlite":
        url = f"sqlite:///{(workdir / f'bench_{n}.sqlite3').as_posix()}"
        upgrade(url)
        yield url
        return
    base = pg_base_url(args)
    schema = f"bench_{os.getpid()}_{n}"
    admin = create_engine(base, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def database_label(url: str) -> str:
    return "postgres" if url.startswith("postgresql") else "sqlite"


# -- bulk seeding -----------------------------------------------------------------------------
@dataclass
class SeededRun:
    id: int
    number: int
    chat_id: int
    active_task_id: int
    holder: int


@dataclass
class Office:
    """One group: a person per role of the SOP (the first one coordinates) and its runs."""

    index: int
    chat_id: int
    title: str
    users: dict[str, int]
    runs: list[SeededRun] = field(default_factory=list)

    @property
    def coordinator(self) -> int:
        return next(iter(self.users.values()))


@dataclass
class Seeded:
    sop_id: str
    version_id: int
    offices: list[Office]
    counts: dict[str, int]
    seconds: float
    unstarted: frozenset[int] = frozenset()

    @property
    def runs(self) -> list[SeededRun]:
        return [r for o in self.offices for r in o.runs]

    @property
    def user_ids(self) -> list[int]:
        return [u for o in self.offices for u in o.users.values()]


def load_sop(sop_id: str = SOP_ID) -> Any:
    from bot.sop.loader import load_directory

    result = load_directory(SOP_DIR)
    return result.sops[sop_id].definition


def user_name(user_id: int) -> str:
    return f"Pegawai{user_id}"


def office_title(index: int) -> str:
    return f"Kantor Uji {index}"


def seed(
    url: str,
    *,
    offices: int,
    runs_per_office: int = 0,
    runs: int | None = None,
    sop_id: str = SOP_ID,
    history_steps: int | Callable[[int], int] = 0,
    due_at: Callable[[int, datetime], datetime] | None = None,
    now: datetime | None = None,
    started: Callable[[int], bool] | None = None,
) -> Seeded:
    """Write `offices` groups with `runs_per_office` open runs each (or `runs` in all, spread
    evenly), straight into the tables.

    Every run has completed `history_steps` steps (a number, or a function of the global run
    index: done tasks, their audit events and the delivered notifications) and waits on the
    first actor of the next step, whose due time is ``due_at(global run index, now)``
    (default: the step's standard minutes from now). ``started(user_id)`` says who pressed
    Start in private (default: everyone).
    Rows are what the engine would have written; ids are assigned here, and PostgreSQL's
    sequences are moved past them so the bot's own inserts do not collide.
    """
    from storage.models import AuditEvent, Chat, OutboxMessage, RoleAssignment, Run, SopVersion, Task, User

    t_begin = time.perf_counter()
    sop = load_sop(sop_id)
    steps = [s for s in sop.steps]
    history_of = history_steps if callable(history_steps) else (lambda _index: history_steps)
    roles = [r.key for r in sop.roles]
    if len(roles) >= ROLE_SLOTS:
        raise ValueError("too many roles for the id layout")
    now = now or datetime.now(UTC)
    t_start = now - timedelta(hours=1 + len(steps))
    version = dict(id=1, sop_id=sop.id, content_hash=sop.content_hash(), nama=sop.nama,
                   content=sop.model_dump(mode="json"), created_at=t_start)
    chats, users, run_rows, assignments, tasks, events, outbox = [], [], [], [], [], [], []
    ids = {"run": 0, "task": 0, "assign": 0, "event": 0, "outbox": 0}

    def nid(kind: str) -> int:
        ids[kind] += 1
        return ids[kind]

    def event(run_id: int, chat_id: int, kind: str, at: datetime, actor: int | None, task_id: int | None,
              **data: Any) -> int:
        eid = nid("event")
        events.append(dict(id=eid, run_id=run_id, chat_id=chat_id, task_id=task_id, actor_id=actor, kind=kind,
                           note=None, data=data, created_at=at, request_id=None))
        return eid

    def sent(kind: str, eid: int, run_id: int, at: datetime, chat: int | None, user: int | None,
             **payload: Any) -> None:
        target = f"u{user}" if user is not None else f"c{chat}"
        outbox.append(dict(id=nid("outbox"), kind=kind, chat_id=chat, user_id=user, run_id=run_id, event_id=eid,
                           payload={"event_id": eid, "run_id": run_id, **payload},
                           dedupe_key=f"{eid}:{kind}:{target}:{payload.get('task_id', '')}",
                           created_at=at, sent_at=at, attempts=1, next_attempt_at=None, last_error=None,
                           abandoned_at=None))

    result: list[Office] = []
    global_index = 0
    for o in range(offices):
        chat_id = CHAT_BASE - o
        people = {key: USER_BASE + o * ROLE_SLOTS + i for i, key in enumerate(roles)}
        office = Office(o, chat_id, office_title(o), people)
        result.append(office)
        chats.append(dict(id=chat_id, type="supergroup", title=office.title, language="id",
                          timezone="Asia/Jakarta", run_counter=0, created_at=t_start,
                          updated_at=t_start))
        for uid in people.values():
            users.append(dict(id=uid, first_name=user_name(uid), username=None, language="id",
                              started_private=started is None or started(uid), unreachable_since=None,
                              created_at=t_start,
                              updated_at=t_start))
        count = runs_per_office if runs is None else runs // offices + (o < runs % offices)
        for number in range(1, count + 1):
            history = history_of(global_index)
            if not 0 <= history < len(steps):
                raise ValueError(f"{sop_id} has {len(steps)} steps; {history} cannot be done already")
            run_id = nid("run")
            coordinator = office.coordinator
            step_no = steps[history].no
            run_rows.append(dict(id=run_id, chat_id=chat_id, number=number, sop_version_id=1,
                             title=f"Renja {o}-{number}", coordinator_id=coordinator, status="active",
                             current_step_no=step_no, pass_no=1, started_at=t_start, finished_at=None,
                             cancelled_at=None, cancelled_by=None, cancel_reason=None))
            for key, uid in people.items():
                assignments.append(dict(id=nid("assign"), run_id=run_id, role_key=key, user_id=uid,
                                        status="active", assigned_by=None, claimed_at=t_start,
                                        assigned_at=None, ended_at=None, ended_by=None))
            started_ev = event(run_id, chat_id, "run_started", t_start, coordinator, None, sop_id=sop.id,
                               sop_version_id=1, content_hash=version["content_hash"], title=f"Renja {o}-{number}",
                               number=number)
            sent("group_notice", started_ev, run_id, t_start, chat_id, None, notice="run_started")
            at = t_start
            previous: int | None = None
            for h, step in enumerate(steps[: history + 1]):
                current = h == history
                chain = []
                for index, key in enumerate(step.actor_keys):
                    tid = nid("task")
                    active = current and index == 0
                    done = not current
                    if not current:
                        due = at + timedelta(minutes=step.minutes)
                    elif due_at is not None:
                        due = due_at(global_index, now)
                    else:
                        due = now + timedelta(minutes=step.minutes)
                    tasks.append(dict(
                        id=tid, run_id=run_id, step_no=step.no, chain_index=index, pass_no=1, role_key=key,
                        status="active" if active else "done" if done else "waiting",
                        standard_minutes=step.minutes, started_at=at if (done or active) else None, due_at=due,
                        completed_at=at + timedelta(minutes=5) if done else None,
                        completed_by=people[key] if done else None, on_behalf=False, on_behalf_reason=None,
                        note=None, outcome_key=None, decision_reason=None, created_at=at,
                        created_by_task_id=previous, activated_by_task_id=previous if index == 0 else None))
                    chain.append(tid)
                ev = event(run_id, chat_id, "step_started", at, coordinator, chain[0], step_no=step.no, pass_no=1,
                           task_ids=chain, roles=list(step.actor_keys), due_at=due.isoformat())
                holder = people[step.actor_keys[0]]
                sent("task_assigned", ev, run_id, at, None, holder, chat_id=chat_id, task_id=chain[0],
                     step_no=step.no, pass_no=1, role_key=step.actor_keys[0])
                if current:
                    office.runs.append(SeededRun(run_id, number, chat_id, chain[0], holder))
                    break
                for index, tid in enumerate(chain):
                    at = at + timedelta(minutes=5)
                    key = step.actor_keys[index]
                    ev = event(run_id, chat_id, "task_confirmed", at, people[key], tid, step_no=step.no,
                               chain_index=index, pass_no=1, role_key=key, on_behalf=False, reason=None,
                               outcome_key=None, goto=None, evidence_ids=[], next_task_ids=[], step_done=True,
                               run_finished=False, new_pass=False, next_step_no=None)
                    sent("group_notice", ev, run_id, at, chat_id, None, notice="task_done", task_id=tid,
                         step_no=step.no, user_id=people[key], next_task_ids=[])
                previous = chain[-1]
            global_index += 1
        chats[-1]["run_counter"] = len(office.runs)

    if "next_nag_at" in Task.__table__.c:  # type: ignore[attr-defined]
        # The deadline scheduler's column (migration 0002): an active task is armed at its due time.
        for row in tasks:
            row["next_nag_at"] = row["due_at"] if row["status"] == "active" else None
    tables = [(SopVersion, [version]), (Chat, chats), (User, users), (Run, run_rows), (RoleAssignment, assignments),
              (Task, tasks), (AuditEvent, events), (OutboxMessage, outbox)]
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for model, rows in tables:
                insert_rows(conn, model.__table__, rows)  # type: ignore[attr-defined]
            if engine.dialect.name == "postgresql":
                for model, _ in tables:
                    name = model.__tablename__  # type: ignore[attr-defined]
                    if name in ("chats", "users"):
                        continue
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                      f"coalesce((SELECT max(id) FROM {name}), 1))"))
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
        else:
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    counts = {"chats": len(chats), "users": len(users), "runs": len(run_rows), "tasks": len(tasks),
              "role_assignments": len(assignments), "audit_events": len(events), "outbox": len(outbox)}
    unstarted = frozenset(u["id"] for u in users if not u["started_private"])
    return Seeded(sop.id, 1, result, counts, time.perf_counter() - t_begin, unstarted)


def insert_rows(conn: Connection, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert: COPY on PostgreSQL (an order of magnitude faster), executemany elsewhere."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        import json

        from sqlalchemy import JSON

        columns = list(rows[0])
        as_json = [isinstance(table.c[c].type, JSON) for c in columns]
        driver = conn.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor:
            names = ", ".join(f'"{c}"' for c in columns)
            with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([json.dumps(row[c]) if j and row[c] is not None else row[c]
                                    for c, j in zip(columns, as_json)])
        return
    for start in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), list(rows[start : start + CHUNK]))


# -- the emulated world -----------------------------------------------------------------------
def populate_emulator(emu: Any, seeded: Seeded, token: str) -> None:
    """The seeded offices as Telegram knows them: same names, groups, and Start pressed."""
    bot = emu.state.bots[token]
    for office in seeded.offices:
        people = [emu.add_user(uid, user_name(uid), language_code="id") for uid in office.users.values()]
        emu.add_group(office.chat_id, office.title, members=people, admins=people[:1])
        bot.started.update(uid for uid in office.users.values() if uid not in seeded.unstarted)


class Probe:
    """Timestamps what the bots do in the emulator (perf_counter, this process's clock).

    Wraps :meth:`EmulatorState.record` (every send/edit/delete/answer) and the getUpdates
    method, so a benchmark learns when a message arrived and when a bot first polled,
    without touching the emulator's code.
    """

    def __init__(self, emu: Any) -> None:
        self.emu = emu
        self.listeners: list[Callable[[str, Any, float], None]] = []
        self.polls: dict[str, list[float]] = {}
        #: time.time() - time.perf_counter(): turns a probe time into wall-clock (epoch) seconds.
        self.epoch = time.time() - time.perf_counter()
        original_record = emu.state.record

        def record(kind: str, msg: Any) -> Any:
            event = original_record(kind, msg)
            now = time.perf_counter()
            for listener in self.listeners:
                listener(kind, msg, now)
            return event

        emu.state.record = record
        original_poll = emu.api.methods["getupdates"]

        async def get_updates(bot: Any, p: Any, files: Any) -> Any:
            self.polls.setdefault(bot.token, []).append(time.perf_counter())
            return await original_poll(bot, p, files)

        emu.api.methods["getupdates"] = get_updates

    def first_poll(self, token: str) -> float | None:
        times = self.polls.get(token)
        return times[0] if times else None

    async def wait_first_poll(self, token: str, proc: subprocess.Popen[bytes] | None, timeout: float,
                              log: Path | None = None) -> float:
        import asyncio

        deadline = time.perf_counter() + timeout
        while (found := self.first_poll(token)) is None:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"bot process exited with {proc.returncode} before polling\n{tail(log)}")
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no getUpdates from the bot within {timeout}s\n{tail(log)}")
            await asyncio.sleep(0.005)
        return found


def deadlines_wired() -> bool:
    """The deadline scheduler exists (bot/deadlines) and the Application starts it."""
    folder = REPO_ROOT / "bot" / "deadlines"
    app = REPO_ROOT / "bot" / "app.py"
    return (folder / "scheduler.py").exists() and "NagScheduler" in app.read_text()


def log_problems(path: Path, limit: int = 3) -> list[str]:
    """The bot log's warnings and errors worth showing (not the expected 429 retries)."""
    found = []
    for line in path.read_text(errors="replace").splitlines():
        if " ERROR " not in line and " WARNING " not in line:
            continue
        # Expected under load: a 429 retried by the limiter; the 5 s outbox drain finding a long flush running.
        if "Rate limit hit" not in line and 'Execution of job "outbox' not in line:
            found.append(line[:240])
    return found[:limit] + ([f"... and {len(found) - limit} more"] if len(found) > limit else [])


def tail(path: Path | None, lines: int = 30) -> str:
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# -- the bot in its own process ---------------------------------------------------------------
def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_URL", "WEBHOOK_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.update(extra)
    return env


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the benchmark dies, so no bot is left polling (Linux)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def spawn(argv: list[str], log: Path, env: dict[str, str], cwd: Path | None = None) -> subprocess.Popen[bytes]:
    handle = open(log, "wb")  # noqa: SIM115 - closed when the process is reaped
    proc = subprocess.Popen(argv, stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=cwd or REPO_ROOT,
                            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
    proc._bench_log = handle  # type: ignore[attr-defined]
    return proc


def spawn_bot(mode: str, token: str, base_url: str, db_url: str | None, log: Path, *flags: str,
              **options: str) -> subprocess.Popen[bytes]:
    """`python -m benchmarks.botproc`: the Pandu Application (or the bare echo bot) polling the emulator."""
    argv = [sys.executable, "-m", "benchmarks.botproc", mode, "--token", token, "--base-url", base_url]
    if db_url:
        argv += ["--database-url", db_url]
    for key, value in options.items():
        argv += [f"--{key.replace('_', '-')}", value]
    argv += [f"--{flag.replace('_', '-')}" for flag in flags]
    return spawn(argv, log, child_env())


async def stop_process(proc: subprocess.Popen[bytes], timeout: float = 20.0) -> int:
    """SIGINT (what run_polling stops on), then SIGKILL if it hangs; never blocks the loop."""
    import asyncio

    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        deadline = time.perf_counter() + timeout
        while proc.poll() is None and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    handle = getattr(proc, "_bench_log", None)
    if handle is not None:
        handle.close()
    return proc.returncode


def py_spy(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes]:
    """Sample a process with py-spy (a dev tool, not a dependency) into collapsed stacks.

    Only the thread holding the GIL is sampled (--gil): the profile is where the CPU goes.
    """
    exe = Path(sys.executable).parent / "py-spy"
    out.parent.mkdir(parents=True, exist_ok=True)
    argv = [str(exe if exe.exists() else "py-spy"), "record", "--pid", str(pid), "--duration", str(max(1, round(seconds))),
            "--rate", "250", "--format", "raw", "--gil", "--output", str(out), "--nonblocking"]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# -- process and machine figures --------------------------------------------------------------
_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU time of a process (this one by default)."""
    if pid is None:
        t = os.times()
        return t.user + t.system
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS (now) and VmHWM (peak) of a process, in MB (10^6 bytes)."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) * 1024 / 1e6
    return found


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, for the share of CPU others used."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def machine_line() -> str:
    import platform

    commit = "?"
    with contextlib.suppress(Exception):
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO_ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        commit += "+dirty" if dirty else ""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"# {datetime.now().strftime('%Y-%m-%d %H:%M')} · commit {commit} · {os.cpu_count()} cores · "
            f"load {load} · Python {platform.python_version()}")


# -- statistics and output --------------------------------------------------------------------
def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers]] + [[fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def fmt(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def verdict(ok: bool, what: str) -> str:
    line = f"{'PASS' if ok else 'MISS'} {what}"
    print(line)
    return line


@contextlib.contextmanager
def workdir() -> Iterator[str]:
    """A temporary folder for databases and bot logs; kept (and named) when BENCH_KEEP=1."""
    if os.environ.get("BENCH_KEEP"):
        path = tempfile.mkdtemp(prefix="pandu-bench-")
        print(f"# keeping {path}")
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="pandu-bench-") as path:
        yield path

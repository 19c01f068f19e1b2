"""What every benchmark shares: databases, the emulator probe, the bot process,
process figures and the printed table.

Databases: a SQLite file in a temporary folder, or PostgreSQL in a schema of its own
(``bench_<pid>_<n>``) created, migrated with the real Alembic scripts and dropped at the
end. Nothing outside that schema is touched: others test against the same server.

Bulk seeding lives in :mod:`benchmarks.seeding`; its names are re-exported here, so the
scripts say ``common.seed``.
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
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from benchmarks.seeding import (  # noqa: F401  (re-exported: the scripts use common.seed, common.Office, …)
    REPO_ROOT,
    SOP_DIR,
    SOP_ID,
    CHAT_BASE,
    USER_BASE,
    ROLE_SLOTS,
    CHUNK,
    Office,
    Seeded,
    SeededRun,
    insert_rows,
    load_sop,
    office_title,
    populate_emulator,
    seed,
    user_name,
)

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PANDU_TOKEN = "700001:BENCH-pandu-not-a-real-token"
ECHO_TOKEN = "700002:BENCH-echo-not-a-real-token"


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
    """The deadline scheduler exists (bot/deadlines) and the Application (handlers/application.py) starts it."""
    folder = REPO_ROOT / "bot" / "deadlines"
    app = REPO_ROOT / "handlers" / "application.py"
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

"""Start-up time and memory with many open runs: `python -m bot` from process start to polling.

The database is seeded in bulk (not timed) with N open runs across N/5 groups, each run
waiting on a task with a pending due time spread over the coming days. Then the real bot
is started as production starts it — a fresh ``python -m bot`` process (settings from the
environment, the Alembic upgrade, get_me, the command menus, the deadline scheduler's
rebuild in post_init when bot/deadlines is wired in, then long polling) — against the
emulator. Measured: from just before the process is spawned to the moment its first
getUpdates reaches the emulator, and the process's resident memory then (VmRSS; VmHWM is
the peak so far). Each size is started `--repeat` times; the median time and the largest
memory are reported. Size 0 is the fixed cost of an empty database.

Targets (10,000 runs, SQLite): < 3 s and < 300 MB. PostgreSQL and 100,000 runs are reported.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks import common
from benchmarks.common import PANDU_TOKEN, Probe

TARGET_SECONDS, TARGET_MB, TARGET_RUNS = 3.0, 300.0, 10_000


def spread_due(index: int, now: datetime) -> datetime:
    """Pending due times spread over the next ~3.5 days, one minute apart per run (cycling)."""
    return now + timedelta(minutes=30 + index % 5_000)


async def start_once(url: str, tmp: Path, label: str) -> dict[str, float]:
    from devtools.emulator import BotApiEmulator

    emu = await BotApiEmulator().start()
    try:
        probe = Probe(emu)
        emu.register_bot(PANDU_TOKEN, "pandu_bench_bot", "Pandu")
        env = common.child_env(
            TELEGRAM_BOT_TOKEN=PANDU_TOKEN,
            TELEGRAM_API_BASE_URL=emu.base_url,
            DATABASE_URL=url,
            SOP_DIR=str(common.SOP_DIR),
            DATA_DIR=str(tmp),
        )
        log = tmp / f"{label}.log"
        started = time.perf_counter()
        proc = common.spawn([sys.executable, "-m", "bot"], log, env, cwd=tmp)  # cwd: no .env is read
        try:
            polled = await probe.wait_first_poll(PANDU_TOKEN, proc, 120, log)
            memory = common.memory_mb(proc.pid)
            cpu = common.cpu_seconds(proc.pid)
        finally:
            await common.stop_process(proc)
        errors = [line for line in log.read_text(errors="replace").splitlines() if " ERROR " in line]
        if errors:
            print(f"! {label}: {errors[0][:200]}")
        return {"seconds": polled - started, "rss": memory.get("VmRSS", 0.0), "hwm": memory.get("VmHWM", 0.0),
                "cpu": cpu}
    finally:
        await emu.stop()


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__, "startup_scale")
    p.add_argument("--sizes", default="0,10000,100000", help="open runs, comma separated (groups = runs/5)")
    p.add_argument("--runs-per-group", type=int, default=5)
    p.add_argument("--repeat", type=int, default=3, help="starts per size (default 3)")
    args = p.parse_args(argv)
    sizes = [int(x) for x in str(args.sizes).split(",") if x]
    if args.quick:
        sizes, args.repeat = [50], 1
    print(common.machine_line())
    print(f"# {__doc__.strip().splitlines()[0]}")
    present = common.deadlines_wired()
    print(f"# deadline scheduler (bot/deadlines) wired into start-up: {'yes' if present else 'NO — measured without it'}")
    headers = ["db", "runs", "groups", "tasks", "events", "seed s", "start s (median)", "start s (max)",
               "RSS MB", "peak MB", "CPU s"]
    rows: list[list[Any]] = []
    verdicts: list[tuple[bool, str]] = []
    with common.workdir() as tmp_name:
        tmp = Path(tmp_name)
        print(common.table(headers, []))
        for backend in common.backends(args):
            for size in sizes:
                groups = size // args.runs_per_group if size else 0
                with common.fresh_database(backend, tmp, args) as url:
                    seeded = common.seed(url, offices=groups, runs_per_office=args.runs_per_group if groups else 0,
                                         due_at=spread_due)
                    starts = [asyncio.run(start_once(url, tmp, f"{backend}-{size}-{i}")) for i in range(args.repeat)]
                seconds = [s["seconds"] for s in starts]
                row = [backend, seeded.counts["runs"], groups, seeded.counts["tasks"], seeded.counts["audit_events"],
                       seeded.seconds, common.median(seconds), max(seconds), max(s["rss"] for s in starts),
                       max(s["hwm"] for s in starts), common.median([s["cpu"] for s in starts])]
                rows.append(row)
                print(common.table(headers, [row]).splitlines()[-1], flush=True)
                target_size = TARGET_RUNS if TARGET_RUNS in sizes else max(sizes)
                if backend == "sqlite" and size == target_size:
                    note = "" if size == TARGET_RUNS else f"; the target is set for {TARGET_RUNS:,} runs"
                    verdicts.append((common.median(seconds) < TARGET_SECONDS,
                                     f"sqlite, {size:,} runs: start-up {common.median(seconds):.2f} s "
                                     f"(target < {TARGET_SECONDS:g} s{note})"))
                    verdicts.append((max(s["rss"] for s in starts) < TARGET_MB,
                                     f"sqlite, {size:,} runs: resident memory {max(s['rss'] for s in starts):.0f} MB "
                                     f"(target < {TARGET_MB:g} MB{note})"))
    print()
    print(common.table(headers, rows))
    for ok, line in verdicts:
        common.verdict(ok, line)
    if not present:
        print("NOTE the deadline scheduler is not wired into start-up yet: its rebuild is not in these figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())

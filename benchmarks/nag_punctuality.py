"""How late a nag leaves: from a task's due time to its reminder reaching the emulator.

Open runs, one per group, wait on tasks whose due times are spread evenly over a window
that opens a few seconds after the bot has started (`--lead`, `--spread`). The bot runs
as in production in a process of its own — the deadline scheduler armed at the earliest
pending nag — with no throttling anywhere (no flood limits in the emulator, Telegram's
pacing off in the bot) and a 24/7 working calendar, so the only delay is Pandu's own:
the scheduler waking up, the tick claiming what is due, the outbox sender rendering and
sending it. The actor's reminder and the supervisor's overdue alert are timed apart, each
from the task's due time (wall clock) to its arrival at the emulator over loopback.

Target: p99 < 2 s for the actors' reminders.
"""

from __future__ import annotations

import asyncio
import math
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks import common
from benchmarks.common import PANDU_TOKEN, Probe, Seeded

TARGET_P99 = 2.0


async def punctuality(url: str, seeded: Seeded, dues: dict[int, float], args: Any, tmp: Path,
                      backend: str) -> dict[str, Any]:
    from devtools.emulator import BotApiEmulator

    sop = common.load_sop(seeded.sop_id)
    actor_of = {r.holder: r.id for r in seeded.runs}
    supervisor_of = {o.users[sop.supervisor]: o.runs[0].id for o in seeded.offices if o.runs}
    emu = await BotApiEmulator().start()
    try:
        probe = Probe(emu)
        emu.register_bot(PANDU_TOKEN, "pandu_bench_bot", "Pandu")
        common.populate_emulator(emu, seeded, PANDU_TOKEN)
        bot = emu.state.bots[PANDU_TOKEN]
        actor: dict[int, float] = {}
        supervisor: dict[int, float] = {}

        def listener(kind: str, msg: Any, at: float) -> None:
            if kind != "send" or msg.sender is not bot or msg.chat.user is None:
                return
            wall = probe.epoch + at
            if (run := actor_of.get(msg.chat.id)) is not None:
                actor.setdefault(run, wall)
            elif (run := supervisor_of.get(msg.chat.id)) is not None:
                supervisor.setdefault(run, wall)

        probe.listeners.append(listener)
        log = tmp / f"punctuality-{backend}.log"
        proc = common.spawn_bot("pandu", PANDU_TOKEN, emu.base_url, url, log, "all_hours")
        try:
            polled = probe.epoch + await probe.wait_first_poll(PANDU_TOKEN, proc, 120, log)
            last_due = max(dues.values())
            while time.time() < last_due + args.grace and (len(actor) < len(dues) or len(supervisor) < len(supervisor_of)):
                if proc.poll() is not None:
                    raise RuntimeError(f"the bot exited with {proc.returncode}\n{common.tail(log)}")
                await asyncio.sleep(0.05)
        finally:
            await common.stop_process(proc)
        counted = {run: due for run, due in dues.items() if due >= polled}
        errors = common.log_problems(log)
        return {
            "actor": [actor[run] - due for run, due in counted.items() if run in actor],
            "supervisor": [supervisor[run] - dues[run] for run in supervisor if run in counted],
            "missing": [run for run in counted if run not in actor],
            "before_poll": len(dues) - len(counted),
            "errors": errors,
        }
    finally:
        await emu.stop()


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__, "nag_punctuality")
    p.add_argument("--tasks", type=int, default=300, help="tasks falling due, one per group (default 300)")
    p.add_argument("--spread", type=float, default=60.0, help="seconds their due times are spread over (default 60)")
    p.add_argument("--lead", type=float, default=10.0, help="seconds from seeding to the first due time (default 10)")
    p.add_argument("--grace", type=float, default=30.0, help="seconds to wait after the last due time")
    args = p.parse_args(argv)
    if args.quick:
        args.tasks, args.spread, args.lead, args.grace = 6, 1.0, 4.0, 5.0
    print(common.machine_line())
    print(f"# {__doc__.strip().splitlines()[0]}")
    if not common.deadlines_wired():
        print("SKIP nag_punctuality: the deadline scheduler (bot/deadlines, started by handlers/application.py) is not there yet")
        return 0
    print(f"# {args.tasks} tasks due one by one over {args.spread:g} s, starting {args.lead:g} s after seeding; "
          "no throttling; 24/7 working calendar")
    headers = ["db", "tasks", "timed", "actor p50 s", "actor p99 s", "actor max s", "supervisor p50 s",
               "supervisor p99 s", "missing"]
    rows, verdicts = [], []
    with common.workdir() as tmp_name:
        tmp = Path(tmp_name)
        print(common.table(headers, []))
        for backend in common.backends(args):
            with common.fresh_database(backend, tmp, args) as url:
                first = datetime.now(UTC) + timedelta(seconds=args.lead)
                step = args.spread / max(1, args.tasks - 1)

                def due(index: int, _now: datetime) -> datetime:
                    return first + timedelta(seconds=index * step)

                seeded = common.seed(url, offices=args.tasks, runs_per_office=1, due_at=due)
                dues = {run.id: due(i, first).timestamp() for i, run in enumerate(seeded.runs)}
                r = asyncio.run(punctuality(url, seeded, dues, args, tmp, backend))
            a, s = r["actor"], r["supervisor"]
            row = [backend, args.tasks, len(a), common.percentile(a, 50), common.percentile(a, 99),
                   max(a) if a else math.nan, common.percentile(s, 50), common.percentile(s, 99), len(r["missing"])]
            rows.append(row)
            print(common.table(headers, [row]).splitlines()[-1], flush=True)
            if r["before_poll"]:
                print(f"! {backend}: {r['before_poll']} tasks fell due before the bot polled (not timed; raise --lead)")
            for line in r["errors"]:
                print(f"! {backend} bot log: {line}")
            p99 = common.percentile(a, 99)
            verdicts.append((p99 < TARGET_P99 and not r["missing"],
                             f"{backend}: nag p99 {p99:.2f} s after the due time (target < {TARGET_P99:g} s)"
                             + (f"; {len(r['missing'])} nags never arrived" if r["missing"] else "")))
    print()
    print(common.table(headers, rows))
    for ok, line in verdicts:
        common.verdict(ok, line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

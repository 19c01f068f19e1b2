"""A burst of overdue nags under Telegram's flood limits: 2,000 tasks in 300 groups, all late at once.

As after a long outage: every open task fell due two hours ago when the bot starts. The
emulator enforces Telegram's limits (30 messages/s per bot, 1/s per private chat with a
burst of 3, 20/min per group; beyond them a 429 with retry_after) and Pandu runs as in
production — its own rate limiter, a fresh process — except for the working calendar,
24/7 here so that nags fall whatever day the benchmark runs. Runs are at different steps,
so each group has several actors; the SOP's supervisor (Kasubag TU) is alerted about every
overdue task. About 5% of the people never pressed Start: they are mentioned in the group.

Reported: messages sent, 429s received (target: none), the time until every actor and
supervisor has been told (from the process start, and from its first getUpdates), and
whether the digests kept it near one message per person and per group.
"""

from __future__ import annotations

import asyncio
import sys
import time
import zlib
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks import common
from benchmarks.common import PANDU_TOKEN, Probe, Seeded


def unstarted_share(share: float) -> Any:
    def started(uid: int) -> bool:
        return zlib.crc32(str(uid).encode()) % 1000 >= share * 1000

    return started


def expected(seeded: Seeded, supervisor_key: str) -> set[tuple[str, int, int]]:
    """Who must hear: ("u", user, user) privately, or ("c", chat, user) mentioned in the group."""
    told: set[tuple[str, int, int]] = set()
    for office in seeded.offices:
        supervisor = office.users[supervisor_key]
        for run in office.runs:
            for uid in {run.holder, supervisor}:
                told.add(("c", office.chat_id, uid) if uid in seeded.unstarted else ("u", uid, uid))
    return told


async def burst(url: str, seeded: Seeded, args: Any, tmp: Path, backend: str) -> dict[str, Any]:
    from devtools.emulator import BotApiEmulator

    sop = common.load_sop(seeded.sop_id)
    want = expected(seeded, sop.supervisor)
    mentions = {office.chat_id: [u for u in office.users.values() if u in seeded.unstarted] for office in seeded.offices}
    emu = await BotApiEmulator().start()
    try:
        probe = Probe(emu)
        emu.register_bot(PANDU_TOKEN, "pandu_bench_bot", "Pandu")
        common.populate_emulator(emu, seeded, PANDU_TOKEN)
        emu.faults.set_flood_limits(True)
        bot = emu.state.bots[PANDU_TOKEN]
        first: dict[tuple[str, int, int], float] = {}
        per_user: Counter[int] = Counter()
        per_chat: Counter[int] = Counter()
        times: list[float] = []

        def listener(kind: str, msg: Any, at: float) -> None:
            if kind != "send" or msg.sender is not bot:
                return
            times.append(at)
            if msg.chat.user is not None:
                per_user[msg.chat.id] += 1
                first.setdefault(("u", msg.chat.id, msg.chat.id), at)
            else:
                per_chat[msg.chat.id] += 1
                raw = msg.raw_text or ""
                for uid in mentions.get(msg.chat.id, ()):
                    if f"id={uid}" in raw:
                        first.setdefault(("c", msg.chat.id, uid), at)

        probe.listeners.append(listener)
        log = tmp / f"burst-{backend}.log"
        started = time.perf_counter()
        proc = common.spawn_bot("pandu", PANDU_TOKEN, emu.base_url, url, log, "production_limiter", "all_hours")
        try:
            polled = await probe.wait_first_poll(PANDU_TOKEN, proc, 120, log)
            deadline = started + args.timeout
            while time.perf_counter() < deadline:
                told = want.issubset(first)
                silent = time.perf_counter() - (times[-1] if times else polled)
                if (told and silent > args.quiet) or silent > args.stall:
                    break
                if proc.poll() is not None:
                    raise RuntimeError(f"the bot exited with {proc.returncode}\n{common.tail(log)}")
                await asyncio.sleep(0.1)
        finally:
            await common.stop_process(proc)
        missing = want - set(first)
        all_told = max((first[k] for k in want if k in first), default=float("nan"))
        stats = emu.stats
        errors = common.log_problems(log)
        refused = Counter("group" if str(r.params.get("chat_id", "")).startswith("-") else "private"
                          for r in emu.request_log if r.status == 429)
        return {
            "refused": dict(refused),
            "tasks": len(seeded.runs), "chats": len(seeded.offices), "recipients": len(want),
            "private": sum(per_user.values()), "group": sum(per_chat.values()), "flood_429": stats.flood_429,
            "told_s": all_told - started, "told_poll_s": all_told - polled, "last_s": (times[-1] - started) if times else 0.0,
            "missing": len(missing), "max_user": max(per_user.values(), default=0),
            "max_chat": max(per_chat.values(), default=0), "people": len(per_user), "groups": len(per_chat),
            "naive": sum(len({r.holder, o.users[sop.supervisor]}) for o in seeded.offices for r in o.runs),
            "supervisor_max": max((per_user[o.users[sop.supervisor]] for o in seeded.offices), default=0),
            "errors": errors,
        }
    finally:
        await emu.stop()


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__, "nag_burst")
    p.add_argument("--tasks", type=int, default=2000, help="overdue tasks (one per open run; default 2000)")
    p.add_argument("--chats", type=int, default=300, help="groups they are spread over (default 300)")
    p.add_argument("--unstarted", type=float, default=0.05, help="share of people who never pressed Start")
    p.add_argument("--timeout", type=float, default=600.0, help="give up after this many seconds")
    p.add_argument("--quiet", type=float, default=5.0, help="seconds without a message that end the burst")
    p.add_argument("--stall", type=float, default=30.0,
                   help="seconds without a message after which the bot is taken to have given up")
    args = p.parse_args(argv)
    if args.quick:
        args.tasks, args.chats, args.timeout, args.quiet, args.stall = 24, 6, 60.0, 1.0, 10.0
    print(common.machine_line())
    print(f"# {__doc__.strip().splitlines()[0]}")
    if not common.deadlines_wired():
        print("SKIP nag_burst: the deadline scheduler (bot/deadlines, started by handlers/application.py) is not there yet")
        return 0
    print("# flood limits on (30/s per bot, 1/s per private chat, burst 3, 20/min per group); Pandu's own "
          "rate limiter; 24/7 working calendar; all tasks due 2 h before the start")
    headers = ["db", "tasks", "groups", "to tell", "private msgs", "group msgs", "429s", "all told s",
               "from poll s", "last msg s", "max/person", "max/group", "max/supervisor", "naive msgs"]
    rows, results = [], []
    with common.workdir() as tmp_name:
        tmp = Path(tmp_name)
        print(common.table(headers, []))
        for backend in common.backends(args):
            with common.fresh_database(backend, tmp, args) as url:
                seeded = common.seed(url, offices=args.chats, runs=args.tasks,
                                     history_steps=lambda i: i % 8,
                                     due_at=lambda _i, now: now - timedelta(hours=2),
                                     started=unstarted_share(args.unstarted))
                r = asyncio.run(burst(url, seeded, args, tmp, backend))
            results.append((backend, r))
            row = [backend, r["tasks"], r["chats"], r["recipients"], r["private"], r["group"], r["flood_429"],
                   r["told_s"], r["told_poll_s"], r["last_s"], r["max_user"], r["max_chat"], r["supervisor_max"],
                   r["naive"]]
            rows.append(row)
            print(common.table(headers, [row]).splitlines()[-1], flush=True)
            for line in r["errors"]:
                print(f"! {backend} bot log: {line}")
    print()
    print(common.table(headers, rows))
    for backend, r in results:
        where = ", ".join(f"{n} to {kind} chats" for kind, n in sorted(r["refused"].items()))
        common.verdict(r["flood_429"] == 0, f"{backend}: {r['flood_429']} flood 429s received (target: none)"
                                            + (f": {where}" if where else ""))
        common.verdict(r["missing"] == 0, f"{backend}: every actor and supervisor told ({r['recipients'] - r['missing']}"
                                          f"/{r['recipients']}) {r['told_s']:.1f} s after the process started")
        sent = r["private"] + r["group"]
        targets = r["people"] + r["groups"]
        common.verdict(r["max_user"] <= 1 and r["max_chat"] <= 1,
                       f"{backend}: digests: {sent:,} messages to {targets:,} chats (max {r['max_user']} per person, "
                       f"{r['max_chat']} per group, {r['supervisor_max']} per supervisor) for {r['tasks']:,} tasks; "
                       f"one message per task and person would be {r['naive']:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

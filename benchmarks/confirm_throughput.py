"""Confirmations per second and their latency, next to a bare PTB echo bot on the same emulator.

Many offices (one group and five officials each, SOP renja-kesbangpol-tangerang) confirm
steps as fast as the bot lets them: the holder presses ✅ Selesai on the task card in their
private chat; the bot confirms in one transaction, edits the card, and sends the next
actor's private card and the group notice. Each office is one closed loop: the next press
is on the card the bot just sent, so the concurrency (offices in flight) is fixed.

Latency = from the callback update being queued in the emulator to the last of its three
messages (edit, card, notice) arriving there, timed with the emulator's own event hook.
The echo bot (second token, same emulator, same rate limiter, same concurrency: one
person per office texting it privately) measures the framework's floor in the same run.

Both bots run in a subprocess of their own (`benchmarks.botproc`), as in production where
Telegram is elsewhere; the emulator and the load run here. Telegram's pacing is off in
both (the emulator enforces no flood limits here): the figure is what the bot can process.

Targets: Pandu's confirmations/s ≥ 1/3 of the echo's updates/s; Pandu's p50 < 2× the echo's.
Issue #14's, against the echo×4 floor (the echo bot making a confirmation's four calls):
≥ 0.8× its updates/s, p50 ≤ 1.5× its p50.
"""

from __future__ import annotations

import asyncio
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import common
from benchmarks.common import ECHO_TOKEN, PANDU_TOKEN, Office, Probe
from benchmarks.confirming import PER_RUN, ConfirmTracker, Pending, first_cards


@dataclass
class Result:
    bot: str
    database: str
    concurrency: int
    seconds: float
    done: int
    latencies: list[float]
    bot_cpu: float
    own_cpu: float
    machine: float
    messages: int
    anomalies: int = 0
    exhausted: int = 0

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else math.nan

    def row(self) -> list[Any]:
        lat = [x * 1000 for x in self.latencies]
        return [self.bot, self.database, self.concurrency, self.done, self.rate, self.messages / self.seconds,
                common.percentile(lat, 50), common.percentile(lat, 99), max(lat) if lat else math.nan,
                f"{self.bot_cpu:.0%}", f"{self.own_cpu:.0%}", f"{self.machine:.0%}"]


HEADERS = ["bot", "db", "conc", "updates", "updates/s", "msgs/s", "p50 ms", "p99 ms", "max ms",
           "bot CPU", "emu CPU", "machine"]


class Window:
    """Warm-up, then a measured window; CPU of the bot, this process and the machine over it."""

    def __init__(self, warmup: float, seconds: float, bot_pid: int, profile: Path | None = None) -> None:
        self.warmup, self.seconds, self.bot_pid, self.profile = warmup, seconds, bot_pid, profile
        self.stop = False
        self.start = self.end = math.inf
        self.samples: dict[str, float] = {}

    async def run(self) -> None:
        await asyncio.sleep(self.warmup)
        spy = common.py_spy(self.bot_pid, self.seconds, self.profile) if self.profile else None
        self.start = time.perf_counter()
        b0, o0, (m0, t0) = common.cpu_seconds(self.bot_pid), common.cpu_seconds(), common.machine_busy()
        await asyncio.sleep(self.seconds)
        self.end = time.perf_counter()
        b1, o1, (m1, t1) = common.cpu_seconds(self.bot_pid), common.cpu_seconds(), common.machine_busy()
        span = self.end - self.start
        self.samples = {"bot": (b1 - b0) / span, "own": (o1 - o0) / span,
                        "machine": (m1 - m0) / (t1 - t0) if t1 > t0 else math.nan}
        self.stop = True
        if spy is not None:
            await asyncio.to_thread(spy.wait)

    def inside(self, p: Pending) -> bool:
        return p.t0 >= self.start and p.t0 + p.latency <= self.end

    def finished_inside(self, p: Pending) -> bool:
        return self.start <= p.t0 + p.latency <= self.end


# -- the echo bot ---------------------------------------------------------------------------
ECHO_PARTS = {1: ("send",), 4: ("send", "send2", "edit", "send3")}


async def echo_load(emu: Any, probe: Probe, people: list[int], window: Window,
                    calls: int = 1) -> tuple[list[Pending], int]:
    """People text the echo bot; with ``calls=4`` it answers like a confirmation does (three
    messages and an edit), the floor for Pandu's pattern of Bot API calls."""
    bot = emu.state.bots[ECHO_TOKEN]
    waiting: dict[int, Pending] = {}
    seen: dict[int, int] = {}
    parts = ECHO_PARTS[calls]
    sent = 0

    def listener(kind: str, msg: Any, at: float) -> None:
        nonlocal sent
        if msg.sender is not bot or kind not in ("send", "edit") or msg.chat.user is None:
            return
        sent += window.start <= at <= window.end
        if (p := waiting.get(msg.chat.id)) is not None:
            seen[msg.chat.id] = index = seen.get(msg.chat.id, 0) + 1
            if index <= len(parts):
                p.arrive(parts[index - 1], at)

    probe.listeners.append(listener)
    loop = asyncio.get_running_loop()
    done: list[Pending] = []

    async def person(uid: int) -> None:
        user = emu.state.users[uid]
        n = 0
        while not window.stop:
            n += 1
            p = Pending(time.perf_counter(), frozenset(parts), loop.create_future())
            waiting[uid], seen[uid] = p, 0
            p.t0 = time.perf_counter()
            await emu.send_text(user, user, f"{'x4 ' if calls == 4 else ''}ping {n}", bot=bot)
            await asyncio.wait_for(p.future, 60)
            done.append(p)

    try:
        await asyncio.gather(window.run(), *(person(u) for u in people))
    finally:
        probe.listeners.remove(listener)
    return done, sent


# -- Pandu ----------------------------------------------------------------------------------
async def pandu_load(emu: Any, probe: Probe, offices: list[Office], cards: dict[int, Any],
                     window: Window) -> tuple[list[Pending], int, int, int]:
    done: list[Pending] = []
    exhausted = 0

    async def office_loop(office: Office) -> None:
        nonlocal exhausted
        for run in office.runs:
            card = cards[run.id]
            for _ in range(PER_RUN):
                if window.stop:
                    return
                p = await tracker.confirm(office, card)
                done.append(p)
                card = p.next_card
        exhausted += 1

    with ConfirmTracker(emu, probe, offices) as tracker:
        await asyncio.gather(window.run(), *(office_loop(o) for o in offices))
    sent = sum(window.start <= t <= window.end for t in tracker.messages)
    return done, sent, len(tracker.anomalies), exhausted


async def warm_up(emu: Any, probe: Probe, office: Office, cards: dict[int, Any], count: int = 5) -> None:
    """A few unmeasured confirmations: connections, the pinned SOP, the working calendar."""
    with ConfirmTracker(emu, probe, [office]) as tracker:
        card = cards[office.runs[0].id]
        for _ in range(count):
            card = (await tracker.confirm(office, card)).next_card


def summarize(bot: str, database: str, concurrency: int, window: Window, done: list[Pending], sent: int,
              anomalies: int = 0, exhausted: int = 0) -> Result:
    inside = [p.latency for p in done if window.inside(p)]
    finished = sum(window.finished_inside(p) for p in done)
    span = window.end - window.start
    s = window.samples
    return Result(bot, database, concurrency, span, finished, inside, s["bot"], s["own"], s["machine"], sent,
                  anomalies, exhausted)


# -- the whole run --------------------------------------------------------------------------
async def measure(args: Any, tmp: Path) -> list[Result]:
    """Per database and concurrency level: the echo bot's window, then Pandu's, back to back.

    Both bot processes stay up for the whole run (the idle one sits in a long poll), so
    each Pandu figure is paired with an echo figure taken seconds before it, under the same
    load from whatever else runs on the machine.
    """
    from devtools.emulator import BotApiEmulator

    levels = args.concurrency
    results: list[Result] = []
    emu = await BotApiEmulator().start()
    probe = Probe(emu)
    emu.register_bot(PANDU_TOKEN, "pandu_bench_bot", "Pandu")
    emu.register_bot(ECHO_TOKEN, "echo_bench_bot", "Echo")
    # The people who text the echo bot: the first official of each office, as many as the largest level.
    echo_people = [common.USER_BASE + i * common.ROLE_SLOTS for i in range(max(levels))]
    echo_log = tmp / "echo.log"
    echo = common.spawn_bot("echo", ECHO_TOKEN, emu.base_url, None, echo_log, log_level="WARNING")
    try:
        await probe.wait_first_poll(ECHO_TOKEN, echo, 60, echo_log)
        for backend in common.backends(args):
            with common.fresh_database(backend, tmp, args) as url:
                # Offices per level; each gets enough runs to keep confirming for the whole window.
                total_offices = sum(levels) + 1  # the last one only warms the bot up
                per_office = {c: max(2, math.ceil(args.rate_guess * (args.warmup + args.seconds) / c / PER_RUN) + 1)
                              for c in levels}
                seeded = common.seed(url, offices=max(total_offices, max(levels)),
                                     runs_per_office=max(per_office.values()))
                emu.reset()  # a fresh world per database; bots and their pollers stay
                common.populate_emulator(emu, seeded, PANDU_TOKEN)
                emu.state.bots[ECHO_TOKEN].started.update(echo_people)
                groups, start = {}, 0
                for c in levels:
                    groups[c] = seeded.offices[start : start + c]
                    for office in groups[c]:
                        office.runs = office.runs[: per_office[c]]
                    start += c
                warm = seeded.offices[total_offices - 1]
                warm.runs = warm.runs[:1]
                cards = await first_cards(url, emu, seeded.offices[:total_offices])
                log = tmp / f"pandu-{backend}.log"
                proc = common.spawn_bot("pandu", PANDU_TOKEN, emu.base_url, url, log)
                try:
                    await probe.wait_first_poll(PANDU_TOKEN, proc, 60, log)
                    await warm_up(emu, probe, warm, cards)
                    for c in levels:
                        for calls, name in ((1, "echo"), (4, "echo×4")) if args.floor else ((1, "echo"),):
                            window = Window(args.warmup, args.seconds, echo.pid)
                            done, sent = await echo_load(emu, probe, echo_people[:c], window, calls)
                            results.append(summarize(name, backend, c, window, done, sent))
                            print(common.table(HEADERS, [results[-1].row()]).splitlines()[-1], flush=True)
                        profile = args.profile / f"pandu-{backend}-c{c}.txt" if args.profile else None
                        window = Window(args.warmup, args.seconds, proc.pid, profile)
                        done, sent, anomalies, exhausted = await pandu_load(emu, probe, groups[c], cards, window)
                        results.append(summarize("pandu", backend, c, window, done, sent, anomalies, exhausted))
                        print(common.table(HEADERS, [results[-1].row()]).splitlines()[-1], flush=True)
                finally:
                    await common.stop_process(proc)
                errors = [line for line in log.read_text(errors="replace").splitlines() if " ERROR " in line]
                if errors:
                    print(f"! {len(errors)} errors in the Pandu log, first: {errors[0][:200]}")
    finally:
        await common.stop_process(echo)
        await emu.stop()
    return results


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__, "confirm_throughput")
    p.add_argument("--concurrency", default="1,32",
                   help="offices confirming at once (closed loops), comma separated (default 1,32)")
    p.add_argument("--seconds", type=float, default=10.0, help="measured window per level (default 10)")
    p.add_argument("--warmup", type=float, default=2.0, help="unmeasured warm-up per level (default 2)")
    p.add_argument("--no-floor", dest="floor", action="store_false",
                   help="skip the echo×4 row (the echo bot answering with Pandu's four Bot API calls)")
    p.add_argument("--profile", type=Path, default=None,
                   help="folder: record Pandu's process with py-spy during each window (collapsed stacks)")
    p.add_argument("--rate-guess", type=float, default=150.0, help=argparse_hidden())
    args = p.parse_args(argv)
    args.concurrency = [int(x) for x in str(args.concurrency).split(",") if x]
    if args.quick:
        args.concurrency, args.seconds, args.warmup, args.rate_guess, args.floor = [2], 1.0, 0.2, 60.0, False
    print(common.machine_line())
    print(f"# {__doc__.strip().splitlines()[0]}")
    print(f"# closed loops; window {args.seconds:g}s after {args.warmup:g}s warm-up per level; "
          f"SOP {common.SOP_ID}; Telegram pacing off; updates processed one at a time (PTB default)")
    with common.workdir() as tmp:
        print(common.table(HEADERS, []))
        results = asyncio.run(measure(args, Path(tmp)))
    print()
    print(common.table(HEADERS, [r.row() for r in results]))
    echo = {(r.database, r.concurrency): r for r in results if r.bot == "echo"}
    floors = {(r.database, r.concurrency): r for r in results if r.bot == "echo×4"}
    for r in results:
        if r.anomalies:
            print(f"! pandu/{r.database} c={r.concurrency}: {r.anomalies} unexpected bot messages")
        if r.exhausted:
            print(f"! pandu/{r.database} c={r.concurrency}: {r.exhausted} offices ran out of seeded runs "
                  f"(raise --rate-guess)")
    for r in results:
        e = echo.get((r.database, r.concurrency))
        if r.bot != "pandu" or e is None:
            continue
        ratio = r.rate / e.rate if e.rate else math.nan
        p50, e50 = common.percentile(r.latencies, 50), common.percentile(e.latencies, 50)
        tag = f"{r.database}, concurrency {r.concurrency}"
        common.verdict(ratio >= 1 / 3, f"throughput ({tag}): {r.rate:.1f} confirmations/s = {ratio:.2f}× "
                                       f"echo's {e.rate:.1f} updates/s (target ≥ 0.33×)")
        common.verdict(p50 < 2 * e50, f"p50 latency ({tag}): {p50 * 1000:.1f} ms = {p50 / e50:.2f}× echo's "
                                      f"{e50 * 1000:.1f} ms (target < 2×)")
        floor = floors.get((r.database, r.concurrency))
        if floor is not None:
            print(f"INFO floor ({tag}): the echo bot making a confirmation's four Bot API calls per update does "
                  f"{floor.rate:.1f}/s = {floor.rate / e.rate:.2f}× its one-call rate")
            f50 = common.percentile(floor.latencies, 50)
            common.verdict(r.rate >= 0.8 * floor.rate, f"throughput vs echo×4 ({tag}): {r.rate / floor.rate:.2f}× "
                                                       f"the floor's {floor.rate:.1f} updates/s (target ≥ 0.8×)")
            common.verdict(p50 <= 1.5 * f50, f"p50 vs echo×4 ({tag}): {p50 / f50:.2f}× the floor's "
                                             f"{f50 * 1000:.1f} ms (target ≤ 1.5×)")
    return 0


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    sys.exit(main())

"""No chat waits for another: a flooded group next to offices confirming steps, under Telegram's limits.

The emulator enforces Telegram's flood limits (30 messages/s per bot, 1/s per private
chat with a burst of 3, 20/min per group; beyond them a 429 with ``retry_after``), and
Pandu runs in its own process as in production, with its production rate limiter.

Table 1 (flood): one member floods group A with 300 plain messages and 30 ``/status``
in 10 seconds while the officials of 10 other groups (one run each, whose steps pass
from official to official: over 20 of them press) confirm steps from their task cards
in private, each pressing a second after their card arrived. For
each press outside group A: from the press to its callback answer, and to the next
actor's private card. Also: 429s received, group A's message count, and whether every
outbox row was delivered at the end. Targets: p99 < 1 s (answer and next card), no 429,
nothing undelivered.

Table 2 (one group): presses every 2 s for a minute in one group (the next actor
presses their card 2 s after the previous press; a second run follows when the first is
done). Target: press -> next card p50 < 300 ms.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import common
from benchmarks.common import PANDU_TOKEN, Office, Probe
from benchmarks.confirming import PER_RUN, done_data, first_cards


@dataclass
class Presses:
    """Press -> answer and press -> next card, for the offices being watched."""

    answers: list[float] = field(default_factory=list)
    cards: list[float] = field(default_factory=list)
    missing: int = 0


class Watcher:
    """Matches the bot's answers and cards to presses, by the emulator's own event hook."""

    def __init__(self, emu: Any, probe: Probe, offices: list[Office]) -> None:
        self.emu, self.bot = emu, emu.state.bots[PANDU_TOKEN]
        self.office_of = {uid: o.index for o in offices for uid in o.users.values()}
        self.answered: dict[int, asyncio.Future[float]] = {}  # id(pressed message) -> answer time
        self.carded: dict[int, asyncio.Future[tuple[float, Any]]] = {}  # office -> next card
        self.group_sends: dict[int, int] = {}
        probe.listeners.append(self.listener)

    def listener(self, kind: str, msg: Any, at: float) -> None:
        if kind == "answer" and (f := self.answered.get(id(msg))) is not None and not f.done():
            f.set_result(at)
        if kind != "send" or msg.sender is not self.bot:
            return
        if msg.chat.user is None:
            self.group_sends[msg.chat.id] = self.group_sends.get(msg.chat.id, 0) + 1
        elif any(d.startswith("dn|") for d in msg.callback_data):
            office = self.office_of.get(msg.chat.id)
            if office is not None and (f2 := self.carded.get(office)) is not None and not f2.done():
                f2.set_result((at, msg))

    async def press(self, office: Office, card: Any, out: Presses, timeout: float = 60.0) -> Any:
        """The card's holder presses ✅; returns the next card (None when the run is done)."""
        loop = asyncio.get_running_loop()
        answered, carded = loop.create_future(), loop.create_future()
        self.answered[id(card)], self.carded[office.index] = answered, carded
        t0 = time.perf_counter()
        await self.emu.press(self.emu.state.users[card.chat.id], card, done_data(card))
        try:
            out.answers.append(await asyncio.wait_for(answered, timeout) - t0)
            at, nxt = await asyncio.wait_for(carded, timeout)
            out.cards.append(at - t0)
            return nxt
        except TimeoutError:
            out.missing += 1
            return None
        finally:
            self.answered.pop(id(card), None)


async def confirm_loop(watcher: Watcher, office: Office, card: Any, out: Presses, until: float,
                       think: float, every: float | None = None) -> None:
    """Press the card, wait for the next, think, press again; at most PER_RUN presses per run."""
    for _ in range(PER_RUN - 1):
        if card is None or time.perf_counter() >= until:
            return
        started = time.perf_counter()
        card = await watcher.press(office, card, out)
        pause = (started + every - time.perf_counter()) if every is not None else think
        if pause > 0:
            await asyncio.sleep(pause)


async def flood(emu: Any, office: Office, seconds: float, chatter: int, commands: int) -> None:
    """One member sends `chatter` plain messages and `commands` /status to the group, evenly."""
    member = emu.state.users[office.coordinator]
    group = emu.state.chats[office.chat_id]
    total = chatter + commands
    for index in range(total):
        text = "/status" if index % max(1, total // max(1, commands)) == 0 and commands else f"rapat jam {index % 24}?"
        await emu.send_text(member, group, text)
        await asyncio.sleep(seconds / total)


def undelivered(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND abandoned_at IS NULL")).scalar_one())
    finally:
        engine.dispose()


async def measure(url: str, seeded: Any, args: Any, tmp: Path, label: str, flooded: bool) -> dict[str, Any]:
    from devtools.emulator import BotApiEmulator

    emu = await BotApiEmulator().start()
    try:
        probe = Probe(emu)
        emu.register_bot(PANDU_TOKEN, "pandu_bench_bot", "Pandu")
        common.populate_emulator(emu, seeded, PANDU_TOKEN)
        group_a, *others = seeded.offices
        pressing = others if flooded else [group_a]
        cards = await first_cards(url, emu, pressing)
        emu.faults.set_flood_limits(True)
        watcher = Watcher(emu, probe, pressing)
        log = tmp / f"isolation-{label}.log"
        proc = common.spawn_bot("pandu", PANDU_TOKEN, emu.base_url, url, log, "production_limiter", "all_hours")
        out = Presses()
        try:
            await probe.wait_first_poll(PANDU_TOKEN, proc, 120, log)
            await asyncio.sleep(1.0)  # post_init's setMyCommands and the first outbox look are done
            until = time.perf_counter() + args.seconds
            if flooded:
                await asyncio.gather(flood(emu, group_a, args.flood_seconds, args.chatter, args.commands),
                                     *(confirm_loop(watcher, o, cards[o.runs[0].id], out, until, args.think) for o in pressing))
            else:
                for run in group_a.runs:  # one after the other: one press every `every` seconds
                    await confirm_loop(watcher, group_a, cards[run.id], out, until, args.think, args.every)
            deadline = time.perf_counter() + args.settle
            while (left := undelivered(url)) and time.perf_counter() < deadline:
                await asyncio.sleep(0.5)
        finally:
            await common.stop_process(proc)
        return {"label": label, "presses": len(out.answers), "answers": out.answers, "cards": out.cards,
                "missing": out.missing, "flood_429": emu.stats.flood_429, "undelivered": left,
                "group_a": watcher.group_sends.get(group_a.chat_id, 0), "errors": common.log_problems(log)}
    finally:
        await emu.stop()


def row(r: dict[str, Any]) -> list[Any]:
    a, c = [x * 1000 for x in r["answers"]], [x * 1000 for x in r["cards"]]
    return [r["db"], r["label"], r["presses"], common.percentile(a, 50), common.percentile(a, 99), max(a, default=float("nan")),
            common.percentile(c, 50), common.percentile(c, 99), max(c, default=float("nan")), r["flood_429"],
            r["group_a"], r["undelivered"], r["missing"]]


HEADERS = ["db", "load", "presses", "answer p50 ms", "p99", "max", "card p50 ms", "p99", "max", "429s",
           "group msgs", "undelivered", "lost presses"]


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__, "isolation")
    p.add_argument("--seconds", type=float, default=20.0, help="how long the offices press (table 1; default 20)")
    p.add_argument("--think", type=float, default=1.0, help="seconds between a card arriving and its press (table 1)")
    p.add_argument("--flood-seconds", type=float, default=10.0)
    p.add_argument("--chatter", type=int, default=300, help="plain messages flooding group A")
    p.add_argument("--commands", type=int, default=30, help="/status flooding group A")
    p.add_argument("--minute", type=float, default=60.0, help="length of table 2's run (default 60 s)")
    p.add_argument("--every", type=float, default=2.0, help="seconds between presses in table 2")
    p.add_argument("--settle", type=float, default=120.0, help="seconds to wait for the outbox to empty at the end")
    args = p.parse_args(argv)
    if args.quick:
        args.seconds, args.flood_seconds, args.chatter, args.commands, args.minute, args.settle = 4, 2, 20, 4, 6, 30
    print(common.machine_line())
    print(f"# {__doc__.strip().splitlines()[0]}")
    print("# flood limits on (30/s per bot, 1/s per private chat, burst 3, 20/min per group); Pandu's production "
          "rate limiter; 24/7 working calendar")
    results: list[dict[str, Any]] = []
    with common.workdir() as tmp_name:
        tmp = Path(tmp_name)
        for backend in common.backends(args):
            with common.fresh_database(backend, tmp, args) as url:  # group A and 10 offices, a run each
                seeded = common.seed(url, offices=11, runs_per_office=1)
                r = asyncio.run(measure(url, seeded, args, tmp, "flood in A, 10 offices", True))
            results.append(r | {"db": backend})
            with common.fresh_database(backend, tmp, args) as url:  # one group, presses every 2 s
                seeded = common.seed(url, offices=1, runs_per_office=2)
                args.seconds = args.minute
                r2 = asyncio.run(measure(url, seeded, args, tmp, f"1 group, every {args.every:g} s", False))
                args.seconds = p.get_default("seconds") if not args.quick else 4
            results.append(r2 | {"db": backend})
            for line in r["errors"] + r2["errors"]:
                print(f"! {backend} bot log: {line}")
    print()
    print(common.table(HEADERS, [row(r) for r in results]))
    for r in results:
        a, c = r["answers"], r["cards"]
        if r["label"].startswith("flood"):
            common.verdict(common.percentile(a, 99) < 1.0 and common.percentile(c, 99) < 1.0,
                           f"{r['db']}: flood: p99 press->answer {common.percentile(a, 99) * 1000:.0f} ms, press->next card "
                           f"{common.percentile(c, 99) * 1000:.0f} ms (target < 1000 ms)")
        else:
            common.verdict(common.percentile(c, 50) < 0.3,
                           f"{r['db']}: one group: p50 press->next card {common.percentile(c, 50) * 1000:.0f} ms (target < 300 ms)")
        common.verdict(r["flood_429"] == 0, f"{r['db']}: {r['label']}: {r['flood_429']} 429s (target: none)")
        common.verdict(r["undelivered"] == 0 and r["missing"] == 0,
                       f"{r['db']}: {r['label']}: {r['undelivered']} outbox rows undelivered, {r['missing']} presses "
                       f"without answer or card (target: none)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

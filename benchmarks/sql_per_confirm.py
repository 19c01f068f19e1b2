"""SQL statements per confirmation, on databases of 1, 100 and 10,000 runs.

The real Application handles real ✅ presses through the emulator (both in this process,
one confirmation at a time); a SQLAlchemy ``before_cursor_execute`` listener on the
Database's engine counts every statement, and a ``begin`` listener every transaction,
each attributed to the engine method that ran it (the handlers and the outbox sender
reach the database only through the engine). SQLite's explicit ``BEGIN`` counts as a
transaction, not a statement, so both databases are counted alike. "Handling" is everything one press causes:
the confirmation's own transaction, the outbox sender's reads and marks, the card and
the notice it renders. The prepare hook's first look at a person or chat (ensure_user,
ensure_chat — once per person per process) is shown apart and left out of the totals.

Every seeded run has already done `--history` steps (their tasks, audit events and
delivered notifications), so the tables grow with the runs. Target: a small constant
that does not grow with the database.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchmarks import common
from benchmarks.common import PANDU_TOKEN, Probe
from benchmarks.confirming import ConfirmTracker, first_cards

#: Labels of the first-seen upserts of the prepare hook (kept out of the per-confirmation totals).
FIRST_SEEN = ("ensure_user", "ensure_chat")
#: Statement budget read as "a small constant": the confirmation's own transaction (issue
#: #14: one transaction, at most 8 statements), and all of the handling of one press.
SMALL_CONFIRM, SMALL_HANDLING = 8, 40


class SqlCounter:
    """Statements, transactions, calls and time per engine method (outermost call wins)."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.lock = threading.Lock()
        self.statements: Counter[str] = Counter()
        self.transactions: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.sql: defaultdict[str, list[str]] = defaultdict(list)

    def label(self) -> str:
        return getattr(self.local, "label", None) or "(outside the engine)"

    def attach(self, sa_engine: Any) -> None:
        @event.listens_for(sa_engine, "before_cursor_execute")
        def _statement(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
            if statement.lstrip()[:5].upper() == "BEGIN":
                return  # SQLite's explicit BEGIN [IMMEDIATE]: counted as the transaction it starts
            with self.lock:
                label = self.label()
                self.statements[label] += 1
                self.sql[label].append(" ".join(statement.split())[:160])

        @event.listens_for(sa_engine, "begin")
        def _begin(conn: Any) -> None:
            with self.lock:
                self.transactions[self.label()] += 1

    def wrap(self, engine: Any) -> None:
        """Label every public engine method on the instance (handlers look them up there)."""
        for name in dir(type(engine)):
            if name.startswith("_"):
                continue
            attr = getattr(engine, name, None)
            if not callable(attr) or isinstance(attr, type):
                continue
            setattr(engine, name, self._labelled(name, attr))

    def _labelled(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            outer = getattr(self.local, "label", None)
            if outer is not None:
                return fn(*args, **kwargs)
            self.local.label = name
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.local.label = None
                with self.lock:
                    self.calls[name] += 1
                    self.seconds[name] += time.perf_counter() - started

        call.__wrapped__ = fn  # type: ignore[attr-defined]
        return call

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"statements": Counter(self.statements), "transactions": Counter(self.transactions),
                    "calls": Counter(self.calls), "seconds": dict(self.seconds),
                    "sql": {k: list(v) for k, v in self.sql.items()}}

    def reset(self) -> None:
        with self.lock:
            self.statements.clear()
            self.transactions.clear()
            self.calls.clear()
            self.seconds.clear()
            self.sql.clear()


@dataclass
class Sample:
    """What one confirmation cost."""

    statements: Counter[str]
    transactions: Counter[str]
    calls: Counter[str]
    seconds: dict[str, float]
    wall: float
    sql: dict[str, list[str]] = field(default_factory=dict)

    def total(self, what: str, include_first_seen: bool = False) -> int:
        counter: Counter[str] = getattr(self, what)
        return sum(v for k, v in counter.items() if include_first_seen or k not in FIRST_SEEN)


@dataclass
class SizeResult:
    database: str
    runs: int
    counts: dict[str, int]
    samples: list[Sample]

    def spread(self, what: str, label: str | None = None) -> tuple[int, int]:
        values = [s.total(what) if label is None else getattr(s, what)[label] for s in self.samples]
        return (min(values), max(values)) if values else (0, 0)

    def row(self) -> list[Any]:
        def span(pair: tuple[int, int]) -> str:
            return f"{pair[0]}" if pair[0] == pair[1] else f"{pair[0]}–{pair[1]}"

        first_seen = max((s.statements[k] for s in self.samples for k in FIRST_SEEN), default=0)
        wall = common.median([s.wall * 1000 for s in self.samples])
        return [self.database, self.runs, self.counts.get("tasks", 0), self.counts.get("audit_events", 0),
                self.counts.get("outbox", 0), len(self.samples),
                span(self.spread("statements", "confirm")), span(self.spread("transactions", "confirm")),
                span(self.spread("statements")), span(self.spread("transactions")), span(self.spread("calls")),
                first_seen, wall]


HEADERS = ["db", "runs", "tasks", "events", "outbox", "n", "confirm stmts", "confirm txns",
           "handling stmts", "handling txns", "engine calls", "+first-seen", "ms (median)"]


async def measure_size(backend: str, runs: int, args: Any, tmp: Path) -> SizeResult:
    from pydantic import SecretStr

    from benchmarks.botproc import unthrottled
    from handlers.application import build_application
    from bot.config import Settings
    from devtools.emulator import BotApiEmulator
    from bot.engine import SopEngine

    offices = max(1, runs // args.runs_per_group)
    per_office = max(1, runs // offices)
    with common.fresh_database(backend, tmp, args) as url:
        seeded = common.seed(url, offices=offices, runs_per_office=per_office, history_steps=args.history)
        emu = await BotApiEmulator().start()
        try:
            probe = Probe(emu)
            emu.register_bot(PANDU_TOKEN, "pandu_bench_bot", "Pandu")
            common.populate_emulator(emu, seeded, PANDU_TOKEN)
            office = seeded.offices[len(seeded.offices) // 2]
            office.runs = office.runs[:1]
            cards = await first_cards(url, emu, [office])
            settings = Settings(  # type: ignore[call-arg]
                _env_file=None, telegram_bot_token=SecretStr(PANDU_TOKEN), telegram_api_base_url=emu.base_url,
                database_url=url, sop_dir=common.SOP_DIR, log_level="WARNING",
            )
            engine = SopEngine.from_settings(settings)
            counter = SqlCounter()
            counter.attach(engine.db.engine)
            counter.wrap(engine)
            app = build_application(settings, engine=engine, drain_interval=None, rate_limiter=unthrottled(),
                                    upgrade_schema=False)
            samples: list[Sample] = []
            async with serving(app):
                with ConfirmTracker(emu, probe, [office]) as tracker:
                    card = cards[office.runs[0].id]
                    p = await tracker.confirm(office, card)  # warm-up: pinned SOP, calendar, connections
                    card = p.next_card
                    for _ in range(args.confirmations):
                        await asyncio.sleep(0.05)  # let background work of the last press settle
                        counter.reset()
                        p = await tracker.confirm(office, card)
                        await asyncio.sleep(0.05)  # a rearm or flush the press triggered, still counted
                        snap = counter.snapshot()
                        samples.append(Sample(snap["statements"], snap["transactions"], snap["calls"],
                                              snap["seconds"], p.latency, snap["sql"]))
                        card = p.next_card
        finally:
            await emu.stop()
    return SizeResult(backend, seeded.counts["runs"], seeded.counts, samples)


class serving:  # noqa: N801 - an async context manager, named like the test helper it mirrors
    """Start like run_polling does (initialize, post_init, start, poll) and stop cleanly."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __aenter__(self) -> Any:
        app = self.app
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        await app.updater.start_polling(timeout=5)
        return app

    async def __aexit__(self, *exc: object) -> None:
        app = self.app
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


def breakdown(result: SizeResult) -> str:
    """Per engine method, per confirmation (mean over the samples)."""
    n = len(result.samples) or 1
    labels: set[str] = set()
    for s in result.samples:
        labels |= set(s.statements) | set(s.calls)
    rows = []
    for label in sorted(labels, key=lambda k: -sum(s.statements[k] for s in result.samples)):
        rows.append([label + (" (first-seen)" if label in FIRST_SEEN else ""),
                     sum(s.calls[label] for s in result.samples) / n,
                     sum(s.transactions[label] for s in result.samples) / n,
                     sum(s.statements[label] for s in result.samples) / n,
                     sum(s.seconds.get(label, 0.0) for s in result.samples) / n * 1000])
    return common.table(["engine method", "calls", "txns", "stmts", "ms"], rows)


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__, "sql_per_confirm")
    p.add_argument("--sizes", default="1,100,10000", help="runs in the database, comma separated")
    p.add_argument("--history", type=int, default=6, help="steps every run has already done (default 6)")
    p.add_argument("--runs-per-group", type=int, default=5, help="runs per group (default 5)")
    p.add_argument("--confirmations", type=int, default=10, help="measured confirmations per size (max 10)")
    p.add_argument("--show-sql", action="store_true", help="print the statements of one confirmation")
    args = p.parse_args(argv)
    sizes = [int(x) for x in str(args.sizes).split(",") if x]
    if args.quick:
        sizes, args.confirmations = [1, 10], 2
    args.confirmations = max(1, min(args.confirmations, 10))  # 11 three-message confirmations left per run
    print(common.machine_line())
    print(f"# {__doc__.strip().splitlines()[0]}")
    print(f"# SOP {common.SOP_ID}; every run {args.history} steps done; {args.runs_per_group} runs per group; "
          f"one confirmation at a time, after one warm-up press")
    results: list[SizeResult] = []
    with common.workdir() as tmp:
        print(common.table(HEADERS, []))
        for backend in common.backends(args):
            for size in sizes:
                result = asyncio.run(measure_size(backend, size, args, Path(tmp)))
                results.append(result)
                print(common.table(HEADERS, [result.row()]).splitlines()[-1], flush=True)
    print()
    print(common.table(HEADERS, [r.row() for r in results]))
    for backend in dict.fromkeys(r.database for r in results):
        mine = [r for r in results if r.database == backend]
        small, large = mine[0], mine[-1]
        for r in (small, large) if small is not large else (large,):
            print(f"\n# {backend}, {r.runs:,} runs: per confirmation, by engine method (mean)")
            print(breakdown(r))
        if args.show_sql and large.samples:
            print(f"\n# {backend}: the statements of one confirmation")
            for label, statements in large.samples[-1].sql.items():
                for sql in statements:
                    print(f"  [{label}] {sql}")
        grew = large.spread("statements")[1] - small.spread("statements")[1]
        common.verdict(grew <= 0, f"{backend}: statements per confirmation do not grow: {small.spread('statements')[1]} "
                                  f"at {small.runs:,} runs, {large.spread('statements')[1]} at {large.runs:,} runs")
        t_small = common.median([x.wall for x in small.samples]) * 1000
        t_large = common.median([x.wall for x in large.samples]) * 1000
        if t_large > 1.5 * t_small:
            slow = max(set(large.samples[0].seconds), key=lambda k: sum(x.seconds.get(k, 0) for x in large.samples)
                       - sum(x.seconds.get(k, 0) for x in small.samples))
            print(f"NOTE {backend}: the statements stay the same but a confirmation takes {t_small:.0f} ms at "
                  f"{small.runs:,} runs and {t_large:.0f} ms at {large.runs:,} (most growth: {slow})")
        confirm_max = max(r.spread("statements", "confirm")[1] for r in mine)
        handling_max = max(r.spread("statements")[1] for r in mine)
        confirm_txns = max(r.spread("transactions", "confirm")[1] for r in mine)
        common.verdict(confirm_max <= SMALL_CONFIRM and confirm_txns == 1,
                       f"{backend}: the confirmation's own work: ≤ {confirm_max} statements in {confirm_txns} "
                       f"transaction(s) (budget {SMALL_CONFIRM} in 1)")
        common.verdict(handling_max <= SMALL_HANDLING,
                       f"{backend}: all of one press's handling: ≤ {handling_max} statements "
                       f"in ≤ {max(r.spread('transactions')[1] for r in mine)} transactions (budget {SMALL_HANDLING})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A finished demo run with known times, and the README's report chart made from it.

``python -m bot.reports.sample [OUT.png]`` plays "Menyusun Rencana Kerja" (Bappeda
Kalimantan Barat) through the real engine in a throw-away SQLite database, on a clock
that moves exactly as :data:`KALBAR_MINUTES` says (office hours of WIB, from Monday
08:00), with step 2 running 40 minutes over its standard and the Kepala Badan returning
the plan once. It then runs ``python -m bot report`` on that database and keeps the
chart (default: docs/img/report-renja-bappeda-kalbar.png). The tests drive their runs
with :func:`play` too, and check the report against the schedule they hand it.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.engine import ConfirmResult, SopEngine, TaskView, WorkingCalendar

#: Monday 2 March 2026, 08:00 WIB: a working day, at opening time.
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DEFAULT_OUT = PROJECT_ROOT / "docs" / "img" / "report-renja-bappeda-kalbar.png"
SOP_ID = "renja-bappeda-kalbar"
GROUP = -1001000

#: Working minutes each actor takes: (step, pass, chain index) -> minutes.
KALBAR_MINUTES: dict[tuple[int, int, int], int] = {
    (1, 1, 0): 50,
    (2, 1, 0): 70, (2, 1, 1): 90,   # 160 of 120: 40 minutes over
    (3, 1, 0): 10, (3, 1, 1): 15,
    (4, 1, 0): 5, (4, 1, 1): 4,
    (5, 1, 0): 8,                   # returned to step 3
    (3, 2, 0): 12, (3, 2, 1): 10,
    (4, 2, 0): 3, (4, 2, 1): 4,
    (5, 2, 0): 6,                   # approved
}
#: Decisions: (step, pass) -> outcome key.
KALBAR_OUTCOMES: dict[tuple[int, int], str] = {(5, 1): "kembali", (5, 2): "setuju"}
#: (user id, first name, role key); the first one also coordinates the run.
KALBAR_PEOPLE: tuple[tuple[int, str, str], ...] = (
    (3001, "Budi", "kasubbag_renja"),
    (3002, "Siti", "sekretaris"),
    (3003, "Agus", "kepala_bidang"),
    (3004, "Dewi", "kepala_badan"),
)


class SteppingClock:
    """The engine's clock in a scripted run: moves only when told, by working minutes."""

    def __init__(self, start: datetime, calendar: WorkingCalendar | None = None) -> None:
        self.now, self.calendar = start, calendar

    def __call__(self) -> datetime:
        return self.now

    def work(self, minutes: int) -> None:
        """Let `minutes` of working time pass (wall time if there is no calendar)."""
        if self.calendar is None:
            self.now += timedelta(minutes=minutes)
        else:
            self.now = self.calendar.add_working_minutes(self.now, minutes)


def play(
    engine: SopEngine,
    work: Callable[[int], object],
    sop_id: str,
    people: Sequence[tuple[int, str, str]],
    minutes: Mapping[tuple[int, int, int], int],
    outcomes: Mapping[tuple[int, int], str] | None = None,
    *,
    coordinator: tuple[int, str] | None = None,
    chat_id: int = GROUP,
    title: str = "Renja 2027",
    default_minutes: int = 5,
) -> int:
    """Run `sop_id` to its end; before each actor acts, `work` lets minutes[(step, pass, chain)] pass.

    `people` hold the internal roles; the coordinator (the first person unless given)
    confirms external parties on their behalf. Decisions take outcomes[(step, pass)], the
    first outcome when not given. Returns the run id.
    """
    run_id = start(engine, sop_id, people, coordinator=coordinator, chat_id=chat_id, title=title)
    boss = coordinator[0] if coordinator else people[0][0]
    holders = {role: user_id for user_id, _, role in people}
    for _ in range(1000):
        (task,) = [t for t in engine.current_tasks(run_id) if t.status == "active"]
        work(minutes.get((task.step_no, task.pass_no, task.chain_index), default_minutes))
        if act(engine, task, holders, boss, (outcomes or {}).get((task.step_no, task.pass_no))).run_finished:
            return run_id
    raise RuntimeError("the run did not finish")


def start(engine: SopEngine, sop_id: str, people: Sequence[tuple[int, str, str]], *,
          coordinator: tuple[int, str] | None = None, chat_id: int = GROUP, title: str = "Renja 2027") -> int:
    """Start a run in a group whose people all exist and hold their roles; returns its id."""
    engine.ensure_chat(chat_id, "supergroup", "Sekretariat")
    boss = coordinator or (people[0][0], people[0][1])
    for user_id, name in [boss, *((p[0], p[1]) for p in people)]:
        engine.ensure_user(user_id, name, None, "id")
    run = engine.start_run(chat_id, sop_id, title, boss[0])
    for user_id, _, role in people:
        engine.claim_role(run.id, role, user_id)
    return run.id


def act(engine: SopEngine, task: TaskView, holders: Mapping[str, int], coordinator: int,
        outcome: str | None = None) -> ConfirmResult:
    """The actor of `task` does their part: confirms, decides, or is confirmed for (external)."""
    if task.is_decision and outcome is None:
        step = engine.status(task.run_id).step
        assert step is not None and step.decision is not None
        outcome = step.decision.outcomes[0].key
    reason = "perlu disempurnakan" if outcome is not None and outcome != "setuju" else None
    if task.role.eksternal:
        return engine.confirm_on_behalf(task.id, coordinator, "dikonfirmasi lewat telepon", outcome)
    if task.is_decision:
        assert outcome is not None
        return engine.decide(task.id, holders[task.role.key], outcome, reason=reason)
    return engine.confirm(task.id, holders[task.role.key])


@contextmanager
def scripted_office(database_url: str, start: datetime) -> Iterator[tuple[SopEngine, SteppingClock]]:
    """An engine over a fresh, migrated database, on a clock that moves in WIB office time."""
    from bot.sop.loader import load_directory
    from bot.domain.working_calendar import calendar_for
    from storage.db import Database
    from storage.migrate import upgrade

    upgrade(database_url)
    db = Database(database_url)
    try:
        calendar = calendar_for("Asia/Jakarta")
        clock = SteppingClock(start, calendar)
        yield SopEngine(db, load_directory(PROJECT_ROOT / "sop_data"), clock=clock,
                     calendar_for=lambda _tz: calendar), clock
    finally:
        db.dispose()


def build_sample(database_url: str) -> int:
    """The demo run in a fresh, migrated database; returns its run id."""
    with scripted_office(database_url, START) as (engine, clock):
        return play(engine, clock.work, SOP_ID, KALBAR_PEOPLE, KALBAR_MINUTES, KALBAR_OUTCOMES)


def publish(out: Path, build: Callable[[str], object], command: Callable[[object, str, Path], list[str]],
            produced: str) -> int:
    """Build a sample database in a temporary folder, run a CLI `command` on it, keep its
    `produced` file at `out` (how the README's images are made)."""
    from bot.cli import main as cli

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{(Path(tmp) / 'sample.sqlite3').as_posix()}"
        built = build(url)
        code = cli(command(built, url, Path(tmp) / "out"))
        if code == 0:
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(tmp) / "out" / produced, out)
            print(f"Ditulis: {out}")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Build the demo run, report it through the CLI, keep the chart at OUT.png."""
    args = list(sys.argv[1:] if argv is None else argv)
    return publish(Path(args[0]) if args else DEFAULT_OUT, build_sample,
                   lambda run_id, url, out: ["report", str(run_id), "--out", str(out), "--database-url", url],
                   "chart.png")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

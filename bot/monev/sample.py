"""A scripted first semester of 2026 in one Bappeda group, and the README's monev chart.

``python -m bot.monev.sample [OUT.png]`` plays five runs of "Menyusun Rencana Kerja"
(renja-bappeda-kalbar) and two of "Penyusunan Rencana Kerja" (renja-bappeda-bogor, the
second with step 4 half an hour over) from February to June 2026 through the real engine, in a
throw-away SQLite database, on a clock that moves exactly the working minutes of
:data:`SEMESTER` (WIB office hours), with the deadline tick run before every action; then
it runs ``python -m bot monev --period 2026-1`` and keeps the chart (default:
docs/img/monev-2026-1.png). One more run, in July, belongs to the second semester.

The runs: A on time; B late at step 2 and returned once at step 5; C late at step 2,
step 3 confirmed for the absent Sekretaris, returned once; D cancelled after a late step
1; E still running. The tests play the same semester and check every figure.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.engine import SopEngine
from bot.reports.sample import KALBAR_PEOPLE, SteppingClock, act, publish, scripted_office, start

DEFAULT_OUT = PROJECT_ROOT / "docs" / "img" / "monev-2026-1.png"
GROUP = -1001000
SOP_ID = "renja-bappeda-kalbar"
#: Agus (the Kepala Bidang) never pressed Start: he gets no questionnaire.
NOT_STARTED = frozenset({3003})
RETURN_REASONS = ("Indikator belum selaras dengan RENSTRA", "Anggaran belum sesuai pagu")
ABSENT_REASON = "Sekretaris dinas luar"


@dataclass(frozen=True)
class ScriptedRun:
    """One run: when it starts (UTC), minutes per (step, pass, chain), outcomes per
    (step, pass), actors confirmed on their behalf, and where it stops (None: the end)."""

    title: str
    start: datetime
    minutes: dict[tuple[int, int, int], int]
    outcomes: dict[tuple[int, int], str] = field(default_factory=dict)
    reasons: dict[tuple[int, int], str] = field(default_factory=dict)
    on_behalf: dict[tuple[int, int, int], str] = field(default_factory=dict)
    #: ("cancel" | "stop", before this (step, pass, chain) acts).
    halt: tuple[str, tuple[int, int, int]] | None = None
    sop_id: str = SOP_ID
    people: tuple[tuple[int, str, str], ...] = KALBAR_PEOPLE
    chat_id: int = GROUP


def _monday(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 1, 0, tzinfo=UTC)  # 08:00 WIB


#: The same office runs Bappeda Bogor's "Penyusunan Rencana Kerja" too; Rina is its Staf.
BOGOR_ID = "renja-bappeda-bogor"
BOGOR_PEOPLE: tuple[tuple[int, str, str], ...] = (
    (3001, "Budi", "kasubag_perencanaan_pelaporan"),
    (3002, "Siti", "sekretaris"),
    (3004, "Dewi", "kepala_badan"),
    (3005, "Rina", "staf"),
)
ON_TIME = {(1, 1, 0): 50, (2, 1, 0): 60, (2, 1, 1): 30, (3, 1, 0): 10, (3, 1, 1): 10, (4, 1, 0): 4, (4, 1, 1): 4,
           (5, 1, 0): 5}
SEMESTER: tuple[ScriptedRun, ...] = (
    ScriptedRun("Renja 2027 A", _monday(2, 2), ON_TIME, {(5, 1): "setuju"}),
    ScriptedRun("Renja Bogor 2027", _monday(2, 16), {}, sop_id=BOGOR_ID, people=BOGOR_PEOPLE),  # 5 min a step
    ScriptedRun("Renja 2027 B", _monday(3, 2), {
        **ON_TIME, (2, 1, 0): 100, (2, 1, 1): 60,           # step 2: 160 of 120
        (3, 2, 0): 20, (3, 2, 1): 20, (4, 2, 0): 5, (4, 2, 1): 3, (5, 2, 0): 6,  # step 3 again: 40 of 30
    }, {(5, 1): "kembali", (5, 2): "setuju"}, {(5, 1): RETURN_REASONS[0]}),
    ScriptedRun("Renja 2027 C", _monday(4, 6), {
        **ON_TIME, (2, 1, 0): 150, (2, 1, 1): 30,           # step 2: 180 of 120
        (3, 2, 0): 10, (3, 2, 1): 10, (4, 2, 0): 4, (4, 2, 1): 4, (5, 2, 0): 5,
    }, {(5, 1): "kembali", (5, 2): "setuju"}, {(5, 1): RETURN_REASONS[1]}, {(3, 1, 0): ABSENT_REASON}),
    ScriptedRun("Renja 2027 D", _monday(5, 4), {(1, 1, 0): 80}, halt=("cancel", (2, 1, 0))),  # step 1: 80 of 60
    ScriptedRun("Renja Bogor 2027 Perubahan", _monday(5, 18), {(4, 1, 0): 330}, sop_id=BOGOR_ID,
                people=BOGOR_PEOPLE),  # step 4: 330 of 300
    ScriptedRun("Renja 2027 E", _monday(6, 1), {(1, 1, 0): 30}, halt=("stop", (2, 1, 0))),
    ScriptedRun("Renja 2028", _monday(7, 6), ON_TIME, {(5, 1): "setuju"}),  # second semester
)


def play_run(engine: SopEngine, clock: SteppingClock, run: ScriptedRun, after_each: object = None) -> int:
    """One scripted run through the engine; the deadline tick runs before every action."""
    from bot.deadlines.service import NagService

    nags = NagService(engine)
    clock.now = run.start
    people = run.people
    run_id = start(engine, run.sop_id, people, chat_id=run.chat_id, title=run.title)
    holders = {role: user_id for user_id, _, role in people}
    boss = people[0][0]
    for _ in range(100):
        (task,) = [t for t in engine.current_tasks(run_id) if t.status == "active"]
        key = (task.step_no, task.pass_no, task.chain_index)
        if run.halt is not None and run.halt[1] == key:
            if run.halt[0] == "cancel":
                engine.cancel_run(run_id, boss)
            return run_id
        clock.work(run.minutes.get(key, 5))
        nags.tick_all()
        outcome = run.outcomes.get((task.step_no, task.pass_no))
        if key in run.on_behalf:
            result = engine.confirm_on_behalf(task.id, boss, run.on_behalf[key], outcome)
        elif outcome is not None and outcome != "setuju":
            result = engine.decide(task.id, holders[task.role.key], outcome,
                                   reason=run.reasons.get((task.step_no, task.pass_no)))
        else:
            result = act(engine, task, holders, boss, outcome)
        if result.run_finished:
            if callable(after_each):
                after_each(run_id)
            return run_id
    raise RuntimeError("the run did not finish")


def play_semester(engine: SopEngine, clock: SteppingClock, after_each: object = None) -> list[int]:
    """Every scripted run, in order; Agus is left without Start. Returns the run ids."""
    for user_id, name, _ in {p[0]: p for p in (*KALBAR_PEOPLE, *BOGOR_PEOPLE)}.values():
        engine.ensure_user(user_id, name, None, "id")
        if user_id not in NOT_STARTED:
            engine.mark_started(user_id)
    return [play_run(engine, clock, run, after_each) for run in SEMESTER]


def build_sample(database_url: str) -> list[int]:
    """The scripted semester in a fresh, migrated database; returns the run ids."""
    with scripted_office(database_url, SEMESTER[0].start) as (engine, clock):
        return play_semester(engine, clock)


def main(argv: Sequence[str] | None = None) -> int:
    """Build the semester, write its forms through the CLI, keep the chart at OUT.png."""
    args = list(sys.argv[1:] if argv is None else argv)
    return publish(Path(args[0]) if args else DEFAULT_OUT, build_sample,
                   lambda _ids, url, out: ["monev", "--period", "2026-1", "--out", str(out), "--database-url", url],
                   "monev-2026-1.png")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

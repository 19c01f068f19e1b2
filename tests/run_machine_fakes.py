"""Fakes for the run state machine's tests: a small SOP and an in-memory store that
applies transitions the way the repository does (conditional on the expected status)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from bot.domain import run_machine as rm
from bot.domain.calendars import ContinuousCalendar
from bot.domain.nag_policy import NagPolicy
from bot.domain.run_state import (
    ACTIVE,
    CANCELLED,
    RUN_ACTIVE,
    PressState,
    RunState,
    TaskState,
    Transition,
)
from bot.domain.sop import SopDefinition

T0 = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
HOLDER, SECOND, COORD = 11, 12, 99


def sop() -> SopDefinition:
    """1: kasubag → 2: staf then kabid (a chain) → 3: kabid decides (revisi goes back to 2) → 4."""
    return SopDefinition.model_validate({
        "id": "uji", "nama": "Uji", "supervisor": "kabid",
        "identitas": {"nomor": "1", "tanggal_pembuatan": "2026-01-01",
                      "instansi": "Dinas"},
        "roles": [{"key": "kasubag", "nama": "Kasubag"}, {"key": "staf", "nama": "Staf"},
                  {"key": "kabid", "nama": "Kabid"}],
        "steps": [
            {"no": 1, "aktivitas": "Siapkan", "actors": [{"role": "kasubag"}], "waktu": "1 jam"},
            {"no": 2, "aktivitas": "Susun", "actors": [{"role": "staf"}, {"role": "kabid"}], "waktu": "2 jam"},
            {"no": 3, "aktivitas": "Periksa", "actors": [{"role": "kabid"}], "waktu": "Setiap Saat",
             "decision": {"pertanyaan": "Sesuai?", "outcomes": [
                 {"key": "ok", "label": "Sesuai"}, {"key": "revisi", "label": "Revisi", "goto": 2}]}},
            {"no": 4, "aktivitas": "Kirim", "actors": [{"role": "kasubag"}], "waktu": "30 menit"},
        ],
    })


class FakeStore:
    """Rows in dicts; applies a transition like the repository: all-or-nothing, checked."""

    def __init__(self, definition: SopDefinition, now: datetime = T0) -> None:
        self.sop = definition
        self.ids = itertools.count(1)
        self.tasks: dict[int, TaskState] = {}
        self.run = RunState(id=1, chat_id=-100, number=1, sop_version_id=1, title="t", coordinator_id=COORD,
                            status=RUN_ACTIVE, current_step_no=None, pass_no=1, started_at=now)
        inserts, _ = rm.start_step(self.run, definition, definition.steps[0].no, clock(now), None, revisit=False)
        self.run = self.run.changed({"current_step_no": definition.steps[0].no})
        self._insert(inserts)

    def _insert(self, rows: Any) -> list[TaskState]:
        made = []
        for row in rows:
            task = TaskState(id=next(self.ids), **vars(row))
            self.tasks[task.id] = task
            made.append(task)
        return made

    def state(self, task_id: int) -> PressState:
        task = self.tasks[task_id]
        live = [t for t in self.tasks.values() if t.status != CANCELLED]
        chain = tuple(sorted((t for t in live if (t.step_no, t.pass_no) == (task.step_no, task.pass_no)),
                             key=lambda t: t.chain_index))
        steps = frozenset(t.step_no for t in live if t.pass_no == self.run.pass_no)
        return PressState(run=self.run, task=task, chain=chain, steps_in_pass=steps)

    def apply(self, transition: Transition) -> list[TaskState]:
        for update in transition.task_updates:
            if self.tasks[update.task_id].status not in update.expected:
                raise AssertionError(f"lost race on task {update.task_id}")
        for update in transition.task_updates:
            self.tasks[update.task_id] = self.tasks[update.task_id].changed(update.values)
        if transition.run_change is not None:
            assert self.run.status == transition.run_change.expected
            self.run = self.run.changed(transition.run_change.values)
        made = self._insert(transition.task_inserts)
        assert len(self.active()) <= 1, "one active task per run"
        return made

    def active(self) -> list[TaskState]:
        return [t for t in self.tasks.values() if t.status == ACTIVE]

    def press(self, by: int = HOLDER, outcome: str | None = None, at: datetime = T0) -> Transition:
        (task,) = self.active()
        chosen = None
        if outcome is not None:
            decision = self.sop.step_by_no[task.step_no].decision
            assert decision is not None
            chosen = next(o for o in decision.outcomes if o.key == outcome)
        transition = rm.complete(self.state(task.id), self.sop, rm.Completion(by=by, outcome=chosen), clock(at))
        self.apply(transition)
        return transition


def clock(now: datetime = T0) -> rm.Clock:
    return rm.Clock(now=now, calendar=ContinuousCalendar(), nag_policy=NagPolicy(interval_minutes=60))


def followers(store: FakeStore, task_id: int) -> list[TaskState]:
    """The live tasks a completion created or activated (what undo takes back)."""
    return [t for t in store.tasks.values() if t.status != CANCELLED
            and task_id in (t.created_by_task_id, t.activated_by_task_id)]

"""The audit trail: every state change leaves an event, enough to rebuild a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import select

from bot.engine import SopEngine
from bot.engine.views import HistoryEntry
from db_fixtures import Org
from storage.db import Database
from storage.models import Run, Task

KALBAR = "renja-bappeda-kalbar"


@dataclass
class Timeline:
    """A run as its events alone describe it."""

    status: str = "active"
    step_no: int | None = None
    pass_no: int = 1
    tasks: dict[int, dict[str, Any]] = field(default_factory=dict)
    holders: dict[str, int] = field(default_factory=dict)

    def apply(self, e: HistoryEntry) -> None:
        d = e.data
        actor = e.actor.id if e.actor else None
        if e.kind == "step_started":
            self.step_no, self.pass_no = d["step_no"], d["pass_no"]
            for index, task_id in enumerate(d["task_ids"]):
                self.tasks[task_id] = dict(
                    step_no=d["step_no"], chain_index=index, pass_no=d["pass_no"], role_key=d["roles"][index],
                    status="active" if index == 0 else "waiting", completed_by=None, completed_at=None,
                    on_behalf=False, outcome_key=None,
                )
        elif e.kind == "task_activated":
            self.tasks[e.task_id or 0]["status"] = "active"
        elif e.kind in ("task_confirmed", "decision_made"):
            self.tasks[e.task_id or 0].update(
                status="done", completed_by=actor, completed_at=e.at, on_behalf=d["on_behalf"],
                outcome_key=d["outcome_key"],
            )
        elif e.kind == "task_undone":
            task = self.tasks[e.task_id or 0]
            task.update(status="active", completed_by=None, completed_at=None, on_behalf=False, outcome_key=None)
            for i in d["cancelled_task_ids"]:
                self.tasks[i]["status"] = "cancelled"
            for i in d["reverted_task_ids"]:
                self.tasks[i]["status"] = "waiting"
            self.status, self.step_no, self.pass_no = "active", d["step_no"], d["pass_no"]
        elif e.kind == "run_finished":
            self.status, self.step_no = "finished", None
        elif e.kind == "run_cancelled":
            self.status = "cancelled"
            for i in d["cancelled_task_ids"]:
                self.tasks[i]["status"] = "cancelled"
        elif e.kind in ("role_claimed", "role_assigned", "role_claim_approved"):
            self.holders[d["role_key"]] = d["user_id"]
        elif e.kind in ("role_released", "role_revoked"):
            self.holders.pop(d["role_key"], None)


def _rebuild(engine: SopEngine, run_id: int) -> Timeline:
    timeline = Timeline()
    for entry in engine.history(run_id):
        timeline.apply(entry)
    return timeline


def _assert_matches(db: Database, engine: SopEngine, run_id: int, timeline: Timeline) -> None:
    with db.transaction(readonly=True) as s:
        run = s.get(Run, run_id)
        assert run is not None
        assert (timeline.status, timeline.step_no, timeline.pass_no) == (run.status, run.current_step_no, run.pass_no)
        rows = {t.id: t for t in s.exec(select(Task).where(Task.run_id == run_id))}
    assert set(rows) == set(timeline.tasks)
    for task_id, row in rows.items():
        rebuilt: dict[str, Any] = timeline.tasks[task_id]
        actual = {k: getattr(row, k) for k in rebuilt}
        assert actual == rebuilt, task_id
    roles = {r.role.key: r.holder.id for r in engine.roles(run_id) if r.holder is not None}
    assert roles == timeline.holders


def test_a_run_can_be_rebuilt_from_its_events_alone(db: Database, org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    sekretaris = org.people["sekretaris"]
    engine.release_role(run.id, "sekretaris", sekretaris)
    engine.assign_role(run.id, "sekretaris", sekretaris, org.coordinator)
    first = org.active(run.id)
    engine.confirm(first.id, org.holder(first))
    engine.undo(first.id, org.holder(first))
    for _ in range(7):
        org.act(run.id)
    org.act(run.id, outcome="kembali", reason="belum sempurna")
    _assert_matches(db, engine, run.id, _rebuild(engine, run.id))
    for _ in range(4):
        org.act(run.id)
    last = org.active(run.id)
    engine.decide(last.id, org.holder(last), "setuju")
    engine.undo(last.id, org.holder(last))
    _assert_matches(db, engine, run.id, _rebuild(engine, run.id))
    engine.decide(last.id, org.holder(last), "setuju")
    _assert_matches(db, engine, run.id, _rebuild(engine, run.id))


def test_a_cancelled_run_can_be_rebuilt_from_its_events(db: Database, org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    org.act(run.id)
    engine.cancel_run(run.id, org.coordinator, "duplikat")
    _assert_matches(db, engine, run.id, _rebuild(engine, run.id))


def test_every_event_says_who_what_when_and_where(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    org.finish(run.id)
    history = engine.history(run.id)
    assert all(isinstance(e.at, datetime) and e.kind for e in history)
    assert [e.at for e in history] == sorted(e.at for e in history)
    confirmed = [e for e in history if e.kind in ("task_confirmed", "decision_made")]
    assert all(e.actor is not None and e.task_id is not None and e.step_no is not None for e in confirmed)
    assert confirmed[0].note == "langkah 1 selesai"
    assert confirmed[0].actor is not None and confirmed[0].actor.first_name == "Kasubbag_Renja"
    on_behalf = [e for e in confirmed if e.data["on_behalf"]]
    assert [(e.step_no, e.data["reason"]) for e in on_behalf] == [(2, "dikonfirmasi lewat telepon")]

"""Replaying a request (same request id) returns the first answer and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.engine import SopEngine
from bot.engine.errors import NotRoleHolder, RequestConflict
from db_fixtures import Org
from storage.db import Database
from storage.models import AuditEvent, Evidence, OutboxMessage, RoleAssignment, Run, Task

KALBAR = "renja-bappeda-kalbar"


def _counts(db: Database) -> tuple[int, ...]:
    with db.transaction(readonly=True) as s:
        return tuple(
            s.exec(select(func.count()).select_from(model)).one()
            for model in (AuditEvent, OutboxMessage, Task, Run, RoleAssignment, Evidence)
        )


def _state(db: Database) -> list[tuple[Any, ...]]:
    with db.transaction(readonly=True) as s:
        tasks = [(t.id, t.status, t.completed_by) for t in s.exec(select(Task).order_by(Task.id))]
        runs = [(r.id, r.status, r.current_step_no, r.pass_no) for r in s.exec(select(Run).order_by(Run.id))]
        return tasks + runs


#: Sets the scene once, then returns the call to make (twice) with a request id.
Operation = Callable[[SopEngine, Org, int], Callable[[str], Any]]


def _confirm(engine: SopEngine, org: Org, run_id: int) -> Callable[[str], Any]:
    task = org.active(run_id)
    return lambda rid: engine.confirm(task.id, org.holder(task), note="ok", request_id=rid)


def _decide(engine: SopEngine, org: Org, run_id: int) -> Callable[[str], Any]:
    while not org.active(run_id).is_decision:
        org.act(run_id)
    task = org.active(run_id)
    return lambda rid: engine.decide(task.id, org.holder(task), "kembali", reason="kurang", request_id=rid)


def _on_behalf(engine: SopEngine, org: Org, run_id: int) -> Callable[[str], Any]:
    task = org.active(run_id)
    return lambda rid: engine.confirm_on_behalf(task.id, org.coordinator, "cuti", request_id=rid)


def _undo(engine: SopEngine, org: Org, run_id: int) -> Callable[[str], Any]:
    task = org.active(run_id)
    engine.confirm(task.id, org.holder(task))
    return lambda rid: engine.undo(task.id, org.holder(task), request_id=rid)


def _evidence(engine: SopEngine, org: Org, run_id: int) -> Callable[[str], Any]:
    task = org.active(run_id)
    return lambda rid: engine.attach_evidence(task.id, org.holder(task), "photo", file_id="P", request_id=rid)


def _start(engine: SopEngine, org: Org, run_id: int) -> Callable[[str], Any]:
    return lambda rid: engine.start_run(org.chat_id, KALBAR, "lagi", org.coordinator, request_id=rid)


def _cancel(engine: SopEngine, org: Org, run_id: int) -> Callable[[str], Any]:
    return lambda rid: engine.cancel_run(run_id, org.coordinator, "batal", request_id=rid)


def _release(engine: SopEngine, org: Org, run_id: int) -> Callable[[str], Any]:
    return lambda rid: engine.release_role(run_id, "sekretaris", org.people["sekretaris"], request_id=rid)


def _assign(engine: SopEngine, org: Org, run_id: int) -> Callable[[str], Any]:
    return lambda rid: engine.assign_role(run_id, "sekretaris", 4242, org.coordinator, replace=True, request_id=rid)


def _claim(engine: SopEngine, org: Org, run_id: int) -> Callable[[str], Any]:
    engine.release_role(run_id, "sekretaris", org.people["sekretaris"])
    return lambda rid: engine.claim_role(run_id, "sekretaris", 4343, request_id=rid)


def _language(engine: SopEngine, org: Org, run_id: int) -> Callable[[str], Any]:
    return lambda rid: engine.set_chat_language(org.chat_id, "en", org.coordinator, request_id=rid)


def _started(engine: SopEngine, org: Org, run_id: int) -> Callable[[str], Any]:
    org.person(4444, "Baru", started=False)
    return lambda rid: engine.mark_started(4444, request_id=rid)


OPERATIONS: dict[str, Operation] = {
    "confirm": _confirm, "decide": _decide, "on_behalf": _on_behalf, "undo": _undo, "evidence": _evidence,
    "start_run": _start, "cancel_run": _cancel, "release_role": _release, "assign_role": _assign,
    "claim_role": _claim, "set_chat_language": _language, "mark_started": _started,
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_a_replayed_request_returns_the_same_answer_and_changes_nothing(
    name: str, db: Database, org: Org, engine: SopEngine
) -> None:
    run = org.start(KALBAR)
    call = OPERATIONS[name](engine, org, run.id)
    first = call(f"req-{name}")
    before_counts, before_state = _counts(db), _state(db)
    org.clock.advance(minutes=1)
    again = call(f"req-{name}")
    assert _counts(db) == before_counts and _state(db) == before_state
    if hasattr(first, "replayed"):
        assert again.replayed and not first.replayed
        assert again.task == first.task and again.next_tasks == first.next_tasks and again.run == first.run
    else:
        assert again == first


def test_a_replay_after_the_run_moved_on_still_answers_with_the_first_result(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    task = org.active(run.id)
    first = engine.confirm(task.id, org.holder(task), request_id="tap-1")
    org.act(run.id)
    again = engine.confirm(task.id, org.holder(task), request_id="tap-1")
    assert again.replayed and again.task.id == task.id
    assert [t.id for t in again.next_tasks] == [t.id for t in first.next_tasks]
    assert again.next_tasks[0].status == "done"  # it shows the present state of those tasks


def test_a_refused_request_is_refused_again_on_replay(org: Org, engine: SopEngine, db: Database) -> None:
    run = org.start(KALBAR)
    task = org.active(run.id)
    with pytest.raises(NotRoleHolder):
        engine.confirm(task.id, org.coordinator, request_id="bad")
    counts = _counts(db)
    with pytest.raises(NotRoleHolder):
        engine.confirm(task.id, org.coordinator, request_id="bad")
    assert _counts(db) == counts


def test_a_request_id_reused_for_another_operation_is_refused(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    task = org.active(run.id)
    engine.confirm(task.id, org.holder(task), request_id="same")
    with pytest.raises(RequestConflict) as refused:
        engine.cancel_run(run.id, org.coordinator, request_id="same")
    assert refused.value.used_for == "task_confirmed"
    assert engine.get_run(run.id).status == "active"

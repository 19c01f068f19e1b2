"""Undo: the author of a confirmation takes it back, briefly, while nobody acted after it."""

from __future__ import annotations

import pytest

from bot.engine import SopEngine
from bot.engine.errors import TaskNotCurrent, UndoNotAllowed
from db_fixtures import Org

KALBAR = "renja-bappeda-kalbar"


@pytest.fixture
def run_id(org: Org) -> int:
    return org.start(KALBAR).id


def _to_step(org: Org, run_id: int, step_no: int) -> None:
    while org.active(run_id).step_no != step_no:
        org.act(run_id)


def _refusal(engine: SopEngine, task_id: int, user_id: int) -> str:
    with pytest.raises(UndoNotAllowed) as refused:
        engine.undo(task_id, user_id)
    return refused.value.reason


def test_undo_reopens_the_task_and_cancels_the_step_it_started(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    result = engine.confirm(task.id, org.holder(task), note="salah kirim")
    org.clock.advance(minutes=5)
    reopened = engine.undo(task.id, org.holder(task))
    assert reopened.status == "active" and reopened.completed_by is None and reopened.note is None
    assert reopened.started_at == task.started_at and reopened.due_at == task.due_at
    assert engine.get_task(result.next_tasks[0].id).status == "cancelled"
    assert [t.id for t in engine.current_tasks(run_id)] == [task.id]
    assert engine.get_run(run_id).current_step_no == 1
    again = engine.confirm(task.id, org.holder(task))
    assert again.next_tasks[0].step_no == 2 and again.next_tasks[0].id != result.next_tasks[0].id


def test_undo_in_a_chain_puts_the_next_actor_back_to_waiting(org: Org, engine: SopEngine, run_id: int) -> None:
    _to_step(org, run_id, 3)
    first = org.active(run_id)
    result = engine.confirm(first.id, org.holder(first))
    second = result.next_tasks[0]
    engine.undo(first.id, org.holder(first))
    assert [(t.id, t.status) for t in engine.current_tasks(run_id)] == [(first.id, "active"), (second.id, "waiting")]
    assert engine.get_task(second.id).started_at is None
    with pytest.raises(TaskNotCurrent):
        engine.confirm(second.id, org.holder(second))


def test_undo_after_the_window_is_refused(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    engine.confirm(task.id, org.holder(task))
    org.clock.advance(minutes=10, seconds=1)
    assert _refusal(engine, task.id, org.holder(task)) == "window_passed"


def test_undo_by_someone_who_did_not_confirm_is_refused(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    engine.confirm(task.id, org.holder(task))
    assert _refusal(engine, task.id, org.coordinator) == "not_author"


def test_undo_after_the_next_actor_acted_is_refused(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    engine.confirm(task.id, org.holder(task))
    org.act(run_id)
    assert _refusal(engine, task.id, org.holder(task)) == "next_acted"


def test_undo_of_a_task_not_yet_confirmed_is_refused(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    assert _refusal(engine, task.id, org.holder(task)) == "not_done"


def test_undo_in_a_cancelled_run_is_refused(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    engine.confirm(task.id, org.holder(task))
    engine.cancel_run(run_id, org.coordinator)
    assert _refusal(engine, task.id, org.holder(task)) == "run_cancelled"


def test_undoing_the_final_decision_reopens_the_finished_run(org: Org, engine: SopEngine, run_id: int) -> None:
    _to_step(org, run_id, 5)
    task = org.active(run_id)
    assert engine.decide(task.id, org.holder(task), "setuju").run_finished
    engine.undo(task.id, org.holder(task))
    run = engine.get_run(run_id)
    assert (run.status, run.finished_at, run.current_step_no) == ("active", None, 5)
    assert [h.kind for h in engine.history(run_id)][-1] == "task_undone"
    assert engine.history(run_id)[-1].data["run_reopened"] is True


def test_undoing_a_returned_decision_restores_the_pass(org: Org, engine: SopEngine, run_id: int) -> None:
    _to_step(org, run_id, 5)
    task = org.active(run_id)
    result = engine.decide(task.id, org.holder(task), "kembali", reason="kurang lampiran")
    assert result.run.pass_no == 2
    engine.undo(task.id, org.holder(task))
    run = engine.get_run(run_id)
    assert (run.pass_no, run.current_step_no) == (1, 5)
    assert engine.get_task(result.next_tasks[0].id).status == "cancelled"
    again = engine.decide(task.id, org.holder(task), "kembali", reason="kurang lampiran")
    assert again.next_tasks[0].pass_no == 2


def test_the_coordinator_may_undo_a_confirmation_made_on_behalf(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    engine.confirm_on_behalf(task.id, org.coordinator, "Budi cuti")
    undone = engine.undo(task.id, org.coordinator)
    assert undone.status == "active" and not undone.on_behalf and undone.on_behalf_reason is None


def test_undo_withdraws_the_unsent_call_to_the_next_actor(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    result = engine.confirm(task.id, org.holder(task))
    nxt = result.next_tasks[0]
    pending = engine.pending_notifications(1000)
    calls = [n for n in pending if n.kind == "task_assigned" and n.payload["task_id"] == nxt.id]
    assert len(calls) == 1
    engine.undo(task.id, org.holder(task))
    pending = engine.pending_notifications(1000)
    assert not [n for n in pending if n.payload.get("task_id") == nxt.id and n.kind != "group_notice"]
    assert [n.payload["notice"] for n in pending if n.kind == "group_notice"][-2:] == ["step_done", "task_undone"]

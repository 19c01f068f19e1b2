"""Concurrent transactions really racing on one task: the run advances exactly once.

Each race starts two threads at a barrier; every engine call opens its own transaction
on its own pooled connection, so the two confirmations truly overlap (SQLite queues them
at BEGIN IMMEDIATE, PostgreSQL at the run's row lock; the conditional UPDATE decides).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from bot.engine import SopEngine
from bot.engine.errors import RoleTaken, TaskNotCurrent, UndoNotAllowed
from bot.engine.views import ConfirmResult, TaskView
from db_fixtures import Org

ROUNDS = 20
KALBAR = "renja-bappeda-kalbar"


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at once; each result is a return value or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the race's outcome is what we assert on
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def next_racing_task(org: Org, run_id: int) -> TaskView:
    """The active task, skipping decisions (sent back, so the run never ends)."""
    task = org.active(run_id)
    while task.is_decision:
        org.act(run_id, outcome="kembali", reason="putaran berikutnya")
        task = org.active(run_id)
    return task


def assert_advanced_once(engine: SopEngine, run_id: int, task: TaskView, results: list[Any]) -> None:
    wins = [r for r in results if isinstance(r, ConfirmResult)]
    losses = [r for r in results if isinstance(r, TaskNotCurrent)]
    assert len(wins) == 1 and len(losses) == len(results) - 1, results
    (win,) = wins
    assert all(loss.completed_by == win.task.completed_by.id for loss in losses)  # type: ignore[union-attr]
    live = [t for t in engine.current_tasks(run_id) if t.status == "active"]
    assert [t.id for t in live] == [n.id for n in win.next_tasks]
    confirmations = [h for h in engine.history(run_id) if h.task_id == task.id and h.kind == "task_confirmed"]
    assert len(confirmations) == 1
    if win.step_done:
        history = engine.history(run_id)
        started = [h for h in history if h.kind == "step_started" and h.data["task_ids"][0] == live[0].id]
        assert len(started) == 1


def test_a_double_tap_by_the_holder_advances_the_run_once(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    for _ in range(ROUNDS):
        task = next_racing_task(org, run.id)
        who = org.coordinator if task.role.eksternal else org.holder(task)
        if task.role.eksternal:
            results = race(*[lambda: engine.confirm_on_behalf(task.id, who, "rapat")] * 2)
        else:
            results = race(*[lambda: engine.confirm(task.id, who)] * 2)
        assert_advanced_once(engine, run.id, task, results)


def test_holder_and_coordinator_racing_on_one_task_advance_the_run_once(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    for _ in range(ROUNDS):
        task = next_racing_task(org, run.id)
        if task.role.eksternal:
            org.act(run.id)
            task = next_racing_task(org, run.id)
        holder = org.holder(task)
        results = race(
            lambda: engine.confirm(task.id, holder),
            lambda: engine.confirm_on_behalf(task.id, org.coordinator, "pemegang peran tidak di tempat"),
        )
        assert_advanced_once(engine, run.id, task, results)


def test_a_replayed_request_racing_its_original_changes_nothing_more(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    for round_no in range(ROUNDS // 2):
        task = next_racing_task(org, run.id)
        if task.role.eksternal:
            org.act(run.id)
            task = next_racing_task(org, run.id)
        holder = org.holder(task)
        results = race(*[lambda: engine.confirm(task.id, holder, request_id=f"cb-{round_no}")] * 2)
        assert all(isinstance(r, ConfirmResult) for r in results), results
        assert sorted(r.replayed for r in results) == [False, True]
        assert [t.id for t in results[0].next_tasks] == [t.id for t in results[1].next_tasks]
        confirmations = [h for h in engine.history(run.id) if h.task_id == task.id and h.kind == "task_confirmed"]
        assert len(confirmations) == 1


def test_two_people_claiming_one_role_at_once_get_one_holder(org: Org, engine: SopEngine) -> None:
    a, b = org.person(3001, "A"), org.person(3002, "B")
    for _ in range(ROUNDS // 2):
        run = org.start(KALBAR, claim=False)
        results = race(
            lambda: engine.claim_role(run.id, "sekretaris", a), lambda: engine.claim_role(run.id, "sekretaris", b)
        )
        assert sum(isinstance(r, RoleTaken) for r in results) == 1, results
        holder = next(r for r in engine.roles(run.id) if r.role.key == "sekretaris").holder
        assert holder is not None and holder.id in (a, b)


def test_runs_started_at_once_in_one_chat_get_distinct_numbers(org: Org, engine: SopEngine) -> None:
    org.person(org.coordinator, "Koordinator")
    engine.ensure_chat(org.chat_id, "supergroup", "Sekretariat")
    results = race(*[lambda: engine.start_run(org.chat_id, KALBAR, "x", org.coordinator)] * 4)
    assert sorted(r.number for r in results) == [1, 2, 3, 4], results
    assert len({r.sop_version_id for r in results}) == 1


def test_undo_racing_the_next_actor_lets_exactly_one_of_them_win(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    for _ in range(ROUNDS // 2):
        task = next_racing_task(org, run.id)
        if task.role.eksternal:
            org.act(run.id)
            task = next_racing_task(org, run.id)
        first = engine.confirm(task.id, org.holder(task))
        (nxt,) = first.next_tasks
        if nxt.role.eksternal or nxt.is_decision:
            continue
        undo_result, confirm_result = race(
            lambda: engine.undo(task.id, org.holder(task)),
            lambda: engine.confirm(nxt.id, org.holder(nxt)),
        )
        undone = not isinstance(undo_result, Exception)
        confirmed = isinstance(confirm_result, ConfirmResult)
        assert undone != confirmed, (undo_result, confirm_result)
        if undone:
            assert isinstance(confirm_result, TaskNotCurrent)
            assert org.active(run.id).id == task.id
        else:
            assert isinstance(undo_result, UndoNotAllowed) and undo_result.reason == "next_acted"
    active = [t for t in engine.current_tasks(run.id) if t.status == "active"]
    assert len(active) == 1


def test_first_contact_on_two_updates_at_once_records_the_person_once(engine: SopEngine) -> None:
    for user_id in range(5000, 5000 + ROUNDS // 2):
        results = race(*[lambda: engine.ensure_user(user_id, "Nama", None, "id")] * 2)
        assert [r.id for r in results] == [user_id, user_id], results


@pytest.fixture(autouse=True)
def _enough_connections(engine: SopEngine) -> None:
    """Every thread needs its own connection; the default pool holds plenty."""
    assert engine.db.engine.pool.size() >= 4  # type: ignore[attr-defined]

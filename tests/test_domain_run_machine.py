"""The run state machine without a database: chains, decisions, new passes, finishing,
undo, cancel, and the refusals. An in-memory fake store applies transitions the way the
repository does (conditional on the expected status), so whole runs can be driven."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from run_machine_fakes import (
    COORD,
    HOLDER,
    SECOND,
    T0,
    FakeStore,
    clock,
    followers,
    sop,
)

from bot.domain import run_machine as rm
from bot.domain.run_state import (
    ACTIVE,
    CANCELLED,
    DONE,
    RUN_ACTIVE,
    RUN_CANCELLED,
    RUN_FINISHED,
    WAITING,
    PressState,
    TaskState,
    TransitionRefused,
)


def test_a_step_starts_with_its_first_actor_active_and_one_due_time() -> None:
    store = FakeStore(sop())
    store.press()  # step 1 done → step 2 (staf, kabid)
    chain = sorted((t for t in store.tasks.values() if t.step_no == 2), key=lambda t: t.chain_index)
    assert [t.status for t in chain] == [ACTIVE, WAITING]
    assert chain[0].due_at == chain[1].due_at == T0 + timedelta(hours=2)
    assert chain[0].next_nag_at == T0 + timedelta(hours=2) and chain[1].next_nag_at is None
    assert chain[0].created_by_task_id == chain[0].activated_by_task_id == 1
    assert store.run.current_step_no == 2


def test_the_chain_passes_to_its_next_actor_without_leaving_the_step() -> None:
    store = FakeStore(sop())
    store.press()
    later = T0 + timedelta(minutes=5)
    transition = store.press(by=SECOND, at=later)
    assert transition.activated is not None and transition.activated.role_key == "kabid"
    assert transition.activated.started_at == later and transition.activated.activated_by_task_id is not None
    assert not transition.step_done and transition.run_change is None and not transition.task_inserts
    assert transition.task is not None and transition.task.status == DONE and transition.task.completed_by == SECOND


def test_a_decision_back_to_an_earlier_step_opens_a_new_pass() -> None:
    store = FakeStore(sop())
    store.press(), store.press(), store.press()  # 1, 2a, 2b → step 3 (decision)
    back = store.press(outcome="revisi")
    assert back.new_pass and back.target_step_no == 2 and back.step_done
    assert store.run.pass_no == 2 and store.run.current_step_no == 2
    assert {t.pass_no for t in store.active()} == {2}
    assert back.task is not None and back.task.outcome_key == "revisi"


def test_going_on_after_the_last_step_finishes_the_run() -> None:
    store = FakeStore(sop())
    for _ in range(3):
        store.press()
    store.press(outcome="ok")
    last = store.press()
    assert last.run_finished and last.step_done and store.run.status == RUN_FINISHED
    assert store.run.current_step_no is None and store.run.finished_at == T0 and not store.active()


def test_a_step_without_standard_time_is_never_due_nor_nagged() -> None:
    store = FakeStore(sop())
    for _ in range(3):
        store.press()
    (decision,) = store.active()
    assert decision.step_no == 3 and decision.due_at is None and decision.next_nag_at is None


@pytest.mark.parametrize("status", [DONE, WAITING, CANCELLED])
def test_a_task_that_is_not_current_is_refused(status: str) -> None:
    store = FakeStore(sop())
    state = store.state(1)
    stale = PressState(run=state.run, task=state.task.changed({"status": status}), chain=state.chain)
    with pytest.raises(TransitionRefused) as refused:
        rm.complete(stale, store.sop, rm.Completion(by=HOLDER), clock())
    assert refused.value.reason == "not_current"


def test_a_run_that_ended_refuses_completions() -> None:
    store = FakeStore(sop())
    state = store.state(1)
    closed = PressState(run=state.run.changed({"status": RUN_CANCELLED}), task=state.task, chain=state.chain)
    with pytest.raises(TransitionRefused, match="run_not_active"):
        rm.complete(closed, store.sop, rm.Completion(by=HOLDER), clock())


def test_a_decision_needs_an_outcome_and_a_confirmation_must_not_have_one() -> None:
    store = FakeStore(sop())
    ok = store.sop.step_by_no[3].decision.outcomes[0]  # type: ignore[union-attr]
    with pytest.raises(TransitionRefused, match="not_a_decision"):
        rm.complete(store.state(1), store.sop, rm.Completion(by=HOLDER, outcome=ok), clock())
    for _ in range(3):
        store.press()
    (decision,) = store.active()
    with pytest.raises(TransitionRefused, match="is_a_decision"):
        rm.complete(store.state(decision.id), store.sop, rm.Completion(by=HOLDER), clock())


def test_on_behalf_records_the_reason_and_no_acting_as() -> None:
    store = FakeStore(sop())
    transition = rm.complete(store.state(1), store.sop,
                             rm.Completion(by=COORD, reason="cuti", on_behalf=True, acting_as="plh"), clock())
    assert transition.task is not None
    assert transition.task.on_behalf and transition.task.on_behalf_reason == "cuti"
    assert transition.task.acting_as is None and transition.task.decision_reason is None


def test_undo_of_a_step_change_cancels_the_new_step_and_reopens_the_task() -> None:
    store = FakeStore(sop())
    store.press()
    task = store.tasks[1]
    transition = rm.undo(store.run, task, followers(store, 1), HOLDER, T0 - timedelta(minutes=10), clock())
    store.apply(transition)
    assert [t.id for t in store.active()] == [1] and store.run.current_step_no == 1
    assert {t.status for t in store.tasks.values() if t.step_no == 2} == {CANCELLED}
    assert store.tasks[1].completed_by is None and store.tasks[1].next_nag_at == T0 + timedelta(hours=1)
    assert set(transition.cancelled_ids) == {2, 3} and not transition.reverted_ids


def test_undo_inside_a_chain_puts_the_next_actor_back_to_waiting() -> None:
    store = FakeStore(sop())
    store.press(), store.press(by=SECOND)
    first = next(t for t in store.tasks.values() if t.step_no == 2 and t.chain_index == 0)
    transition = rm.undo(store.run, first, followers(store, first.id), SECOND, T0, clock())
    store.apply(transition)
    second = next(t for t in store.tasks.values() if t.step_no == 2 and t.chain_index == 1)
    assert second.status == WAITING and second.started_at is None and transition.reverted_ids == (second.id,)


def test_undo_of_the_last_step_reopens_a_finished_run() -> None:
    store = FakeStore(sop())
    for _ in range(3):
        store.press()
    store.press(outcome="ok")
    store.press()
    last = max(store.tasks.values(), key=lambda t: t.id)
    transition = rm.undo(store.run, last, [], HOLDER, T0, clock())
    store.apply(transition)
    assert transition.reopened and store.run.status == RUN_ACTIVE and store.run.current_step_no == 4
    assert store.run.finished_at is None


@pytest.mark.parametrize(
    ("who", "window_start", "after_next", "reason"),
    [(SECOND, T0, False, "not_author"), (HOLDER, T0 + timedelta(seconds=1), False, "window_passed"),
     (HOLDER, T0, True, "next_acted")],
)
def test_undo_refusals(who: int, window_start: datetime, after_next: bool, reason: str) -> None:
    store = FakeStore(sop())
    store.press()
    if after_next:
        store.press()
    with pytest.raises(TransitionRefused) as refused:
        rm.undo(store.run, store.tasks[1], followers(store, 1), who, window_start, clock())
    assert refused.value.reason == reason
    assert rm.undo_refusal(store.run, store.tasks[2], [], HOLDER, T0) in (None, "not_author", "not_done")


def test_undo_of_a_task_not_done_and_in_a_cancelled_run_is_refused() -> None:
    store = FakeStore(sop())
    assert rm.undo_refusal(store.run, store.tasks[1], [], HOLDER, T0) == "not_done"
    cancelled = store.run.changed({"status": RUN_CANCELLED})
    assert rm.undo_refusal(cancelled, store.tasks[1], [], HOLDER, T0) == "run_cancelled"


def test_cancel_cancels_every_open_task_and_refuses_a_second_time() -> None:
    store = FakeStore(sop())
    store.press()
    open_tasks = [t for t in store.tasks.values() if t.status in (ACTIVE, WAITING)]
    transition = rm.cancel(store.run, open_tasks, COORD, "salah", T0)
    store.apply(transition)
    assert store.run.status == RUN_CANCELLED and store.run.cancelled_by == COORD and not store.active()
    assert set(transition.cancelled_ids) == {2, 3}
    with pytest.raises(TransitionRefused, match="run_not_active"):
        rm.cancel(store.run, [], COORD, None, T0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["ok", "revisi", "undo"]), max_size=30))
def test_any_sequence_of_presses_keeps_one_active_task_and_undo_restores_the_state(moves: list[str]) -> None:
    """Whatever the decisions and undos, a run has one active task until it finishes, and
    an undo puts back exactly the active task and the run's step and pass of before."""
    store = FakeStore(sop())
    history: list[tuple[int, int | None, int, TaskState]] = []
    for move in moves:
        if store.run.status == RUN_FINISHED:
            break
        (task,) = store.active()
        if move == "undo":
            if not history:
                continue
            active_id, step, pass_no, done = history.pop()
            store.apply(rm.undo(store.run, store.tasks[done.id], followers(store, done.id), HOLDER, T0, clock()))
            assert [t.id for t in store.active()] == [active_id]
            assert (store.run.current_step_no, store.run.pass_no) == (step, pass_no)
            continue
        deciding = rm.is_decision(store.sop, task.step_no, task.chain_index)
        before = (task.id, store.run.current_step_no, store.run.pass_no)
        store.press(outcome=move if deciding else None)
        history.append((*before, store.tasks[task.id]))
        assert len(store.active()) == (0 if store.run.status == RUN_FINISHED else 1)

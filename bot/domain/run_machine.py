"""How a run moves, as pure functions: complete a task, advance, start a step, undo, cancel.

Runs are strictly sequential: steps follow each other (or a decision's ``goto``) and the
actors of a step act one after another, so a run has exactly one active task until it
ends. Every function here takes the state it needs (:mod:`bot.domain.run_state`) and
returns a :class:`Transition` saying exactly what changes; the repository applies it with
conditional UPDATEs whose row counts it checks, backed by the unique index allowing one
active task per run. A task that becomes active is armed for its first nag from the
chat's calendar and the nag policy; one that stops being active is disarmed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain import permissions
from bot.domain.calendars import WorkingCalendar
from bot.domain.nag_policy import NagPolicy
from bot.domain.run_state import (
    ACTIVE,
    CANCELLED,
    DONE,
    OPEN,
    RUN_ACTIVE,
    RUN_CANCELLED,
    RUN_FINISHED,
    WAITING,
    NewTask,
    PressState,
    RunChange,
    RunState,
    TaskState,
    TaskUpdate,
    Transition,
    TransitionRefused,
)
from bot.domain.sop import Outcome, SopDefinition


@dataclass(frozen=True)
class Completion:
    """Who completes the task and how: a confirmation, a decision, or on someone's behalf."""

    by: int
    note: str | None = None
    outcome: Outcome | None = None
    #: The decision's reason (decisions), or the on-behalf reason (with `on_behalf`).
    reason: str | None = None
    on_behalf: bool = False
    #: "plh"/"plt" when a substitute acts for the holder.
    acting_as: str | None = None


@dataclass(frozen=True)
class Clock:
    """The instant of the operation and how first nags are computed from it."""

    now: datetime
    calendar: WorkingCalendar
    nag_policy: NagPolicy

    def first_nag(self, due: datetime | None) -> datetime | None:
        return self.nag_policy.first_at(self.calendar, self.now, due) if due is not None else None


def is_decision(sop: SopDefinition, step_no: int, chain_index: int) -> bool:
    """The last actor of a decision step decides; earlier actors of its chain confirm."""
    step = sop.step_by_no[step_no]
    return step.decision is not None and chain_index == len(step.actors) - 1


def require_current(state: PressState) -> None:
    """Refuse unless the task is the one the run waits for."""
    if state.task.status != ACTIVE:
        raise TransitionRefused("not_current", state.task, state.run)
    if state.run.status != RUN_ACTIVE:
        raise TransitionRefused("run_not_active", state.task, state.run)


def start_step(
    run: RunState, sop: SopDefinition, step_no: int, clock: Clock, origin_id: int | None, *, revisit: bool
) -> tuple[tuple[NewTask, ...], int]:
    """The step's chain: first actor active, the rest waiting, one shared due time.

    Coming back to a step already run in this pass (`revisit`) opens a new pass; the old
    rows stay for the history. Returns the rows and the pass they belong to.
    """
    pass_no = run.pass_no + 1 if revisit else run.pass_no
    step = sop.step_by_no[step_no]
    due = clock.calendar.add_working_minutes(clock.now, step.minutes) if step.has_standard_time else None
    nag_at = clock.first_nag(due)
    tasks = tuple(
        NewTask(
            run_id=run.id,
            step_no=step_no,
            chain_index=index,
            pass_no=pass_no,
            role_key=role_key,
            status=ACTIVE if index == 0 else WAITING,
            standard_minutes=step.minutes,
            created_at=clock.now,
            started_at=clock.now if index == 0 else None,
            due_at=due,
            created_by_task_id=origin_id,
            activated_by_task_id=origin_id if index == 0 else None,
            next_nag_at=nag_at if index == 0 else None,
        )
        for index, role_key in enumerate(step.actor_keys)
    )
    return tasks, pass_no


def complete(state: PressState, sop: SopDefinition, completion: Completion, clock: Clock) -> Transition:
    """active → done, then advance: the chain's next actor, else the next step (or the
    decision's goto), else the run finishes."""
    require_current(state)
    task, run = state.task, state.run
    deciding = is_decision(sop, task.step_no, task.chain_index)
    if deciding and completion.outcome is None:
        raise TransitionRefused("is_a_decision", task, run)
    if not deciding and completion.outcome is not None:
        raise TransitionRefused("not_a_decision", task, run)
    outcome = completion.outcome
    done_values = {
        "acting_as": None if completion.on_behalf else completion.acting_as,
        "status": DONE,
        "completed_at": clock.now,
        "completed_by": completion.by,
        "on_behalf": completion.on_behalf,
        "on_behalf_reason": completion.reason if completion.on_behalf else None,
        "note": completion.note,
        "outcome_key": outcome.key if outcome else None,
        "decision_reason": completion.reason if outcome else None,
        "next_nag_at": None,
    }
    done = TaskUpdate(task.id, (ACTIVE,), done_values)
    after = task.changed(done_values)
    following = next((t for t in state.chain if t.chain_index == task.chain_index + 1 and t.status != CANCELLED), None)
    if following is not None:
        values = {
            "status": ACTIVE,
            "started_at": clock.now,
            "activated_by_task_id": task.id,
            "next_nag_at": clock.first_nag(following.due_at),
        }
        return Transition(
            task=after, run=run, task_updates=(done, TaskUpdate(following.id, (WAITING,), values)),
            activated=following.changed(values), outcome=outcome, rearm=True,
        )
    target = outcome.goto if outcome is not None and outcome.goto is not None else sop.next_step_no(task.step_no)
    if target is None:
        finish = {"status": RUN_FINISHED, "finished_at": clock.now, "current_step_no": None}
        return Transition(
            task=after, run=run.changed(finish), task_updates=(done,), run_change=RunChange(RUN_ACTIVE, finish),
            step_done=True, run_finished=True, outcome=outcome, rearm=True,
        )
    revisit = target in state.steps_in_pass
    inserts, pass_no = start_step(run, sop, target, clock, task.id, revisit=revisit)
    moved = {"current_step_no": target, "pass_no": pass_no}
    return Transition(
        task=after, run=run.changed(moved), task_updates=(done,), task_inserts=inserts,
        run_change=RunChange(RUN_ACTIVE, moved), step_done=True, new_pass=revisit, target_step_no=target,
        outcome=outcome, rearm=True,
    )


def undo_refusal(
    run: RunState, task: TaskState, followers: Sequence[TaskState], user_id: int, window_start: datetime
) -> str | None:
    """Why this confirmation cannot be taken back (one of UNDO_REASONS), or None: the
    rule is :func:`bot.domain.permissions.undo_refusal`'s, on this state's facts."""
    completion = permissions.Completion(
        run_cancelled=run.status == RUN_CANCELLED,
        done=task.status == DONE,
        completed_by=task.completed_by,
        completed_at=task.completed_at,
        followers_acted=any(f.status not in OPEN for f in followers),
    )
    return permissions.undo_refusal(user_id, completion, window_start)


def undo(
    run: RunState,
    task: TaskState,
    followers: Sequence[TaskState],
    user_id: int,
    window_start: datetime,
    clock: Clock,
) -> Transition:
    """Take back the last completion while nobody acted after it.

    `followers` are the live tasks the completion created (a step it started: cancelled)
    or activated (the chain's next actor: back to waiting). The task is active again,
    re-armed; a finished run reopens on the task's step and pass.
    """
    refusal = undo_refusal(run, task, followers, user_id, window_start)
    if refusal is not None:
        raise TransitionRefused(refusal, task, run)
    created = tuple(f.id for f in followers if f.created_by_task_id == task.id)
    activated = tuple(f.id for f in followers if f.created_by_task_id != task.id)
    updates = [TaskUpdate(i, OPEN, {"status": CANCELLED, "next_nag_at": None}) for i in created]
    updates += [
        TaskUpdate(i, (ACTIVE,), {"status": WAITING, "started_at": None, "activated_by_task_id": None,
                                  "next_nag_at": None})
        for i in activated
    ]
    reopen = {
        "status": ACTIVE, "completed_at": None, "completed_by": None, "on_behalf": False,
        "on_behalf_reason": None, "note": None, "outcome_key": None, "decision_reason": None,
        "acting_as": None, "next_nag_at": clock.first_nag(task.due_at),
    }
    updates.append(TaskUpdate(task.id, (DONE,), reopen))
    back = {"status": RUN_ACTIVE, "finished_at": None, "current_step_no": task.step_no, "pass_no": task.pass_no}
    return Transition(
        task=task.changed(reopen), run=run.changed(back), task_updates=tuple(updates),
        run_change=RunChange(run.status, back), rearm=True,
        cancelled_ids=created, reverted_ids=activated, reopened=run.status == RUN_FINISHED,
    )


def cancel(run: RunState, open_tasks: Sequence[TaskState], by: int, reason: str | None, now: datetime) -> Transition:
    """Stop an active run for good: every open task is cancelled and disarmed."""
    if run.status != RUN_ACTIVE:
        raise TransitionRefused("run_not_active", None, run)
    values = {"status": RUN_CANCELLED, "cancelled_at": now, "cancelled_by": by, "cancel_reason": reason}
    updates = tuple(TaskUpdate(t.id, OPEN, {"status": CANCELLED, "next_nag_at": None}) for t in open_tasks)
    return Transition(
        task=None, run=run.changed(values), task_updates=updates, run_change=RunChange(RUN_ACTIVE, values),
        rearm=True, cancelled_ids=tuple(t.id for t in open_tasks),
    )

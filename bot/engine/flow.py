"""How a run moves: completing a task, activating the next actor, starting a step,
finishing the run, and taking one confirmation back (undo).

Runs are strictly sequential: steps follow each other (or a decision's ``goto``) and the
actors of a step act one after another, so a run has exactly one active task until it
ends. Every transition is a conditional UPDATE whose row count is checked: whoever loses
a race gets a refusal instead of advancing the run a second time. The database backs
this with a unique index allowing one active task per run.

A task that becomes active is armed for its first nag (``next_nag_at``, from the chat's
calendar and the nag policy); one that stops being active is disarmed, in the same
statement, so the deadline scheduler's view of the database is never stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import CursorResult, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from bot.engine import store
from bot.engine.effects import Op
from bot.engine.errors import TaskNotCurrent
from bot.engine.ports import WorkingCalendar
from bot.domain.sop import Outcome, SopDefinition
from storage.models import Run, RunStatus, Task, TaskStatus


@dataclass
class Advance:
    """What completing one task set in motion."""

    next_tasks: list[Task] = field(default_factory=list)
    #: Every row of a step just started (its whole chain); empty otherwise.
    created: list[Task] = field(default_factory=list)
    step_done: bool = False
    run_finished: bool = False
    new_pass: bool = False
    target_step_no: int | None = None


def not_current(task: Task) -> TaskNotCurrent:
    assert task.id is not None
    return TaskNotCurrent(
        task_id=task.id,
        status=task.status,
        completed_by=task.completed_by,
        completed_at=task.completed_at,
        on_behalf=task.on_behalf,
    )


def _changed(op: Op, statement: object) -> int:
    result = op.session.execute(statement)  # type: ignore[call-overload]
    assert isinstance(result, CursorResult)
    return result.rowcount


def _settled(op: Op, task: Task, changed: int, values: dict[str, object]) -> None:
    """After a conditional UPDATE of `task`: take its new values, or refuse if it lost the race.

    A won race wrote exactly `values`, so the object takes them without reading the row
    again; a lost one reads it, to say who was first.
    """
    if changed != 1:
        op.session.refresh(task)
        raise not_current(task)
    for key, value in values.items():
        set_committed_value(task, key, value)


def first_nag(op: Op, calendar: WorkingCalendar, due: datetime | None) -> datetime | None:
    """When a task becoming active now gets its first nag; the scheduler must re-read."""
    op.rearm = True
    return op.nag_policy.first_at(calendar, op.now, due) if due is not None else None


def complete(
    op: Op,
    task: Task,
    *,
    by: int,
    note: str | None = None,
    on_behalf_reason: str | None = None,
    outcome_key: str | None = None,
    decision_reason: str | None = None,
    acting_as: str | None = None,
) -> None:
    """active → done, only if still active; otherwise the caller learns who was first."""
    values = {
        "acting_as": acting_as,
        "status": TaskStatus.DONE,
        "completed_at": op.now,
        "completed_by": by,
        "on_behalf": on_behalf_reason is not None,
        "on_behalf_reason": on_behalf_reason,
        "note": note,
        "outcome_key": outcome_key,
        "decision_reason": decision_reason,
        "next_nag_at": None,
    }
    changed = _changed(
        op, update(Task).where(col(Task.id) == task.id, col(Task.status) == TaskStatus.ACTIVE).values(**values)
    )
    op.rearm = True
    _settled(op, task, changed, values)


def start_step(
    op: Op, run: Run, sop: SopDefinition, step_no: int, calendar: WorkingCalendar, origin: Task | None
) -> tuple[list[Task], bool]:
    """Create the step's chain: first actor active, the rest waiting, one shared due time.

    Coming back to a step already run in this pass (a decision sent the run back) opens
    a new pass; the old rows stay for the history.
    """
    assert run.id is not None
    new_pass = bool(store.step_tasks(op.session, run.id, step_no, run.pass_no))
    if new_pass:
        run.pass_no += 1
    step = sop.step_by_no[step_no]
    due = calendar.add_working_minutes(op.now, step.minutes) if step.has_standard_time else None
    nag_at = first_nag(op, calendar, due)
    origin_id = origin.id if origin is not None else None
    tasks = [
        Task(
            run_id=run.id,
            step_no=step_no,
            chain_index=index,
            pass_no=run.pass_no,
            role_key=role_key,
            status=TaskStatus.ACTIVE if index == 0 else TaskStatus.WAITING,
            standard_minutes=step.minutes,
            started_at=op.now if index == 0 else None,
            due_at=due,
            created_at=op.now,
            created_by_task_id=origin_id,
            activated_by_task_id=origin_id if index == 0 else None,
            next_nag_at=nag_at if index == 0 else None,
        )
        for index, role_key in enumerate(step.actor_keys)
    ]
    op.session.add_all(tasks)
    run.current_step_no = step_no
    op.session.flush()
    return tasks, new_pass


def advance(
    op: Op, run: Run, sop: SopDefinition, done: Task, calendar: WorkingCalendar, outcome: Outcome | None
) -> Advance:
    """Move on after `done`: next actor of the chain, else the next step, else finish."""
    chain = store.step_tasks(op.session, run.id or 0, done.step_no, done.pass_no)
    following = next((t for t in chain if t.chain_index == done.chain_index + 1), None)
    if following is not None:
        values = {
            "status": TaskStatus.ACTIVE,
            "started_at": op.now,
            "activated_by_task_id": done.id,
            "next_nag_at": first_nag(op, calendar, following.due_at),
        }
        changed = _changed(
            op,
            update(Task)
            .where(col(Task.id) == following.id, col(Task.status) == TaskStatus.WAITING)
            .values(**values),
        )
        _settled(op, following, changed, values)
        return Advance(next_tasks=[following])
    target = outcome.goto if outcome is not None and outcome.goto is not None else sop.next_step_no(done.step_no)
    if target is None:
        run.status = RunStatus.FINISHED
        run.finished_at = op.now
        run.current_step_no = None
        op.session.flush()
        return Advance(step_done=True, run_finished=True)
    tasks, new_pass = start_step(op, run, sop, target, calendar, done)
    return Advance(next_tasks=tasks[:1], created=tasks, step_done=True, new_pass=new_pass, target_step_no=target)


@dataclass
class Reversal:
    cancelled: list[int]
    reverted: list[int]
    reopened: bool


def reverse(op: Op, run: Run, task: Task, followers: list[Task], calendar: WorkingCalendar) -> Reversal:
    """Take back the completion of `task`; the caller has checked nobody acted after it.

    Rounds already sent for `task` stay in the nag log, so undoing does not repeat them.
    """
    created = [f.id for f in followers if f.created_by_task_id == task.id]
    activated = [f.id for f in followers if f.created_by_task_id != task.id]
    if created:
        changed = _changed(
            op,
            update(Task)
            .where(col(Task.id).in_(created), col(Task.status).in_([TaskStatus.ACTIVE, TaskStatus.WAITING]))
            .values(status=TaskStatus.CANCELLED, next_nag_at=None),
        )
        if changed != len(created):
            raise not_current(task)
    for follower_id in activated:
        changed = _changed(
            op,
            update(Task)
            .where(col(Task.id) == follower_id, col(Task.status) == TaskStatus.ACTIVE)
            .values(status=TaskStatus.WAITING, started_at=None, activated_by_task_id=None, next_nag_at=None),
        )
        if changed != 1:
            raise not_current(task)
    changed = _changed(
        op,
        update(Task)
        .where(col(Task.id) == task.id, col(Task.status) == TaskStatus.DONE)
        .values(
            status=TaskStatus.ACTIVE,
            completed_at=None,
            completed_by=None,
            on_behalf=False,
            on_behalf_reason=None,
            note=None,
            outcome_key=None,
            decision_reason=None,
            acting_as=None,
            next_nag_at=first_nag(op, calendar, task.due_at),
        ),
    )
    op.session.refresh(task)
    if changed != 1:
        raise not_current(task)
    reopened = run.status == RunStatus.FINISHED
    run.status = RunStatus.ACTIVE
    run.finished_at = None
    run.current_step_no = task.step_no
    run.pass_no = task.pass_no
    op.session.flush()
    return Reversal(cancelled=[i for i in created if i], reverted=[i for i in activated if i], reopened=reopened)

"""Starting a run's first step with the ORM, and the refusal for a task that moved on.

How a run moves is :mod:`bot.domain.run_machine` (pure); a press applies it through
:mod:`storage.repositories.presses`. Runs are strictly sequential, so a run has exactly
one active task until it ends; every transition is a conditional UPDATE whose row count
is checked (whoever loses a race gets a refusal instead of advancing the run a second
time), and the database backs this with a unique index allowing one active task per run.

A task that becomes active is armed for its first nag (``next_nag_at``, from the chat's
calendar and the nag policy); one that stops being active is disarmed, in the same
statement, so the deadline scheduler's view of the database is never stale.
"""

from __future__ import annotations

from dataclasses import asdict

from bot.domain import run_machine
from bot.domain.run_state import RunState
from bot.domain.sop import SopDefinition
from bot.engine.effects import Op
from bot.engine.errors import TaskNotCurrent
from bot.engine.ports import WorkingCalendar
from storage.models import Run, Task
from storage.repositories import run_store as store


def not_current(task: Task) -> TaskNotCurrent:
    assert task.id is not None
    return TaskNotCurrent(
        task_id=task.id,
        status=task.status,
        completed_by=task.completed_by,
        completed_at=task.completed_at,
        on_behalf=task.on_behalf,
    )


def start_step(
    op: Op, run: Run, sop: SopDefinition, step_no: int, calendar: WorkingCalendar, origin: Task | None
) -> tuple[list[Task], bool]:
    """Create the first step's chain of a run just started (the run machine's rows)."""
    assert run.id is not None
    state = RunState(id=run.id, chat_id=run.chat_id, number=run.number, sop_version_id=run.sop_version_id,
                     title=run.title, coordinator_id=run.coordinator_id, status=run.status,
                     current_step_no=run.current_step_no, pass_no=run.pass_no, started_at=run.started_at)
    clock = run_machine.Clock(now=op.now, calendar=calendar, nag_policy=op.nag_policy)
    rows, _ = run_machine.start_step(state, sop, step_no, clock, origin.id if origin else None, revisit=False)
    op.rearm = True
    tasks = [Task(**asdict(row)) for row in rows]
    run.current_step_no = step_no
    store.insert_rows(op.session, tasks)
    return tasks, False

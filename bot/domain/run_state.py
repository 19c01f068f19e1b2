"""What the run state machine reads and what it says must change, as frozen values.

The machine (:mod:`bot.domain.run_machine`) never touches the database: a repository
loads a :class:`PressState`, the machine returns a :class:`Transition`, and the
repository applies it with conditional UPDATEs (each :class:`TaskUpdate` names the
status the row must still have, so a lost race is seen as a refusal, never as a second
advance). The facts a reply and the notifications need travel with the transition, so
nothing written has to be read back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.domain.sop import Outcome

# Task and run statuses, as stored (storage.models mirrors them; the domain may not import it).
WAITING, ACTIVE, DONE, CANCELLED = "waiting", "active", "done", "cancelled"
RUN_ACTIVE, RUN_FINISHED, RUN_CANCELLED = "active", "finished", "cancelled"
#: The statuses of a task still to do (what cancelling a run or undoing a step takes away).
OPEN = (ACTIVE, WAITING)


@dataclass(frozen=True)
class TaskState:
    """One actor's share of one step in one pass (the columns of a task row)."""

    id: int
    run_id: int
    step_no: int
    chain_index: int
    pass_no: int
    role_key: str
    status: str
    standard_minutes: int
    created_at: datetime
    started_at: datetime | None = None
    due_at: datetime | None = None
    completed_at: datetime | None = None
    completed_by: int | None = None
    on_behalf: bool = False
    on_behalf_reason: str | None = None
    note: str | None = None
    outcome_key: str | None = None
    decision_reason: str | None = None
    created_by_task_id: int | None = None
    activated_by_task_id: int | None = None
    next_nag_at: datetime | None = None
    nag_round: int | None = None
    acting_as: str | None = None

    def changed(self, values: Mapping[str, Any]) -> TaskState:
        return replace(self, **values)


@dataclass(frozen=True)
class RunState:
    """A run's row: the machine uses status, step and pass; the rest is for the views."""

    id: int
    chat_id: int
    number: int
    sop_version_id: int
    title: str
    coordinator_id: int
    status: str
    current_step_no: int | None
    pass_no: int
    started_at: datetime
    has_covers: bool = False
    finished_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancelled_by: int | None = None
    cancel_reason: str | None = None

    def changed(self, values: Mapping[str, Any]) -> RunState:
        return replace(self, **values)


@dataclass(frozen=True)
class PressState:
    """What a press on one task needs: the run (locked), the task and its step's live chain.

    `steps_in_pass` are the steps with live tasks in the run's current pass: going to one
    of them again (a decision sent the run back) opens a new pass.
    """

    run: RunState
    task: TaskState
    chain: tuple[TaskState, ...] = ()
    steps_in_pass: frozenset[int] = frozenset()


@dataclass(frozen=True)
class NewTask:
    """A task row to insert (its id is the database's)."""

    run_id: int
    step_no: int
    chain_index: int
    pass_no: int
    role_key: str
    status: str
    standard_minutes: int
    created_at: datetime
    started_at: datetime | None
    due_at: datetime | None
    created_by_task_id: int | None
    activated_by_task_id: int | None
    next_nag_at: datetime | None


@dataclass(frozen=True)
class TaskUpdate:
    """Set `values` on a task only while its status is one of `expected`."""

    task_id: int
    expected: tuple[str, ...]
    values: Mapping[str, Any]


@dataclass(frozen=True)
class RunChange:
    """Set `values` on the run only while its status is `expected`."""

    expected: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class Transition:
    """Everything one operation changes, and what it set in motion.

    `task` is the task the operation was about, as it is afterwards (None for a cancel); `activated` the next
    actor of the same chain made active; `inserted` the rows of a step just started (the
    first is the new active task). `rearm` says the deadline scheduler must re-read.
    """

    task: TaskState | None
    run: RunState
    task_updates: tuple[TaskUpdate, ...] = ()
    task_inserts: tuple[NewTask, ...] = ()
    run_change: RunChange | None = None
    activated: TaskState | None = None
    step_done: bool = False
    run_finished: bool = False
    new_pass: bool = False
    target_step_no: int | None = None
    outcome: Outcome | None = None
    rearm: bool = False
    #: Undo: tasks cancelled, tasks put back to waiting, and whether a finished run reopened.
    cancelled_ids: tuple[int, ...] = ()
    reverted_ids: tuple[int, ...] = ()
    reopened: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


class TransitionRefused(Exception):
    """The state does not allow the transition; `reason` names why.

    Reasons: ``not_current`` (the task is not the active one), ``run_not_active``,
    ``is_a_decision`` / ``not_a_decision`` (the wrong kind of completion), and for undo
    the :data:`UNDO_REASONS`.
    """

    def __init__(self, reason: str, task: TaskState | None = None, run: RunState | None = None) -> None:
        super().__init__(reason)
        self.reason, self.task, self.run = reason, task, run


UNDO_REASONS = ("run_cancelled", "not_done", "not_author", "window_passed", "next_acted")

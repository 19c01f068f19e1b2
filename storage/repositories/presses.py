"""Loading what a press needs and applying what the run state machine decided.

A press reads in two statements: the run (locked), its chat's time zone and the task's
live rows of the current pass in one; the run's holders and the people to name or notify
in the other (a third only for a run with a Plh./Plt. in force). It writes with
conditional UPDATEs whose row counts are checked — a lost race is a :class:`LostRace`,
never a second advance; the unique index allowing one active task per run backs the
inserts of a new step.

Locking (see :mod:`storage.repositories.run_store`): on PostgreSQL the run row is taken ``FOR NO KEY
UPDATE`` (``OF runs`` only), which serialises the writers of one run without blocking
inserts that merely reference it. The task rows come from the same statement: should a
concurrent writer have changed them meanwhile, the conditional UPDATE of the task being
completed (it must still be active) is what notices, since every change of a run's state
changes its one active task. SQLite write transactions are serialised by ``BEGIN
IMMEDIATE`` already.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, Select, and_, bindparam, or_, select, update
from sqlmodel import Session, col

from bot.domain.delegation import Cover, effective_holders
from bot.domain.run_state import CANCELLED, PressState, RunState, TaskState, Transition
from storage.models import (
    AssignmentStatus,
    AuditEvent,
    Chat,
    OutboxMessage,
    RoleAssignment,
    User,
)
from storage.repositories import covers as cover_reads
from storage.repositories.rows import (
    RUN_FIELDS,
    RUNS,
    TASK_FIELDS,
    TASKS,
    insert_returning_ids,
    run_state,
    task_state,
    values,
)

_CHATS = Chat.__table__  # type: ignore[attr-defined]
_RUN_COLUMNS = [RUNS.c[name].label(f"r_{name}") for name in RUN_FIELDS]
_TASK_COLUMNS = [TASKS.c[name] for name in TASK_FIELDS]


class NoSuchTaskRow(LookupError):
    """No task with that id (tasks never outlive their run)."""


class LostRace(Exception):
    """A conditional UPDATE changed no row: someone acted first. `task` is the row now."""

    def __init__(self, task: TaskState) -> None:
        super().__init__(task.id)
        self.task = task


@dataclass(frozen=True)
class People:
    """Who holds the run's roles now, and the user rows of everyone a press may name."""

    assigned: dict[str, int]
    covers: dict[str, Cover]
    acting: dict[str, int]
    users: dict[int, User]


@dataclass(frozen=True)
class Loaded:
    state: PressState
    timezone: str | None


def _run_and_tasks(*, followers: bool, for_update: bool) -> Select[Any]:
    """Built once per shape (see :data:`_LOADS`), the task id a bound parameter: building
    the statement each press cost more CPU than running it."""
    task_id = bindparam("task_id")
    owner = select(TASKS.c.run_id).where(TASKS.c.id == task_id).scalar_subquery()
    if followers:  # undo: the task and the live rows its completion created or activated
        wanted = or_(
            TASKS.c.id == task_id,
            and_(or_(TASKS.c.created_by_task_id == task_id, TASKS.c.activated_by_task_id == task_id),
                 TASKS.c.status != CANCELLED),
        )
    else:  # a completion: the task and the live rows of the run's current pass
        wanted = or_(TASKS.c.id == task_id, and_(TASKS.c.pass_no == RUNS.c.pass_no, TASKS.c.status != CANCELLED))
    query = (
        select(*_RUN_COLUMNS, _CHATS.c.timezone.label("r_timezone"), *_TASK_COLUMNS)
        .select_from(RUNS.join(TASKS, TASKS.c.run_id == RUNS.c.id).outerjoin(_CHATS, _CHATS.c.id == RUNS.c.chat_id))
        .where(RUNS.c.id == owner, wanted)
        .order_by(TASKS.c.id)
    )
    return query.with_for_update(key_share=True, of=RUNS) if for_update else query


_LOADS = {(f, u): _run_and_tasks(followers=f, for_update=u) for f in (False, True) for u in (False, True)}


def _people_query() -> Select[Any]:
    """The run's active holders with their user rows, plus the users named by id."""
    run_id = bindparam("run_id")
    active = col(RoleAssignment.status) == AssignmentStatus.ACTIVE.value
    holding = select(RoleAssignment.user_id).where(RoleAssignment.run_id == run_id, active)
    return (
        select(User, RoleAssignment.role_key)
        .outerjoin(RoleAssignment, and_(RoleAssignment.user_id == User.id, RoleAssignment.run_id == run_id, active))
        .where(or_(col(User.id).in_(holding), col(User.id).in_(bindparam("named", expanding=True))))
    )


_PEOPLE = _people_query()
_TASK_BY_ID = select(*_TASK_COLUMNS).where(TASKS.c.id == bindparam("task_id"))


class PressRepository:
    """The SQL of one press on a task (confirm, decide, on behalf, undo), in one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reads ------------------------------------------------------------------------
    def lock(
        self, task_id: int, *, followers: bool = False, for_update: bool = True
    ) -> tuple[Loaded, list[TaskState]]:
        """The run (locked unless only reading), the task, and either its pass's live rows
        or its followers (the live rows its completion created or activated)."""
        rows = list(self.session.execute(_LOADS[followers, for_update], {"task_id": task_id}))
        if not rows:
            raise NoSuchTaskRow(task_id)
        run = run_state(rows[0], "r_")
        tasks = [task_state(row) for row in rows]
        task = next(t for t in tasks if t.id == task_id)
        others = [t for t in tasks if t.id != task_id]
        if followers:
            return Loaded(PressState(run=run, task=task), rows[0]._mapping["r_timezone"]), others
        live = [t for t in tasks if t.status != CANCELLED and t.pass_no == run.pass_no]
        chain = tuple(sorted((t for t in live if t.step_no == task.step_no and t.pass_no == task.pass_no),
                             key=lambda t: t.chain_index))
        state = PressState(run=run, task=task, chain=chain, steps_in_pass=frozenset(t.step_no for t in live))
        return Loaded(state, rows[0]._mapping["r_timezone"]), others

    def people(self, run: RunState, at: datetime, extra: Iterable[int] = ()) -> People:
        """Holders (assigned and acting, with any Plh./Plt. in force) and their user rows.

        One statement reads the assignments with their users; the coordinator (and any
        substitute) are fetched in the same statement as a union of ids.
        """
        covers = cover_reads.in_force_for(self.session, run.id, run.has_covers, at)
        named = {run.coordinator_id, *extra, *(c.substitute_id for c in covers.values()),
                 *(c.holder_id for c in covers.values())}
        wanted_extra = sorted(i for i in named if i is not None)  # a Plt. of a vacant role has no holder
        assigned: dict[str, int] = {}
        users: dict[int, User] = {}
        for user, role_key in self.session.execute(_PEOPLE, {"run_id": run.id, "named": wanted_extra}):
            users[user.id] = user
            if role_key is not None:
                assigned[role_key] = user.id
        acting = effective_holders(assigned, covers.values(), at)
        return People(assigned=assigned, covers=covers, acting=acting, users=users)

    def task(self, task_id: int) -> TaskState:
        row = self.session.execute(_TASK_BY_ID, {"task_id": task_id}).first()
        if row is None:
            raise NoSuchTaskRow(task_id)
        return task_state(row)

    # -- writes -----------------------------------------------------------------------
    def apply(self, transition: Transition) -> list[TaskState]:
        """Write the transition: checked task updates, the run's change, the new rows.

        Returns the inserted tasks with their ids, in chain order.
        """
        for change in transition.task_updates:
            statement = (
                update(TASKS)
                .where(TASKS.c.id == change.task_id, TASKS.c.status.in_(change.expected))
                .values(**change.values)
            )
            result = self.session.execute(statement)
            assert isinstance(result, CursorResult)
            if result.rowcount != 1:
                raise LostRace(self.task(change.task_id))
        if transition.run_change is not None:
            result = self.session.execute(
                update(RUNS)
                .where(RUNS.c.id == transition.run.id, RUNS.c.status == transition.run_change.expected)
                .values(**transition.run_change.values)
            )
            assert isinstance(result, CursorResult)
            if result.rowcount != 1 and transition.task is not None:
                raise LostRace(self.task(transition.task.id))
        if not transition.task_inserts:
            return []
        ids = insert_returning_ids(self.session, TASKS, [values(row) for row in transition.task_inserts])
        return [
            TaskState(id=new_id, **values(row))
            for new_id, row in zip(ids, transition.task_inserts, strict=True)
        ]

    def withdraw_calls_to_act(self, task_id: int, completions: Iterable[str], keep_kind: str, now: datetime) -> None:
        """Unsent messages of the task's last completion (but its group notice) are abandoned:
        after an undo, a "your turn" would mislead. One UPDATE, the event found inside it."""
        last = (
            select(AuditEvent.id)
            .where(AuditEvent.task_id == task_id, col(AuditEvent.kind).in_(list(completions)))
            .order_by(col(AuditEvent.id).desc())
            .limit(1)
            .scalar_subquery()
        )
        self.session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.event_id) == last, col(OutboxMessage.sent_at).is_(None),
                   col(OutboxMessage.kind) != keep_kind)
            .values(abandoned_at=now, last_error="withdrawn: confirmation undone")
        )

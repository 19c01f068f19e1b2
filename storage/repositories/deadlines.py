"""The deadline tick's reads and writes: the tasks due, the nag_log claims, the re-arming.

The rules (which round a task is in, who hears about it) live above, in
:mod:`bot.domain.nag_policy` and :mod:`bot.deadlines.recipients`; this module only moves
rows, in the transaction the tick opened:

* :meth:`DeadlineRepository.due` takes the tasks whose ``next_nag_at`` has come, oldest
  first, locked with ``FOR NO KEY UPDATE … SKIP LOCKED`` on PostgreSQL (two processes
  share the work instead of queueing; SQLite's ``BEGIN IMMEDIATE`` serialises anyway);
* :meth:`DeadlineRepository.claim` inserts one ``nag_log`` row per (task, round) with
  ``ON CONFLICT DO NOTHING``: the rows that come back are the claims this transaction won,
  so a round is sent once, after a restart or with two schedulers alike;
* :meth:`DeadlineRepository.rearm` moves every task of the batch to its next moment in
  one executemany UPDATE.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, bindparam, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.delegation_tables import Delegation
from storage.models import (
    AssignmentStatus,
    NagLog,
    OutboxMessage,
    RoleAssignment,
    Run,
    RunStatus,
    Task,
    TaskStatus,
    User,
)
from storage.repositories import covers

TASKS: Table = Task.__table__  # type: ignore[attr-defined]
#: Rows per INSERT: the bound parameters stay below the drivers' limits.
INSERT_CHUNK = 1000


@dataclass(frozen=True)
class DueTask:
    """A task whose nag moment has come, with what the tick needs of its run."""

    task_id: int
    run_id: int
    chat_id: int
    role_key: str
    due_at: datetime | None
    nag_round: int | None
    sop_version_id: int
    coordinator_id: int
    has_covers: bool
    #: Both the task and its run are still active (otherwise it is only disarmed).
    active: bool


@dataclass(frozen=True)
class NagClaim:
    """One nag_log row to insert: the claim to send `round` of a task."""

    task_id: int
    round: int
    run_id: int
    late_minutes: int


@dataclass(frozen=True)
class Rearm:
    """A task's next nag moment (None: no longer armed) and the round it is at."""

    task_id: int
    next_at: datetime | None
    round: int | None


class DeadlineRepository:
    """The deadline queries over one session (a tick's transaction, or a read)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def next_due(self) -> datetime | None:
        """The earliest pending nag or delegation (Plh./Plt.) change: two indexed MINs in one
        statement, whatever the number of open tasks."""
        nag = select(func.min(Task.next_nag_at)).scalar_subquery()
        change = select(func.min(Delegation.next_change_at)).scalar_subquery()
        found = self.session.execute(select(nag, change)).one()
        return min((m for m in found if m is not None), default=None)

    def due(self, now: datetime, limit: int) -> list[DueTask]:
        """Up to `limit` tasks whose ``next_nag_at`` is not after `now`, oldest first, locked."""
        rows = self.session.exec(
            select(Task, Run)
            .join(Run, col(Run.id) == col(Task.run_id))
            .where(col(Task.next_nag_at) <= now)
            .order_by(col(Task.next_nag_at), col(Task.id))
            .limit(limit)
            .with_for_update(of=Task, key_share=True, skip_locked=True)  # type: ignore[arg-type]
        )
        return [
            DueTask(
                task_id=int(task.id or 0),
                run_id=int(run.id or 0),
                chat_id=run.chat_id,
                role_key=task.role_key,
                due_at=task.due_at,
                nag_round=task.nag_round,
                sop_version_id=run.sop_version_id,
                coordinator_id=run.coordinator_id,
                has_covers=run.has_covers,
                active=task.status == TaskStatus.ACTIVE and run.status == RunStatus.ACTIVE,
            )
            for task, run in rows
        ]

    def claim(self, claims: Sequence[NagClaim], now: datetime) -> set[tuple[int, int]]:
        """Insert the nag_log rows; the (task, round) pairs that landed are ours to send."""
        if not claims:
            return set()
        rows = [
            {"task_id": c.task_id, "round": c.round, "run_id": c.run_id, "late_minutes": c.late_minutes,
             "claimed_at": now}
            for c in claims
        ]
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        won: set[tuple[int, int]] = set()
        for start in range(0, len(rows), INSERT_CHUNK):
            statement = (
                dialect.insert(NagLog)
                .values(rows[start : start + INSERT_CHUNK])
                .on_conflict_do_nothing(index_elements=["task_id", "round"])
                .returning(col(NagLog.task_id), col(NagLog.round))
            )
            won.update((task_id, number) for task_id, number in self.session.execute(statement))
        return won

    def rearm(self, moves: Sequence[Rearm]) -> None:
        """Move every task to its next moment, in one executemany UPDATE."""
        if not moves:
            return
        statement = (
            update(TASKS)
            .where(TASKS.c.id == bindparam("b_id"))
            .values(next_nag_at=bindparam("b_next"), nag_round=bindparam("b_round"))
        )
        params = [{"b_id": m.task_id, "b_next": m.next_at, "b_round": m.round} for m in moves]
        self.session.connection().execute(statement, params)

    def holders(self, tasks: Iterable[DueTask], now: datetime) -> dict[tuple[int, str], int]:
        """(run, role) → who acts for it at `now`: the active holder, or the Plh./Plt. in force
        instead (the holder then hears nothing). Read in bulk for all the tasks' runs."""
        tasks = list(tasks)
        run_ids = {t.run_id for t in tasks}
        if not run_ids:
            return {}
        active = self.session.exec(
            select(RoleAssignment).where(
                col(RoleAssignment.run_id).in_(run_ids), RoleAssignment.status == AssignmentStatus.ACTIVE
            )
        )
        found = {(a.run_id, a.role_key): a.user_id for a in active}
        covered = covers.in_force(self.session, (t.run_id for t in tasks if t.has_covers), now)
        for key, cover in covered.items():
            found[key] = cover.substitute_id
        return found

    def reachable(self, user_ids: Iterable[int]) -> set[int]:
        """Those of `user_ids` who may be written to privately (pressed Start, not blocked since)."""
        ids = set(user_ids)
        if not ids:
            return set()
        users = self.session.exec(select(User).where(col(User.id).in_(ids)))
        return {int(u.id or 0) for u in users if u.started_private and u.unreachable_since is None}

    def queue(self, rows: Sequence[OutboxMessage]) -> None:
        """Add the outbox rows to this transaction."""
        self.session.add_all(rows)

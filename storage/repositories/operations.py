"""What an operator wants to know about the database, in a few cheap read-only queries.

Doctor prints it, ``/metrics`` exports it as gauges and ``/healthz`` needs the database to
answer at all. The counts use the indexed columns the bot already queries (the outbox's
pending index, tasks by status), so scraping every 15 seconds costs little.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, not_, or_, select, text
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from storage.models import AssignmentStatus, OutboxMessage, RoleAssignment, Run, RunStatus, Task, TaskStatus, User

#: The unreachable overdue tasks listed at most (doctor shows five of them).
UNREACHABLE_LIMIT = 50


@dataclass(frozen=True)
class OverdueTask:
    run_id: int
    chat_id: int
    task_id: int
    step_no: int
    role_key: str


@dataclass(frozen=True)
class OpsState:
    outbox_backlog: int
    oldest_unsent_at: datetime | None
    abandoned: int
    open_runs: int
    overdue_tasks: int
    #: Overdue tasks whose holder and coordinator the bot cannot write to privately.
    unreachable: list[OverdueTask]


def _reachable(user_id: object) -> object:
    """A person who pressed Start and has not blocked the bot since."""
    return exists().where(
        col(User.id) == user_id, col(User.started_private).is_(True), col(User.unreachable_since).is_(None)
    )


class OperationsRepository:
    """The probes over one (read-only) session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def ping(self) -> None:
        """Raise unless the database answers a query."""
        self.session.execute(text("SELECT 1"))

    def state(self, now: datetime) -> OpsState:
        s = self.session
        pending = and_(col(OutboxMessage.sent_at).is_(None), col(OutboxMessage.abandoned_at).is_(None))
        backlog, oldest = s.execute(
            select(func.count(), func.min(OutboxMessage.created_at)).where(pending)
        ).one()
        abandoned = s.execute(select(func.count()).where(col(OutboxMessage.abandoned_at).is_not(None))).scalar_one()
        open_runs = s.execute(select(func.count()).where(col(Run.status) == RunStatus.ACTIVE)).scalar_one()
        overdue = and_(col(Task.status) == TaskStatus.ACTIVE, col(Task.due_at).is_not(None), col(Task.due_at) < now)
        overdue_count = s.execute(select(func.count()).where(overdue)).scalar_one()
        holder = aliased(RoleAssignment)
        reachable_holder = exists().where(
            col(holder.run_id) == col(Task.run_id), col(holder.role_key) == col(Task.role_key),
            col(holder.status) == AssignmentStatus.ACTIVE, _reachable(col(holder.user_id)),  # type: ignore[arg-type]
        )
        rows = s.execute(
            select(Task.run_id, Run.chat_id, Task.id, Task.step_no, Task.role_key)
            .join(Run, col(Run.id) == col(Task.run_id))
            .where(overdue, not_(or_(reachable_holder, _reachable(col(Run.coordinator_id)))))  # type: ignore[arg-type]
            .order_by(col(Task.due_at))
            .limit(UNREACHABLE_LIMIT)
        ).all()
        return OpsState(
            int(backlog), oldest, int(abandoned), int(open_runs), int(overdue_count),
            [OverdueTask(int(r[0]), int(r[1]), int(r[2]), int(r[3]), str(r[4])) for r in rows],
        )

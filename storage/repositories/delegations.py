"""Delegations (Plh./Plt.) as rows: a request written, the run's live ones, the scheduler's
due changes claimed once, and the reads behind the hand-back digest.

The use cases in :mod:`bot.services.delegations` decide (who may ask, answer or end, and
what a beginning or an end sends); this module holds their SQL, inside the caller's
transaction. Who acts for a role at an instant is read by
:mod:`storage.repositories.delegation_rows` (and :mod:`~storage.repositories.covers`),
which this repository reuses. A change the scheduler and a hand press may both carry out
is a conditional UPDATE (:meth:`DelegationsRepository.claim`): with two bot processes, one
transaction wins it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, func, update
from sqlmodel import Session, col, select

from bot.domain.delegation import Cover
from storage.models import Delegation, NagLog, Run, Task, TaskStatus, User
from storage.repositories import delegation_rows, run_store
from storage.repositories.covers import cover

__all__ = ["DelegationsRepository", "cover"]

_D = Delegation.__table__  # type: ignore[attr-defined]


class DelegationsRepository:
    """Delegations over one open session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- rows ------------------------------------------------------------------------------
    def get(self, delegation_id: int) -> Delegation | None:
        return self.session.get(Delegation, delegation_id)

    def locked(self, delegation_id: int) -> tuple[Delegation, Run] | None:
        """The delegation and its run, the run locked first and the row read again after the lock."""
        row = self.get(delegation_id)
        if row is None:
            return None
        run = run_store.lock_run(self.session, row.run_id)
        self.session.refresh(row)
        return row, run

    def live(self, run_id: int, role_key: str | None = None) -> list[Delegation]:
        """Pending and accepted delegations of a run (of one role), oldest first."""
        return delegation_rows.live_rows(self.session, run_id, role_key)

    def live_covers(self, run_id: int, role_key: str) -> list[Cover]:
        """The role's pending and accepted delegations, as the rules' :class:`Cover`."""
        return [cover(r) for r in self.live(run_id, role_key)]

    def in_force(self, run: Run, at: datetime) -> dict[str, Cover]:
        """Role → the delegation in force at `at` in `run`."""
        return delegation_rows.run_covers(self.session, run, at)

    # -- writes ----------------------------------------------------------------------------
    def add(self, row: Delegation) -> Delegation:
        """Insert the delegation and flush, so it has its id."""
        self.session.add(row)
        self.session.flush()
        return row

    def save(self) -> None:
        """Write the changes made in place (to a delegation, or to its run's ``has_covers``)."""
        self.session.flush()

    def claim(self, row: Delegation, values: dict[str, object], *, status: str, begun: bool | None = None) -> bool:
        """A conditional UPDATE of `row` still in `status` (and `begun`): True only for the one
        transaction that changed it. The row is read again either way."""
        where = [_D.c.id == row.id, _D.c.status == status]
        if begun is not None:
            where.append(_D.c.begun == begun)
        result = self.session.execute(update(_D).where(*where).values(**values))
        assert isinstance(result, CursorResult)
        self.session.refresh(row)
        return result.rowcount == 1

    def cut_short(self, row: Delegation, at: datetime) -> None:
        """The period ends at `at` (a hand-back before its planned end)."""
        self.session.execute(update(_D).where(_D.c.id == row.id).values(ends_at=at))
        self.session.refresh(row)

    def still_covered(self, run: Run) -> None:
        """Keep ``runs.has_covers`` true exactly while the run has an accepted delegation (run locked)."""
        delegation_rows.still_covered(self.session, run)

    # -- the scheduler's part --------------------------------------------------------------
    def due(self, now: datetime, limit: int) -> list[int]:
        """Delegations with a change due at `now`, earliest first (at most `limit`)."""
        query = (
            select(Delegation.id).where(col(Delegation.next_change_at) <= now)
            .order_by(col(Delegation.next_change_at), col(Delegation.id)).limit(limit)
        )
        return [i for i in self.session.exec(query) if i is not None]

    def next_change(self) -> datetime | None:
        """When the scheduler must next look at a delegation (None: nothing left to do)."""
        return self.session.exec(select(func.min(Delegation.next_change_at))).one()

    # -- the hand-back digest --------------------------------------------------------------
    def done_during(self, run_id: int, role_key: str, start: datetime, end: datetime) -> list[Task]:
        """The role's tasks completed within ``[start, end]``, in the order they were done."""
        return list(self.session.exec(select(Task).where(
            Task.run_id == run_id, Task.role_key == role_key, Task.status == TaskStatus.DONE,
            col(Task.completed_at) >= start, col(Task.completed_at) <= end,
        ).order_by(col(Task.completed_at), col(Task.id))))

    def reminders_during(self, run_id: int, role_key: str, start: datetime, end: datetime) -> int:
        """Reminder rounds of the role's tasks claimed within ``[start, end]``."""
        rounds = select(func.count()).select_from(NagLog).join(Task, col(Task.id) == col(NagLog.task_id))
        return int(self.session.exec(rounds.where(
            NagLog.run_id == run_id, Task.role_key == role_key,
            col(NagLog.claimed_at) >= start, col(NagLog.claimed_at) <= end,
        )).one())

    # -- naming the substitute -------------------------------------------------------------
    def user_by_username(self, username: str) -> User | None:
        """Someone seen with this @username (case-insensitive; the latest seen wins)."""
        wanted = username.lstrip("@").lower()
        query = select(User).where(func.lower(User.username) == wanted).order_by(col(User.updated_at).desc())
        return self.session.exec(query).first()

"""Reading delegations (Plh./Plt.) inside a unit of work, as the rules' :class:`Cover`.

Who acts for a role at an instant follows from the accepted rows and their periods
alone (:func:`bot.domain.delegation.effective_holders`), so a hand-back that the scheduler
carries out a minute late never lets the substitute act, or be nagged, past the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.domain.delegation import Cover, Status
from storage.models import Delegation, Run
from storage.repositories import covers
from storage.repositories.covers import cover

__all__ = ["LIVE", "cover", "covering", "in_force", "live_rows", "run_covers", "still_covered"]

LIVE = (Status.PENDING.value, Status.ACCEPTED.value)


def live_rows(s: Session, run_id: int, role_key: str | None = None) -> list[Delegation]:
    """Pending and accepted delegations of a run (of one role), oldest first."""
    query = select(Delegation).where(Delegation.run_id == run_id, col(Delegation.status).in_(LIVE))
    if role_key is not None:
        query = query.where(Delegation.role_key == role_key)
    return list(s.exec(query.order_by(col(Delegation.id))))


def in_force(s: Session, runs: Iterable[Run], at: datetime) -> dict[tuple[int, str], Cover]:
    """(run, role) → the delegation in force at `at`, for many runs in one statement.

    Runs that never had an accepted delegation (``runs.has_covers``) cost no statement, so
    an office that does not use Plh. pays nothing for it.
    """
    return covers.in_force(s, (int(r.id) for r in runs if r.id is not None and r.has_covers), at)


def run_covers(s: Session, run: Run, at: datetime) -> dict[str, Cover]:
    """Role → the delegation in force at `at` in one run."""
    return {role: c for (_, role), c in in_force(s, [run], at).items()}


def still_covered(s: Session, run: Run) -> None:
    """Keep ``runs.has_covers`` true exactly while the run has an accepted delegation (run locked)."""
    run.has_covers = any(r.status == Status.ACCEPTED for r in live_rows(s, run.id or 0))
    s.flush()


def covering(s: Session, user_id: int, at: datetime) -> set[tuple[int, str]]:
    """(run, role) pairs `user_id` acts for as a substitute at `at`."""
    rows = s.exec(
        select(Delegation.run_id, Delegation.role_key).where(
            Delegation.substitute_id == user_id,
            Delegation.status == Status.ACCEPTED,
            col(Delegation.starts_at) <= at,
            or_(col(Delegation.ends_at).is_(None), col(Delegation.ends_at) > at),
        )
    )
    return {(r, k) for r, k in rows}

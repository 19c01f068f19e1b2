"""The delegations (Plh./Plt.) in force at an instant, as the domain's :class:`Cover`.

Who acts for a role at an instant follows from the accepted rows and their periods alone
(:func:`bot.domain.delegation.effective_holders`). Runs that never had an accepted
delegation (``runs.has_covers``) cost no statement.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.domain.delegation import Cover, Kind, Status
from storage.delegation_tables import Delegation


def cover(row: Delegation) -> Cover:
    assert row.id is not None
    return Cover(
        id=row.id,
        role_key=row.role_key,
        kind=Kind(row.kind),
        holder_id=row.holder_id,
        substitute_id=row.substitute_id,
        status=Status(row.status),
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        accept_by=row.accept_by,
    )


def in_force(s: Session, run_ids: Iterable[int], at: datetime) -> dict[tuple[int, str], Cover]:
    """(run, role) → the delegation in force at `at`, for many runs in one statement."""
    wanted = sorted(set(run_ids))
    if not wanted:
        return {}
    rows = s.exec(
        select(Delegation).where(
            col(Delegation.run_id).in_(wanted),
            Delegation.status == Status.ACCEPTED,
            col(Delegation.starts_at) <= at,
            or_(col(Delegation.ends_at).is_(None), col(Delegation.ends_at) > at),
        )
    )
    return {(row.run_id, row.role_key): cover(row) for row in rows}


def in_force_for(s: Session, run_id: int, has_covers: bool, at: datetime) -> dict[str, Cover]:
    """Role → the delegation in force at `at` in one run (no statement without covers)."""
    if not has_covers:
        return {}
    return {role: c for (_, role), c in in_force(s, [run_id], at).items()}

"""Role assignments as rows: a person's pending claim and holdings, a new holding, and writing a change.

The use cases in :mod:`bot.services.roles` decide who may claim, assign or revoke; this
module holds their SQL, inside the caller's transaction. A role has at most one active
holder (a partial unique index): :meth:`RolesRepository.save` flushes, so a second
holder written by a concurrent transaction fails there, not at the commit.
"""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import AssignmentStatus, RoleAssignment


class RolesRepository:
    """Role assignments over one open session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, assignment_id: int) -> RoleAssignment | None:
        return self.session.get(RoleAssignment, assignment_id)

    def pending(self, run_id: int, role_key: str, user_id: int) -> RoleAssignment | None:
        """`user_id`'s claim of the role still waiting for the coordinator (strict mode)."""
        return self.session.exec(
            select(RoleAssignment).where(
                RoleAssignment.run_id == run_id,
                RoleAssignment.role_key == role_key,
                RoleAssignment.user_id == user_id,
                RoleAssignment.status == AssignmentStatus.PENDING,
            )
        ).first()

    def held_by(self, user_id: int) -> set[tuple[int, str]]:
        """(run id, role key) of every role the person holds now, in any run (one statement)."""
        query = select(RoleAssignment.run_id, RoleAssignment.role_key).where(
            RoleAssignment.user_id == user_id, RoleAssignment.status == AssignmentStatus.ACTIVE
        )
        return {(run_id, role_key) for run_id, role_key in self.session.exec(query)}

    def add(self, row: RoleAssignment) -> RoleAssignment:
        """Insert the assignment and flush, so it has its id (and the unique index is checked)."""
        self.session.add(row)
        self.session.flush()
        return row

    def save(self) -> None:
        """Write the changes made to assignments in place (status, who, when)."""
        self.session.flush()

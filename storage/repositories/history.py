"""A run's history as rows: its audit events, oldest first, and the evidence attached to it.

The engine turns them into the history the bot shows (names, evidence per event); this
module only reads the two tables, a statement each, inside the caller's transaction.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import AuditEvent, Evidence


class HistoryRepository:
    """A run's audit trail over one open session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def events(self, run_id: int) -> list[AuditEvent]:
        """The run's audit events in the order they were written."""
        query = select(AuditEvent).where(AuditEvent.run_id == run_id).order_by(col(AuditEvent.id))
        return list(self.session.exec(query))

    def evidence(self, run_id: int) -> dict[int, Evidence]:
        """Every piece of evidence attached to the run's tasks, by id."""
        rows = self.session.exec(select(Evidence).where(Evidence.run_id == run_id))
        return {e.id: e for e in rows if e.id is not None}

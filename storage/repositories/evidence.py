"""Evidence as rows: what was attached to a task, written inside the caller's transaction.

The use cases in :mod:`bot.services.evidence` decide who may attach; this module only
reads and writes the table.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from storage.models import Evidence


class EvidenceRepository:
    """Evidence over one open session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, evidence_id: int) -> Evidence | None:
        return self.session.get(Evidence, evidence_id)

    def add_all(self, rows: Sequence[Evidence]) -> list[Evidence]:
        """Insert the rows and flush, so each has its id (the audit event names them)."""
        self.session.add_all(rows)
        self.session.flush()
        return list(rows)

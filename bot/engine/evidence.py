"""The engine's face for evidence: thin delegations to :mod:`bot.services.evidence`.

What stays here is request-id replay and the names the task operations use
(``EvidenceArg``, ``_store_evidence``).
"""

from __future__ import annotations

from bot.engine.core import EngineCore
from bot.engine.effects import EventKind, Op
from bot.engine.views import EvidenceInput, EvidenceView
from bot.services import evidence
from bot.services.evidence import EvidenceArg
from storage.models import AuditEvent, Evidence, Run, Task
from storage.repositories.evidence import EvidenceRepository
from storage.unit_of_work import ReadSession

__all__ = ["EvidenceArg", "EvidenceMixin"]


class EvidenceMixin(EngineCore):
    def attach_evidence(
        self,
        task_id: int,
        user_id: int,
        kind: str,
        file_id: str | None = None,
        filename: str | None = None,
        caption: str | None = None,
        chat_id: int | None = None,
        message_id: int | None = None,
        request_id: str | None = None,
    ) -> EvidenceView:
        """Evidence from the holder, the coordinator, or whoever just completed the task."""
        item = EvidenceInput(kind, file_id, filename, caption, chat_id, message_id)

        def replay(s: ReadSession, event: AuditEvent) -> EvidenceView:
            return evidence.replayed(self, EvidenceRepository(s), event)

        return self.command(request_id, lambda op: evidence.attach(self, op, task_id, user_id, item), replay,
                            (EventKind.EVIDENCE_ADDED.value,))

    def _store_evidence(self, op: Op, run: Run, task: Task, user_id: int, evidence_: EvidenceArg) -> list[Evidence]:
        return evidence.store_items(op, run, task, user_id, evidence_)

"""Completing tasks: confirm, decide, and confirm on someone's behalf.

The work is the use cases' (:mod:`bot.services.confirmations`): one unit of work, the
run state machine, one commit. These methods keep the engine's interface for every caller.
A button's press passes its `scope` (where it was pressed), checked inside the press's
transaction; a command passes none.
"""

from __future__ import annotations

from bot.domain.permissions import PressScope
from bot.engine.evidence import EvidenceArg, EvidenceMixin
from bot.engine.runs import RunsMixin
from bot.engine.views import ConfirmResult
from bot.services import confirmations
from storage.unit_of_work import UnitOfWork


class TasksMixin(RunsMixin, EvidenceMixin):
    def confirm(
        self,
        task_id: int,
        user_id: int,
        note: str | None = None,
        evidence: EvidenceArg = None,
        request_id: str | None = None,
        scope: PressScope | None = None,
    ) -> ConfirmResult:
        """The holder says their part of the step is done; the run moves on."""
        return confirmations.confirm(UnitOfWork(self.db), self, task_id, user_id, note, evidence, request_id, scope)

    def decide(
        self,
        task_id: int,
        user_id: int,
        outcome_key: str,
        reason: str | None = None,
        note: str | None = None,
        evidence: EvidenceArg = None,
        request_id: str | None = None,
        scope: PressScope | None = None,
    ) -> ConfirmResult:
        """Take a decision step's outcome: go on, or go back to an earlier step (a new pass)."""
        return confirmations.decide(
            UnitOfWork(self.db), self, task_id, user_id, outcome_key, reason, note, evidence, request_id, scope
        )

    def confirm_on_behalf(
        self,
        task_id: int,
        coordinator_id: int,
        reason: str,
        outcome_key: str | None = None,
        note: str | None = None,
        evidence: EvidenceArg = None,
        request_id: str | None = None,
        scope: PressScope | None = None,
    ) -> ConfirmResult:
        """The coordinator records an external party's (or an absent holder's) part."""
        return confirmations.confirm_on_behalf(
            UnitOfWork(self.db), self, task_id, coordinator_id, reason, outcome_key, note, evidence, request_id, scope
        )

"""The engine's face for Plh. and Plt.: thin delegations to :mod:`bot.services.delegations`.

The use cases decide (over the pure rules of :mod:`bot.domain.delegation`) and
:mod:`storage.repositories.delegations` reads and writes; what stays here is the engine's
unit of work with request-id replay (a replayed request, answer or end answers with the
delegation as stored), the scheduler's loop of one transaction per due change, and the
signatures the handlers and the deadline scheduler call.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from bot.engine.delegation_reads import DelegationReadsMixin
from bot.engine.delegation_views import DelegationView
from bot.engine.effects import EventKind, Op
from bot.services import delegation_reads as reads
from bot.services import delegations as cases
from storage.models import AuditEvent, Run
from storage.repositories.delegations import DelegationsRepository
from storage.unit_of_work import ReadSession

#: Default longest Plh. period in days (DELEGATION_MAX_DAYS).
MAX_DAYS = 30


class DelegationsMixin(DelegationReadsMixin):
    delegation_max_days: int = MAX_DAYS

    # -- asking, answering, ending -------------------------------------------------------
    def request_delegation(
        self, run_id: int, role_key: str, substitute_id: int, requester_id: int, *, kind: str = "plh",
        reason: str | None = None, first_day: date | None = None, last_day: date | None = None,
        request_id: str | None = None,
    ) -> DelegationView:
        """Put a Plh. (or, for a vacant role, a Plt.) to the substitute; nothing changes until they accept."""

        def action(op: Op) -> DelegationView:
            return cases.request(self, op, run_id, role_key, substitute_id, requester_id, kind=kind, reason=reason,
                                 first_day=first_day, last_day=last_day, max_days=self.delegation_max_days)

        return self.command(request_id, action, self._replay_delegation, _kinds(EventKind.DELEGATION_REQUESTED))

    def answer_delegation(
        self, delegation_id: int, user_id: int, accept: bool, request_id: str | None = None
    ) -> DelegationView:
        """The substitute accepts (the period starts, or is scheduled) or declines."""
        kinds = _kinds(EventKind.DELEGATION_ACCEPTED, EventKind.DELEGATION_DECLINED)
        return self.command(request_id, lambda op: cases.answer(self, op, delegation_id, user_id, accept),
                            self._replay_delegation, kinds)

    def end_delegation(self, run_id: int, role_key: str, user_id: int, request_id: str | None = None) -> DelegationView:
        """`/plh selesai PERAN`: hand back now (or withdraw a request or a period not begun)."""
        kinds = _kinds(EventKind.DELEGATION_ENDED, EventKind.DELEGATION_CANCELLED)
        return self.command(request_id, lambda op: cases.end(self, op, run_id, role_key, user_id),
                            self._replay_delegation, kinds)

    def role_filled(self, op: Op, run: Run, role_key: str, holder_id: int) -> bool:
        """Someone holds the role now: a Plt. in force for it hands back to them."""
        return cases.role_filled(self, op, run, role_key, holder_id)

    # -- the scheduler's part ------------------------------------------------------------
    def delegation_tick(self, limit: int = 200) -> int:
        """Carry out the beginnings, ends and expiries due now; returns how many this process did."""
        now = self.now()
        due = self.read(lambda s: DelegationsRepository(s).due(now, limit))
        done = 0
        for delegation_id in due:  # one transaction each: a failure leaves the others done
            done += self.command(None, partial(cases.change, self, delegation_id=delegation_id))
        return done

    def _replay_delegation(self, s: ReadSession, event: AuditEvent) -> DelegationView:
        return reads.replayed(self, DelegationsRepository(s), event)


def _kinds(*kinds: EventKind) -> tuple[str, ...]:
    return tuple(k.value for k in kinds)

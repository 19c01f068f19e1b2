"""The engine's face for roles: thin delegations to :mod:`bot.services.roles`.

The use cases decide and :mod:`storage.repositories.roles` reads and writes; what stays
here is request-id replay (a replayed claim, release, assignment or decision answers with
the assignment as stored) and the engine's signatures every caller uses.
"""

from __future__ import annotations

from bot.engine.core import EngineCore
from bot.engine.effects import EventKind, Op
from bot.engine.views import AssignmentView
from bot.services import roles
from storage.models import AuditEvent
from storage.repositories.roles import RolesRepository
from storage.unit_of_work import ReadSession


class RolesMixin(EngineCore):
    def claim_role(self, run_id: int, role_key: str, user_id: int, request_id: str | None = None) -> AssignmentView:
        """Take a free role; in strict mode the claim waits for the coordinator's approval."""
        kinds = _kinds(EventKind.ROLE_CLAIMED, EventKind.ROLE_CLAIM_REQUESTED)
        return self.command(request_id, lambda op: roles.claim(self, op, run_id, role_key, user_id),
                            self._replay, kinds)

    def release_role(self, run_id: int, role_key: str, user_id: int, request_id: str | None = None) -> AssignmentView:
        """Give a role back; its waiting task goes back to the group to be claimed."""
        return self.command(request_id, lambda op: roles.release(self, op, run_id, role_key, user_id),
                            self._replay, _kinds(EventKind.ROLE_RELEASED))

    def assign_role(
        self,
        run_id: int,
        role_key: str,
        user_id: int,
        by_user_id: int,
        replace: bool = False,
        request_id: str | None = None,
    ) -> AssignmentView:
        """The coordinator gives a role to someone (taking it from its holder if `replace`)."""
        def action(op: Op) -> AssignmentView:
            return roles.assign(self, op, run_id, role_key, user_id, by_user_id, replace)

        return self.command(request_id, action, self._replay, _kinds(EventKind.ROLE_ASSIGNED))

    def revoke_role(self, run_id: int, role_key: str, by_user_id: int, request_id: str | None = None) -> AssignmentView:
        """The coordinator takes a role away from its holder."""
        return self.command(request_id, lambda op: roles.revoke(self, op, run_id, role_key, by_user_id),
                            self._replay, _kinds(EventKind.ROLE_REVOKED))

    def approve_claim(
        self, run_id: int, role_key: str, user_id: int, by_user_id: int, request_id: str | None = None
    ) -> AssignmentView:
        """The coordinator lets a pending claim (strict mode) take the role."""
        return self.command(request_id, lambda op: roles.approve(self, op, run_id, role_key, user_id, by_user_id),
                            self._replay, _kinds(EventKind.ROLE_CLAIM_APPROVED))

    def reject_claim(
        self, run_id: int, role_key: str, user_id: int, by_user_id: int, request_id: str | None = None
    ) -> AssignmentView:
        """The coordinator turns a pending claim down (strict mode); the role stays free."""
        return self.command(request_id, lambda op: roles.reject(self, op, run_id, role_key, user_id, by_user_id),
                            self._replay, _kinds(EventKind.ROLE_CLAIM_REJECTED))

    def _replay(self, s: ReadSession, event: AuditEvent) -> AssignmentView:
        return roles.replayed(self, RolesRepository(s), event)


def _kinds(*kinds: EventKind) -> tuple[str, ...]:
    return tuple(k.value for k in kinds)

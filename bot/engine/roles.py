"""Who plays which role in a run: claims, releases, assignments by the coordinator, and
the approval of claims in strict mode.

A role has at most one active holder (enforced by a partial unique index); one person
may hold several roles. External parties (Bappeda, Forum SKPD…) are never held: the
coordinator acts for them. When a role gets a holder while its task is waiting, that
person is told at once; when it loses one, the group is asked to find someone.
"""

from __future__ import annotations

from sqlmodel import Session, select

from bot.domain import permissions
from bot.engine import store
from bot.domain.outbox_messages import TaskUnassigned
from bot.engine.core import EngineCore, task_ref
from bot.engine.effects import EventKind, Notice, Op
from bot.engine.errors import (
    NoPendingClaim,
    RoleIsExternal,
    RoleNotHeld,
    RoleTaken,
    RunNotActive,
    UnknownRole,
)
from bot.engine.facts import run_facts
from bot.engine.render import role_ref
from bot.engine.views import AssignmentView
from storage.models import AssignmentStatus, AuditEvent, RoleAssignment, Run, RunStatus


class RolesMixin(EngineCore):
    def claim_role(self, run_id: int, role_key: str, user_id: int, request_id: str | None = None) -> AssignmentView:
        """Take a free role; in strict mode the claim waits for the coordinator's approval."""

        def action(op: Op) -> AssignmentView:
            run = self._role_run(op, run_id, role_key)
            store.touch_user(op.session, user_id, op.now)
            holding = store.active_assignment(op.session, run_id, role_key)
            if holding is not None:
                if holding.user_id == user_id:
                    return self._assignment_view(op.session, holding)
                raise RoleTaken(role_key=role_key, holder_id=holding.user_id, run_id=run_id)
            if permissions.claim_needs_approval(user_id, run_facts(run), strict=self.strict_role_claims):
                pending = self._pending(op.session, run_id, role_key, user_id)
                if pending is not None:
                    return self._assignment_view(op.session, pending)
                claim = self._new(op, run_id, role_key, user_id, AssignmentStatus.PENDING, None)
                event = self._record(op, run, EventKind.ROLE_CLAIM_REQUESTED, claim, user_id)
                self.group_notice(op, run, Notice.ROLE_CLAIM_PENDING, event, role_key=role_key, user_id=user_id)
                return self._assignment_view(op.session, claim)
            claim = self._new(op, run_id, role_key, user_id, AssignmentStatus.ACTIVE, None)
            event = self._record(op, run, EventKind.ROLE_CLAIMED, claim, user_id)
            self._gained(op, run, claim, event, Notice.ROLE_CLAIMED)
            return self._assignment_view(op.session, claim)

        kinds = _kinds(EventKind.ROLE_CLAIMED, EventKind.ROLE_CLAIM_REQUESTED)
        return self.command(request_id, action, self._replay, kinds)

    def release_role(self, run_id: int, role_key: str, user_id: int, request_id: str | None = None) -> AssignmentView:
        """Give a role back; its waiting task goes back to the group to be claimed."""

        def action(op: Op) -> AssignmentView:
            run = self._role_run(op, run_id, role_key)
            holding = store.active_assignment(op.session, run_id, role_key)
            seat = permissions.Seat(role_key, holder_id=holding.user_id if holding else None)
            permissions.require_release(user_id, run_facts(run), seat)
            assert holding is not None
            self._end(op, holding, AssignmentStatus.RELEASED, user_id)
            event = self._record(op, run, EventKind.ROLE_RELEASED, holding, user_id)
            self._lost(op, run, holding, event, Notice.ROLE_RELEASED)
            return self._assignment_view(op.session, holding)

        return self.command(request_id, action, self._replay, _kinds(EventKind.ROLE_RELEASED))

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
            run = self._role_run(op, run_id, role_key, coordinator=by_user_id)
            store.touch_user(op.session, user_id, op.now)
            holding = store.active_assignment(op.session, run_id, role_key)
            replaced = None
            if holding is not None:
                if holding.user_id == user_id:
                    return self._assignment_view(op.session, holding)
                if not replace:
                    raise RoleTaken(role_key=role_key, holder_id=holding.user_id, run_id=run_id)
                self._end(op, holding, AssignmentStatus.REVOKED, by_user_id)
                replaced = holding.user_id
            claim = self._pending(op.session, run_id, role_key, user_id)
            if claim is not None:
                self._activate(op, claim, by_user_id)
            else:
                claim = self._new(op, run_id, role_key, user_id, AssignmentStatus.ACTIVE, by_user_id)
            event = self._record(op, run, EventKind.ROLE_ASSIGNED, claim, by_user_id, replaced_user_id=replaced)
            self._gained(op, run, claim, event, Notice.ROLE_ASSIGNED, by_user_id=by_user_id, replaced_user_id=replaced)
            return self._assignment_view(op.session, claim)

        return self.command(request_id, action, self._replay, _kinds(EventKind.ROLE_ASSIGNED))

    def revoke_role(self, run_id: int, role_key: str, by_user_id: int, request_id: str | None = None) -> AssignmentView:
        """The coordinator takes a role away from its holder."""

        def action(op: Op) -> AssignmentView:
            run = self._role_run(op, run_id, role_key, coordinator=by_user_id)
            holding = store.active_assignment(op.session, run_id, role_key)
            if holding is None:
                raise RoleNotHeld(role_key=role_key, user_id=None, holder_id=None, run_id=run_id)
            self._end(op, holding, AssignmentStatus.REVOKED, by_user_id)
            event = self._record(op, run, EventKind.ROLE_REVOKED, holding, by_user_id)
            self._lost(op, run, holding, event, Notice.ROLE_REVOKED, by_user_id=by_user_id)
            return self._assignment_view(op.session, holding)

        return self.command(request_id, action, self._replay, _kinds(EventKind.ROLE_REVOKED))

    def approve_claim(
        self, run_id: int, role_key: str, user_id: int, by_user_id: int, request_id: str | None = None
    ) -> AssignmentView:
        """The coordinator lets a pending claim (strict mode) take the role."""
        def action(op: Op) -> AssignmentView:
            run, claim = self._pending_claim(op, run_id, role_key, user_id, by_user_id)
            holding = store.active_assignment(op.session, run_id, role_key)
            if holding is not None:
                raise RoleTaken(role_key=role_key, holder_id=holding.user_id, run_id=run_id)
            self._activate(op, claim, by_user_id)
            event = self._record(op, run, EventKind.ROLE_CLAIM_APPROVED, claim, by_user_id)
            self._gained(op, run, claim, event, Notice.ROLE_CLAIMED, by_user_id=by_user_id)
            return self._assignment_view(op.session, claim)

        return self.command(request_id, action, self._replay, _kinds(EventKind.ROLE_CLAIM_APPROVED))

    def reject_claim(
        self, run_id: int, role_key: str, user_id: int, by_user_id: int, request_id: str | None = None
    ) -> AssignmentView:
        """The coordinator turns a pending claim down (strict mode); the role stays free."""
        def action(op: Op) -> AssignmentView:
            run, claim = self._pending_claim(op, run_id, role_key, user_id, by_user_id)
            self._end(op, claim, AssignmentStatus.REJECTED, by_user_id)
            event = self._record(op, run, EventKind.ROLE_CLAIM_REJECTED, claim, by_user_id)
            self.group_notice(op, run, Notice.ROLE_CLAIM_REJECTED, event, role_key=role_key, user_id=user_id)
            return self._assignment_view(op.session, claim)

        return self.command(request_id, action, self._replay, _kinds(EventKind.ROLE_CLAIM_REJECTED))

    # -- helpers -------------------------------------------------------------------------
    def _role_run(self, op: Op, run_id: int, role_key: str, coordinator: int | None = None) -> Run:
        """Lock the run and check the role exists, can be held, and (if given) who coordinates."""
        run = store.lock_run(op.session, run_id)
        if run.status != RunStatus.ACTIVE:
            raise RunNotActive(run_id=run_id, status=run.status)
        if coordinator is not None:
            permissions.require_coordinator(coordinator, run_facts(run))
        sop = self.pinned(op.session, run.sop_version_id).definition
        role = sop.role_by_key.get(role_key)
        if role is None:
            raise UnknownRole(role_key=role_key, known=tuple(sop.role_by_key), run_id=run_id)
        if role.eksternal:
            raise RoleIsExternal(role_key=role_key, run_id=run_id)
        if coordinator is not None:
            store.touch_user(op.session, coordinator, op.now)
        return run

    def _pending(self, s: Session, run_id: int, role_key: str, user_id: int) -> RoleAssignment | None:
        return s.exec(
            select(RoleAssignment).where(
                RoleAssignment.run_id == run_id,
                RoleAssignment.role_key == role_key,
                RoleAssignment.user_id == user_id,
                RoleAssignment.status == AssignmentStatus.PENDING,
            )
        ).first()

    def _pending_claim(
        self, op: Op, run_id: int, role_key: str, user_id: int, by_user_id: int
    ) -> tuple[Run, RoleAssignment]:
        """Lock the run for its coordinator `by_user_id` and find `user_id`'s pending claim."""
        run = self._role_run(op, run_id, role_key, coordinator=by_user_id)
        claim = self._pending(op.session, run_id, role_key, user_id)
        if claim is None:
            raise NoPendingClaim(role_key=role_key, user_id=user_id)
        return run, claim

    @staticmethod
    def _activate(op: Op, claim: RoleAssignment, by_user_id: int | None) -> None:
        """A pending claim becomes the role's holding, given by `by_user_id`."""
        claim.status, claim.assigned_by, claim.assigned_at = AssignmentStatus.ACTIVE, by_user_id, op.now
        op.session.flush()

    def _new(
        self, op: Op, run_id: int, role_key: str, user_id: int, status: AssignmentStatus, by: int | None
    ) -> RoleAssignment:
        row = RoleAssignment(
            run_id=run_id,
            role_key=role_key,
            user_id=user_id,
            status=status,
            assigned_by=by,
            claimed_at=op.now,
            assigned_at=op.now if status == AssignmentStatus.ACTIVE else None,
        )
        op.session.add(row)
        op.session.flush()
        return row

    def _end(self, op: Op, row: RoleAssignment, status: AssignmentStatus, by: int) -> None:
        store.touch_user(op.session, by, op.now)
        row.status, row.ended_at, row.ended_by = status, op.now, by
        op.session.flush()

    def _record(
        self, op: Op, run: Run, kind: EventKind, row: RoleAssignment, actor: int, **extra: object
    ) -> AuditEvent:
        return op.record(
            kind, run_id=run.id, chat_id=run.chat_id, actor_id=actor,
            assignment_id=row.id, role_key=row.role_key, user_id=row.user_id, **extra,
        )

    def _gained(
        self, op: Op, run: Run, row: RoleAssignment, event: AuditEvent, notice: Notice, **extra: object
    ) -> None:
        """Tell the group; if the role's task is up now, tell the new holder it is theirs.

        A Plt. covering the vacant role ends here: the role has a holder again.
        """
        self.group_notice(op, run, notice, event, role_key=row.role_key, user_id=row.user_id, **extra)
        if self.role_filled(op, run, row.role_key, row.user_id):
            return  # the Plt.'s hand-back told the new holder already
        task = store.active_task(op.session, run.id or 0)
        if task is not None and task.role_key == row.role_key:
            self.tell_user(op, run, task, row.user_id, event)

    def _lost(self, op: Op, run: Run, row: RoleAssignment, event: AuditEvent, notice: Notice, **extra: object) -> None:
        self.group_notice(op, run, notice, event, role_key=row.role_key, user_id=row.user_id, **extra)
        task = store.active_task(op.session, run.id or 0)
        if task is not None and task.role_key == row.role_key:
            op.notify(TaskUnassigned(task_ref(run, task)), event)

    def _assignment_view(self, s: Session, row: RoleAssignment) -> AssignmentView:
        run = store.get_run(s, row.run_id)
        view = self.renderer(s, run)
        user = view.user(row.user_id)
        assert user is not None and row.id is not None
        return AssignmentView(
            id=row.id,
            run_id=row.run_id,
            role=role_ref(view.sop, row.role_key),
            user=user,
            status=str(row.status),
            assigned_by=view.user(row.assigned_by),
            claimed_at=row.claimed_at,
            assigned_at=row.assigned_at,
            ended_at=row.ended_at,
        )

    def _replay(self, s: Session, event: AuditEvent) -> AssignmentView:
        row = s.get(RoleAssignment, event.data["assignment_id"])
        assert row is not None
        return self._assignment_view(s, row)


def _kinds(*kinds: EventKind) -> tuple[str, ...]:
    return tuple(k.value for k in kinds)

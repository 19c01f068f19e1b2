"""Who plays which role in a run, as use cases over :mod:`storage.repositories.roles`:
claims, releases, assignments by the coordinator, and the approval of claims in strict mode.

A role has at most one active holder; one person may hold several roles. External
parties (Bappeda, Forum SKPD…) are never held: the coordinator acts for them. When a role
gets a holder while its task is waiting, that person is told at once; when it loses one,
the group is asked to find someone.

Each function runs inside the engine's unit of work (:class:`~bot.engine.effects.Op`,
opened by ``EngineCore.command``), which replays a request id, writes the audit events
and the outbox rows, and commits once; who may is :mod:`bot.domain.permissions`.
"""

from __future__ import annotations

from bot.domain import permissions
from bot.domain.outbox_messages import TaskUnassigned
from storage.repositories import run_store as store
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
from bot.engine.view_builder import role_ref
from bot.engine.views import AssignmentView, RoleView
from storage.models import AssignmentStatus, AuditEvent, RoleAssignment, Run, RunStatus
from storage.repositories.roles import RolesRepository


def claim(core: EngineCore, op: Op, run_id: int, role_key: str, user_id: int) -> AssignmentView:
    """Take a free role; in strict mode the claim waits for the coordinator's approval."""
    run = _role_run(core, op, run_id, role_key)
    store.touch_user(op.session, user_id, op.now)
    holding = store.active_assignment(op.session, run_id, role_key)
    if holding is not None:
        if holding.user_id == user_id:
            return assignment_view(core, op, holding)
        raise RoleTaken(role_key=role_key, holder_id=holding.user_id, run_id=run_id)
    if permissions.claim_needs_approval(user_id, run_facts(run), strict=core.strict_role_claims):
        pending = RolesRepository(op.session).pending(run_id, role_key, user_id)
        if pending is not None:
            return assignment_view(core, op, pending)
        row = _new(op, run_id, role_key, user_id, AssignmentStatus.PENDING, None)
        event = _record(op, run, EventKind.ROLE_CLAIM_REQUESTED, row, user_id)
        core.group_notice(op, run, Notice.ROLE_CLAIM_PENDING, event, role_key=role_key, user_id=user_id)
        return assignment_view(core, op, row)
    row = _new(op, run_id, role_key, user_id, AssignmentStatus.ACTIVE, None)
    event = _record(op, run, EventKind.ROLE_CLAIMED, row, user_id)
    _gained(core, op, run, row, event, Notice.ROLE_CLAIMED)
    return assignment_view(core, op, row)


def release(core: EngineCore, op: Op, run_id: int, role_key: str, user_id: int) -> AssignmentView:
    """Give a role back; its waiting task goes back to the group to be claimed."""
    run = _role_run(core, op, run_id, role_key)
    holding = store.active_assignment(op.session, run_id, role_key)
    seat = permissions.Seat(role_key, holder_id=holding.user_id if holding else None)
    permissions.require_release(user_id, run_facts(run), seat)
    assert holding is not None
    _end(op, holding, AssignmentStatus.RELEASED, user_id)
    event = _record(op, run, EventKind.ROLE_RELEASED, holding, user_id)
    _lost(core, op, run, holding, event, Notice.ROLE_RELEASED)
    return assignment_view(core, op, holding)


def assign(core: EngineCore, op: Op, run_id: int, role_key: str, user_id: int, by_user_id: int,
           replace: bool) -> AssignmentView:
    """The coordinator gives a role to someone (taking it from its holder if `replace`)."""
    run = _role_run(core, op, run_id, role_key, coordinator=by_user_id)
    store.touch_user(op.session, user_id, op.now)
    holding = store.active_assignment(op.session, run_id, role_key)
    replaced = None
    if holding is not None:
        if holding.user_id == user_id:
            return assignment_view(core, op, holding)
        if not replace:
            raise RoleTaken(role_key=role_key, holder_id=holding.user_id, run_id=run_id)
        _end(op, holding, AssignmentStatus.REVOKED, by_user_id)
        replaced = holding.user_id
    row = RolesRepository(op.session).pending(run_id, role_key, user_id)
    if row is not None:
        _activate(op, row, by_user_id)
    else:
        row = _new(op, run_id, role_key, user_id, AssignmentStatus.ACTIVE, by_user_id)
    event = _record(op, run, EventKind.ROLE_ASSIGNED, row, by_user_id, replaced_user_id=replaced)
    _gained(core, op, run, row, event, Notice.ROLE_ASSIGNED, by_user_id=by_user_id, replaced_user_id=replaced)
    return assignment_view(core, op, row)


def revoke(core: EngineCore, op: Op, run_id: int, role_key: str, by_user_id: int) -> AssignmentView:
    """The coordinator takes a role away from its holder."""
    run = _role_run(core, op, run_id, role_key, coordinator=by_user_id)
    holding = store.active_assignment(op.session, run_id, role_key)
    if holding is None:
        raise RoleNotHeld(role_key=role_key, user_id=None, holder_id=None, run_id=run_id)
    _end(op, holding, AssignmentStatus.REVOKED, by_user_id)
    event = _record(op, run, EventKind.ROLE_REVOKED, holding, by_user_id)
    _lost(core, op, run, holding, event, Notice.ROLE_REVOKED, by_user_id=by_user_id)
    return assignment_view(core, op, holding)


def approve(core: EngineCore, op: Op, run_id: int, role_key: str, user_id: int, by_user_id: int) -> AssignmentView:
    """The coordinator lets a pending claim (strict mode) take the role."""
    run, row = _pending_claim(core, op, run_id, role_key, user_id, by_user_id)
    holding = store.active_assignment(op.session, run_id, role_key)
    if holding is not None:
        raise RoleTaken(role_key=role_key, holder_id=holding.user_id, run_id=run_id)
    _activate(op, row, by_user_id)
    event = _record(op, run, EventKind.ROLE_CLAIM_APPROVED, row, by_user_id)
    _gained(core, op, run, row, event, Notice.ROLE_CLAIMED, by_user_id=by_user_id)
    return assignment_view(core, op, row)


def reject(core: EngineCore, op: Op, run_id: int, role_key: str, user_id: int, by_user_id: int) -> AssignmentView:
    """The coordinator turns a pending claim down (strict mode); the role stays free."""
    run, row = _pending_claim(core, op, run_id, role_key, user_id, by_user_id)
    _end(op, row, AssignmentStatus.REJECTED, by_user_id)
    event = _record(op, run, EventKind.ROLE_CLAIM_REJECTED, row, by_user_id)
    core.group_notice(op, run, Notice.ROLE_CLAIM_REJECTED, event, role_key=role_key, user_id=user_id)
    return assignment_view(core, op, row)


def assignment_view(core: EngineCore, op: Op, row: RoleAssignment) -> AssignmentView:
    return assignment_view_in(core, RolesRepository(op.session), row)


def assignment_view_in(core: EngineCore, roles: RolesRepository, row: RoleAssignment) -> AssignmentView:
    """The assignment as callers see it: the role by name, the people by name."""
    s = roles.session
    view = core.renderer(s, store.get_run(s, row.run_id))
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


def replayed(core: EngineCore, roles: RolesRepository, event: AuditEvent) -> AssignmentView:
    """A replayed request answers with the assignment its event names, as stored now."""
    row = roles.get(event.data["assignment_id"])
    assert row is not None
    return assignment_view_in(core, roles, row)


def roles_view(core: EngineCore, roles: RolesRepository, run_id: int) -> list[RoleView]:
    """Every role of the run's SOP, in document order, with holder and pending claims.

    The holder is the one assigned, even while a Plh./Plt. acts.
    """
    s = roles.session
    run = store.get_run(s, run_id)
    view = core.renderer(s, run)
    assigned = store.holders(s, run_id) if run.has_covers else view.holders
    pending = store.assignments(s, run_id, AssignmentStatus.PENDING)
    view.load_users(a.user_id for a in pending)
    active = store.active_task(s, run_id)
    result = []
    for role in view.sop.roles:
        waiting = tuple(view.user(a.user_id) for a in pending if a.role_key == role.key)
        result.append(
            RoleView(
                role=role_ref(view.sop, role.key),
                holder=view.user(assigned.get(role.key)),
                pending=tuple(u for u in waiting if u is not None),
                is_supervisor=role.key == view.sop.supervisor,
                active_task_id=active.id if active is not None and active.role_key == role.key else None,
            )
        )
    return result


# -- helpers -------------------------------------------------------------------------------
def _role_run(core: EngineCore, op: Op, run_id: int, role_key: str, coordinator: int | None = None) -> Run:
    """Lock the run and check the role exists, can be held, and (if given) who coordinates."""
    run = store.lock_run(op.session, run_id)
    if run.status != RunStatus.ACTIVE:
        raise RunNotActive(run_id=run_id, status=run.status)
    if coordinator is not None:
        permissions.require_coordinator(coordinator, run_facts(run))
    sop = core.pinned(op.session, run.sop_version_id).definition
    role = sop.role_by_key.get(role_key)
    if role is None:
        raise UnknownRole(role_key=role_key, known=tuple(sop.role_by_key), run_id=run_id)
    if role.eksternal:
        raise RoleIsExternal(role_key=role_key, run_id=run_id)
    if coordinator is not None:
        store.touch_user(op.session, coordinator, op.now)
    return run


def _pending_claim(core: EngineCore, op: Op, run_id: int, role_key: str, user_id: int,
                   by_user_id: int) -> tuple[Run, RoleAssignment]:
    """Lock the run for its coordinator `by_user_id` and find `user_id`'s pending claim."""
    run = _role_run(core, op, run_id, role_key, coordinator=by_user_id)
    row = RolesRepository(op.session).pending(run_id, role_key, user_id)
    if row is None:
        raise NoPendingClaim(role_key=role_key, user_id=user_id)
    return run, row


def _activate(op: Op, row: RoleAssignment, by_user_id: int | None) -> None:
    """A pending claim becomes the role's holding, given by `by_user_id`."""
    row.status, row.assigned_by, row.assigned_at = AssignmentStatus.ACTIVE, by_user_id, op.now
    RolesRepository(op.session).save()


def _new(op: Op, run_id: int, role_key: str, user_id: int, status: AssignmentStatus, by: int | None) -> RoleAssignment:
    return RolesRepository(op.session).add(RoleAssignment(
        run_id=run_id,
        role_key=role_key,
        user_id=user_id,
        status=status,
        assigned_by=by,
        claimed_at=op.now,
        assigned_at=op.now if status == AssignmentStatus.ACTIVE else None,
    ))


def _end(op: Op, row: RoleAssignment, status: AssignmentStatus, by: int) -> None:
    store.touch_user(op.session, by, op.now)
    row.status, row.ended_at, row.ended_by = status, op.now, by
    RolesRepository(op.session).save()


def _record(op: Op, run: Run, kind: EventKind, row: RoleAssignment, actor: int, **extra: object) -> AuditEvent:
    return op.record(
        kind, run_id=run.id, chat_id=run.chat_id, actor_id=actor,
        assignment_id=row.id, role_key=row.role_key, user_id=row.user_id, **extra,
    )


def _gained(core: EngineCore, op: Op, run: Run, row: RoleAssignment, event: AuditEvent, notice: Notice,
            **extra: object) -> None:
    """Tell the group; if the role's task is up now, tell the new holder it is theirs.

    A Plt. covering the vacant role ends here: the role has a holder again.
    """
    core.group_notice(op, run, notice, event, role_key=row.role_key, user_id=row.user_id, **extra)
    if core.role_filled(op, run, row.role_key, row.user_id):
        return  # the Plt.'s hand-back told the new holder already
    task = store.active_task(op.session, run.id or 0)
    if task is not None and task.role_key == row.role_key:
        core.tell_user(op, run, task, row.user_id, event)


def _lost(core: EngineCore, op: Op, run: Run, row: RoleAssignment, event: AuditEvent, notice: Notice,
          **extra: object) -> None:
    core.group_notice(op, run, notice, event, role_key=row.role_key, user_id=row.user_id, **extra)
    task = store.active_task(op.session, run.id or 0)
    if task is not None and task.role_key == row.role_key:
        op.notify(TaskUnassigned(task_ref(run, task)), event)

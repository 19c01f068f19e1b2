"""Plh. and Plt. as use cases over :mod:`storage.repositories.delegations`: asking a
substitute, their answer, a hand-back, and the scheduler's beginnings and ends.

The rules (who may ask, valid periods, who acts when) are pure, in
:mod:`bot.domain.delegation` and :mod:`bot.domain.permissions`. Who acts for a role at an
instant is read from the rows, so routing is exact on time; the scheduler (:func:`change`)
only carries out the side effects of a beginning (the current task's card to the
substitute) and of an end (the holder's digest and card, the substitute's cards losing
their buttons). Each is claimed by a conditional UPDATE, so with two bot processes it
happens once.

Each function runs inside the engine's unit of work (:class:`~bot.engine.effects.Op`,
opened by ``EngineCore.command``), which replays a request id, writes the audit events
and the outbox rows, and commits once, under the run's lock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.domain import delegation as rules
from bot.domain import permissions
from bot.domain.delegation import Kind, Refused, Status
from bot.domain.outbox_messages import DelegationNote, NoteKind, TaskUnassigned
from bot.domain.sop import Role
from bot.engine.core import EngineCore, task_ref
from bot.engine.delegation_views import DelegationView
from bot.engine.effects import EventKind, Notice, Op
from bot.engine.errors import DelegationRefused, RunNotActive, UnknownRole
from bot.services.delegation_reads import view
from storage.models import AuditEvent, Delegation, Run, RunStatus
from storage.repositories import run_store as store
from storage.repositories.delegations import DelegationsRepository, cover
from storage.repositories.people import PeopleRepository

T = TypeVar("T")


# -- asking, answering, ending -------------------------------------------------------------
def request(
    core: EngineCore, op: Op, run_id: int, role_key: str, substitute_id: int, requester_id: int, *,
    kind: str, reason: str | None, first_day: date | None, last_day: date | None, max_days: int,
) -> DelegationView:
    """Put a Plh. (or, for a vacant role, a Plt.) to the substitute; nothing changes until they accept."""
    repo = DelegationsRepository(op.session)
    run, role = _delegation_run(core, op, run_id, role_key)
    tz, calendar = _zone(core, op, run)
    holding = store.active_assignment(op.session, run_id, role_key)
    plt = kind == Kind.PLT
    asked = rules.Request(
        kind=Kind(kind), role_key=role_key, requester_id=requester_id, substitute_id=substitute_id,
        holder_id=holding.user_id if holding else None, coordinator_id=run.coordinator_id,
        external=role.eksternal, reason=reason, first_day=first_day, last_day=None if plt else last_day,
    )
    starts, ends = _apply(
        rules.check_request, asked, today=rules.local_day(op.now, tz), max_days=max_days,
        others=repo.live_covers(run_id, role_key), now=op.now, tz=tz, calendar=calendar,
        role_key=role_key, run_id=run_id,
    )
    store.touch_user(op.session, substitute_id, op.now)
    store.touch_user(op.session, requester_id, op.now)
    accept_by = rules.accept_deadline(op.now, ends)
    row = repo.add(Delegation(
        run_id=run_id, role_key=role_key, kind=kind, holder_id=asked.holder_id, substitute_id=substitute_id,
        requested_by=requester_id, reason=(reason or "").strip() or None, status=Status.PENDING,
        first_day=first_day.isoformat() if first_day else None,
        last_day=last_day.isoformat() if last_day and not plt else None,
        starts_at=starts, ends_at=ends, accept_by=accept_by, requested_at=op.now, next_change_at=accept_by,
    ))
    _event(op, run, EventKind.DELEGATION_REQUESTED, row, requester_id)
    return view(core, repo, row)


def answer(core: EngineCore, op: Op, delegation_id: int, user_id: int, accept: bool) -> DelegationView:
    """The substitute accepts (the period starts, or is scheduled) or declines."""
    repo = DelegationsRepository(op.session)
    row, run = _locked(repo, delegation_id)
    holding = store.active_assignment(op.session, row.run_id, row.role_key)
    check = rules.check_accept if accept else _check_decline
    _apply(check, cover(row), user_id, op.now, holding.user_id if holding else None,
           repo.live_covers(row.run_id, row.role_key), role_key=row.role_key, run_id=row.run_id)
    if not accept:
        row.status, row.ended_at, row.ended_by, row.next_change_at = Status.DECLINED, op.now, user_id, None
        repo.save()
        _event(op, run, EventKind.DELEGATION_DECLINED, row, user_id)
        return view(core, repo, row)
    row.status, row.accepted_at = Status.ACCEPTED, op.now
    row.starts_at = max(row.starts_at, op.now)
    row.next_change_at = row.starts_at
    run.has_covers = True
    repo.save()
    event = _event(op, run, EventKind.DELEGATION_ACCEPTED, row, user_id)
    core.group_notice(op, run, Notice.DELEGATION_ACCEPTED, event, delegation_id=row.id,
                      role_key=row.role_key, user_id=row.substitute_id)
    if row.starts_at <= op.now:
        _begin(core, op, repo, run, row)
    op.rearm = True
    return view(core, repo, row)


def end(core: EngineCore, op: Op, run_id: int, role_key: str, user_id: int) -> DelegationView:
    """`/plh selesai PERAN`: hand back now (or withdraw a request or a period not begun)."""
    repo = DelegationsRepository(op.session)
    run = store.lock_run(op.session, run_id)
    rows = [r for r in repo.live(run_id, role_key) if cover(r).live(op.now)]
    if not rows:
        raise DelegationRefused(rule="none", role_key=role_key, run_id=run_id)
    row = next((r for r in rows if cover(r).in_force(op.now)), rows[0])
    if not permissions.may_end_delegation(user_id, row.holder_id, row.substitute_id, run.coordinator_id):
        raise DelegationRefused(rule="not_party", role_key=role_key, run_id=run_id)
    store.touch_user(op.session, user_id, op.now)
    if cover(row).in_force(op.now):
        _finish(core, op, repo, run, row, by=user_id, at=op.now)
    else:
        row.status, row.ended_at, row.ended_by, row.next_change_at = Status.CANCELLED, op.now, user_id, None
        repo.still_covered(run)
        _event(op, run, EventKind.DELEGATION_CANCELLED, row, user_id)
    return view(core, repo, row)


def role_filled(core: EngineCore, op: Op, run: Run, role_key: str, holder_id: int) -> bool:
    """Someone holds the role now: a Plt. in force for it hands back to them."""
    repo = DelegationsRepository(op.session)
    found = repo.in_force(run, op.now).get(role_key)
    if found is None or found.kind != Kind.PLT:
        return False
    row = repo.get(found.id)
    assert row is not None
    return _finish(core, op, repo, run, row, by=holder_id, at=op.now)


# -- the scheduler's part ------------------------------------------------------------------
def change(core: EngineCore, op: Op, delegation_id: int) -> int:
    """Carry out the delegation's due change (a beginning, an end, an expiry); 1 if this
    transaction did it, 0 if there was none or another process got there first."""
    repo = DelegationsRepository(op.session)
    row, run = _locked(repo, delegation_id)
    if row.next_change_at is None or row.next_change_at > op.now:
        return 0  # another process got here first
    if row.status == Status.PENDING:
        return int(repo.claim(row, {"status": Status.EXPIRED, "next_change_at": None}, status=Status.PENDING))
    if row.status != Status.ACCEPTED:
        return int(repo.claim(row, {"next_change_at": None}, status=row.status))
    if run.status != RunStatus.ACTIVE:  # the run finished or was cancelled: end it quietly
        values = {"status": Status.ENDED, "ended_at": op.now, "next_change_at": None}
        won = repo.claim(row, values, status=Status.ACCEPTED)
        repo.still_covered(run)
        return int(won)
    if row.ends_at is not None and row.ends_at <= op.now:
        return int(_finish(core, op, repo, run, row, by=None, at=row.ends_at))
    if not row.begun and row.starts_at <= op.now:
        return int(_begin(core, op, repo, run, row))
    return 0


def _begin(core: EngineCore, op: Op, repo: DelegationsRepository, run: Run, row: Delegation) -> bool:
    """The period starts: the role's current task goes to the substitute."""
    if not repo.claim(row, {"begun": True, "next_change_at": row.ends_at}, status=Status.ACCEPTED, begun=False):
        return False
    event = _event(op, run, EventKind.DELEGATION_BEGUN, row, row.substitute_id)
    op.holders.pop(run.id or 0, None)
    task = store.active_task(op.session, run.id or 0)
    if task is not None and task.role_key == row.role_key:
        core.run_holders(op, run)
        core.tell_user(op, run, task, row.substitute_id, event)
    op.rearm = True
    return True


def _finish(core: EngineCore, op: Op, repo: DelegationsRepository, run: Run, row: Delegation, *,
            by: int | None, at: datetime) -> bool:
    """The period is over: digest and card to the holder, the substitute's cards go bare."""
    values = {"status": Status.ENDED, "ended_at": at, "ended_by": by, "next_change_at": None}
    if not repo.claim(row, values, status=Status.ACCEPTED):
        return False
    if row.ends_at is None or row.ends_at > at:
        repo.cut_short(row, at)
    repo.still_covered(run)
    holding = store.active_assignment(op.session, run.id or 0, row.role_key)
    event = _event(op, run, EventKind.DELEGATION_ENDED, row, by)
    core.group_notice(op, run, Notice.DELEGATION_ENDED, event, delegation_id=row.id, role_key=row.role_key,
                      user_id=row.substitute_id, by_user_id=by, holder_id=holding.user_id if holding else None)
    assert row.id is not None
    op.notify(DelegationNote(row.substitute_id, NoteKind.OVER, run.id or 0, run.chat_id, row.id, row.role_key), event)
    op.holders.pop(run.id or 0, None)
    task = store.active_task(op.session, run.id or 0)
    current = task if task is not None and task.role_key == row.role_key else None
    if holding is not None:
        op.notify(DelegationNote(holding.user_id, NoteKind.HANDBACK, run.id or 0, run.chat_id, row.id,
                                 row.role_key, current.id if current else None), event)
        if current is not None:
            core.run_holders(op, run)
            core.tell_user(op, run, current, holding.user_id, event)
    elif current is not None:
        op.notify(TaskUnassigned(task_ref(run, current)), event)
    op.rearm = True
    return True


# -- helpers -------------------------------------------------------------------------------
def _delegation_run(core: EngineCore, op: Op, run_id: int, role_key: str) -> tuple[Run, Role]:
    run = store.lock_run(op.session, run_id)
    if run.status != RunStatus.ACTIVE:
        raise RunNotActive(run_id=run_id, status=run.status)
    sop = core.pinned(op.session, run.sop_version_id).definition
    role = sop.role_by_key.get(role_key)
    if role is None:
        raise UnknownRole(role_key=role_key, known=tuple(sop.role_by_key), run_id=run_id)
    return run, role


def _locked(repo: DelegationsRepository, delegation_id: int) -> tuple[Delegation, Run]:
    found = repo.locked(delegation_id)
    if found is None:
        raise DelegationRefused(rule="gone")
    return found


def _zone(core: EngineCore, op: Op, run: Run) -> tuple[ZoneInfo, rules.Calendar]:
    chat = PeopleRepository(op.session).chat(run.chat_id)
    tz = ZoneInfo(chat.timezone if chat else core.default_timezone)
    return tz, core.chat_calendar(op.session, run.chat_id)


def _event(op: Op, run: Run, kind: EventKind, row: Delegation, actor: int | None) -> AuditEvent:
    return op.record(
        kind, run_id=run.id, chat_id=run.chat_id, actor_id=actor, delegation_id=row.id, role_key=row.role_key,
        delegation_kind=row.kind, holder_id=row.holder_id, substitute_id=row.substitute_id,
        starts_at=row.starts_at, ends_at=row.ends_at, last_day=row.last_day, reason=row.reason,
    )


def _check_decline(asked: rules.Cover, user_id: int, now: datetime, _holder: int | None, _others: object) -> None:
    if user_id != asked.substitute_id:
        raise Refused("not_substitute", substitute_id=asked.substitute_id)
    if asked.status != rules.Status.PENDING:
        raise Refused("not_pending", status=str(asked.status))


def _apply(check: Callable[..., T], *args: object, role_key: str, run_id: int, **kwargs: object) -> T:
    """Run a pure rule; its refusal becomes the engine's (the transaction rolls back)."""
    try:
        return check(*args, **kwargs)
    except Refused as exc:
        raise DelegationRefused(rule=exc.code, role_key=role_key, run_id=run_id, details=_plain(exc.params)) from exc


def _plain(params: dict[str, object]) -> dict[str, object]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in params.items()}

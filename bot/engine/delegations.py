"""Plh. and Plt.: asking a substitute, their answer, and the period's beginning and end.

The rules (who may ask, valid periods, who acts when) are pure, in
:mod:`bot.domain.delegation`; this mixin applies them under the run's lock and writes the
row, the audit events and the notifications in one transaction. Who acts for a role at an
instant is read from the rows (:mod:`storage.repositories.delegation_rows`), so routing is exact on
time; the scheduler (:meth:`delegation_tick`) only carries out the side effects of a
beginning (the current task's card to the substitute) and of an end (the holder's digest
and card, the substitute's cards losing their buttons). Each is claimed by a conditional
UPDATE, so with two bot processes it happens once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, update
from sqlmodel import Session, col, select

from bot.domain import delegation as rules
from bot.domain import permissions
from bot.domain.delegation import Kind, Refused, Status
from storage.repositories import run_store as store
from storage.repositories import delegation_rows as cover_store
from bot.engine.delegation_reads import DelegationReadsMixin
from bot.engine.delegation_views import DelegationView
from bot.domain.outbox_messages import DelegationNote, NoteKind, TaskUnassigned
from bot.engine.core import task_ref
from bot.engine.effects import EventKind, Notice, Op
from bot.engine.errors import DelegationRefused, RunNotActive, UnknownRole
from bot.domain.sop import Role
from storage.models import AuditEvent, Chat, Delegation, Run, RunStatus

T = TypeVar("T")
#: Default longest Plh. period in days (DELEGATION_MAX_DAYS).
MAX_DAYS = 30
_D = Delegation.__table__  # type: ignore[attr-defined]


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
            s = op.session
            run, role = self._delegation_run(op, run_id, role_key)
            tz, calendar = self._zone(s, run)
            holding = store.active_assignment(s, run_id, role_key)
            plt = kind == Kind.PLT
            request = rules.Request(
                kind=Kind(kind), role_key=role_key, requester_id=requester_id, substitute_id=substitute_id,
                holder_id=holding.user_id if holding else None, coordinator_id=run.coordinator_id,
                external=role.eksternal, reason=reason, first_day=first_day, last_day=None if plt else last_day,
            )
            others = [cover_store.cover(r) for r in cover_store.live_rows(s, run_id, role_key)]
            starts, ends = _apply(
                rules.check_request, request, today=rules.local_day(op.now, tz), max_days=self.delegation_max_days,
                others=others, now=op.now, tz=tz, calendar=calendar, role_key=role_key, run_id=run_id,
            )
            store.touch_user(s, substitute_id, op.now)
            store.touch_user(s, requester_id, op.now)
            accept_by = rules.accept_deadline(op.now, ends)
            row = Delegation(
                run_id=run_id, role_key=role_key, kind=kind, holder_id=request.holder_id, substitute_id=substitute_id,
                requested_by=requester_id, reason=(reason or "").strip() or None, status=Status.PENDING,
                first_day=first_day.isoformat() if first_day else None,
                last_day=last_day.isoformat() if last_day and not plt else None,
                starts_at=starts, ends_at=ends, accept_by=accept_by, requested_at=op.now, next_change_at=accept_by,
            )
            s.add(row)
            s.flush()
            self._event(op, run, EventKind.DELEGATION_REQUESTED, row, requester_id)
            return self.delegation_view(s, row)

        return self.command(request_id, action, self._replay_delegation, (EventKind.DELEGATION_REQUESTED.value,))

    def answer_delegation(
        self, delegation_id: int, user_id: int, accept: bool, request_id: str | None = None
    ) -> DelegationView:
        """The substitute accepts (the period starts, or is scheduled) or declines."""

        def action(op: Op) -> DelegationView:
            s = op.session
            row, run = self._locked(op, delegation_id)
            holding = store.active_assignment(s, row.run_id, row.role_key)
            others = [cover_store.cover(r) for r in cover_store.live_rows(s, row.run_id, row.role_key)]
            check = rules.check_accept if accept else _check_decline
            _apply(check, cover_store.cover(row), user_id, op.now, holding.user_id if holding else None, others,
                   role_key=row.role_key, run_id=row.run_id)
            if not accept:
                row.status, row.ended_at, row.ended_by, row.next_change_at = (
                    Status.DECLINED, op.now, user_id, None)
                s.flush()
                self._event(op, run, EventKind.DELEGATION_DECLINED, row, user_id)
                return self.delegation_view(s, row)
            row.status, row.accepted_at = Status.ACCEPTED, op.now
            row.starts_at = max(row.starts_at, op.now)
            row.next_change_at = row.starts_at
            run.has_covers = True
            s.flush()
            event = self._event(op, run, EventKind.DELEGATION_ACCEPTED, row, user_id)
            self.group_notice(op, run, Notice.DELEGATION_ACCEPTED, event, delegation_id=row.id,
                              role_key=row.role_key, user_id=row.substitute_id)
            if row.starts_at <= op.now:
                self._begin(op, run, row)
            op.rearm = True
            return self.delegation_view(s, row)

        kinds = (EventKind.DELEGATION_ACCEPTED.value, EventKind.DELEGATION_DECLINED.value)
        return self.command(request_id, action, self._replay_delegation, kinds)

    def end_delegation(self, run_id: int, role_key: str, user_id: int, request_id: str | None = None) -> DelegationView:
        """`/plh selesai PERAN`: hand back now (or withdraw a request or a period not begun)."""

        def action(op: Op) -> DelegationView:
            s = op.session
            run = store.lock_run(s, run_id)
            rows = [r for r in cover_store.live_rows(s, run_id, role_key) if cover_store.cover(r).live(op.now)]
            if not rows:
                raise DelegationRefused(rule="none", role_key=role_key, run_id=run_id)
            row = next((r for r in rows if cover_store.cover(r).in_force(op.now)), rows[0])
            if not permissions.may_end_delegation(user_id, row.holder_id, row.substitute_id, run.coordinator_id):
                raise DelegationRefused(rule="not_party", role_key=role_key, run_id=run_id)
            store.touch_user(s, user_id, op.now)
            if cover_store.cover(row).in_force(op.now):
                self._finish(op, run, row, by=user_id, at=op.now)
            else:
                row.status, row.ended_at, row.ended_by, row.next_change_at = (
                    Status.CANCELLED, op.now, user_id, None)
                cover_store.still_covered(s, run)
                self._event(op, run, EventKind.DELEGATION_CANCELLED, row, user_id)
            return self.delegation_view(s, row)

        kinds = (EventKind.DELEGATION_ENDED.value, EventKind.DELEGATION_CANCELLED.value)
        return self.command(request_id, action, self._replay_delegation, kinds)

    def role_filled(self, op: Op, run: Run, role_key: str, holder_id: int) -> bool:
        """Someone holds the role now: a Plt. in force for it hands back to them."""
        found = cover_store.run_covers(op.session, run, op.now).get(role_key)
        if found is None or found.kind != Kind.PLT:
            return False
        row = op.session.get(Delegation, found.id)
        assert row is not None
        return self._finish(op, run, row, by=holder_id, at=op.now)

    # -- the scheduler's part ------------------------------------------------------------
    def delegation_tick(self, limit: int = 200) -> int:
        """Carry out the beginnings, ends and expiries due now; returns how many this process did."""
        now = self.now()
        due: list[int | None] = self.read(lambda s: list(s.exec(
            select(Delegation.id).where(col(Delegation.next_change_at) <= now)
            .order_by(col(Delegation.next_change_at), col(Delegation.id)).limit(limit)
        )))
        done = 0
        for delegation_id in filter(None, due):  # one transaction each: a failure leaves the others done
            done += self.command(None, partial(self._change, delegation_id=delegation_id))
        return done

    def _change(self, op: Op, delegation_id: int) -> int:
        row, run = self._locked(op, delegation_id)
        if row.next_change_at is None or row.next_change_at > op.now:
            return 0  # another process got here first
        if row.status == Status.PENDING:
            won = self._claim(op, row, {"status": Status.EXPIRED, "next_change_at": None},
                              status=Status.PENDING)
            return int(won)
        if row.status != Status.ACCEPTED:
            return int(self._claim(op, row, {"next_change_at": None}, status=row.status))
        if run.status != RunStatus.ACTIVE:  # the run finished or was cancelled: end it quietly
            values = {"status": Status.ENDED, "ended_at": op.now, "next_change_at": None}
            won = self._claim(op, row, values, status=Status.ACCEPTED)
            cover_store.still_covered(op.session, run)
            return int(won)
        if row.ends_at is not None and row.ends_at <= op.now:
            return int(self._finish(op, run, row, by=None, at=row.ends_at))
        if not row.begun and row.starts_at <= op.now:
            return int(self._begin(op, run, row))
        return 0

    def _claim(self, op: Op, row: Delegation, values: dict[str, object], *, status: str, begun: bool | None = None) -> bool:
        """A conditional UPDATE: True only for the one transaction that changed the row."""
        where = [_D.c.id == row.id, _D.c.status == status]
        if begun is not None:
            where.append(_D.c.begun == begun)
        result = op.session.execute(update(_D).where(*where).values(**values))
        assert isinstance(result, CursorResult)
        op.session.refresh(row)
        return result.rowcount == 1

    def _begin(self, op: Op, run: Run, row: Delegation) -> bool:
        """The period starts: the role's current task goes to the substitute."""
        if not self._claim(op, row, {"begun": True, "next_change_at": row.ends_at},
                           status=Status.ACCEPTED, begun=False):
            return False
        event = self._event(op, run, EventKind.DELEGATION_BEGUN, row, row.substitute_id)
        op.holders.pop(run.id or 0, None)
        task = store.active_task(op.session, run.id or 0)
        if task is not None and task.role_key == row.role_key:
            self.run_holders(op, run)
            self.tell_user(op, run, task, row.substitute_id, event)
        op.rearm = True
        return True

    def _finish(self, op: Op, run: Run, row: Delegation, *, by: int | None, at: datetime) -> bool:
        """The period is over: digest and card to the holder, the substitute's cards go bare."""
        values = {"status": Status.ENDED, "ended_at": at, "ended_by": by, "next_change_at": None}
        if not self._claim(op, row, values, status=Status.ACCEPTED):
            return False
        if row.ends_at is None or row.ends_at > at:
            op.session.execute(update(_D).where(_D.c.id == row.id).values(ends_at=at))
            op.session.refresh(row)
        cover_store.still_covered(op.session, run)
        holding = store.active_assignment(op.session, run.id or 0, row.role_key)
        event = self._event(op, run, EventKind.DELEGATION_ENDED, row, by)
        self.group_notice(op, run, Notice.DELEGATION_ENDED, event, delegation_id=row.id, role_key=row.role_key,
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
                self.run_holders(op, run)
                self.tell_user(op, run, current, holding.user_id, event)
        elif current is not None:
            op.notify(TaskUnassigned(task_ref(run, current)), event)
        op.rearm = True
        return True

    # -- helpers ---------------------------------------------------------------------------
    def _delegation_run(self, op: Op, run_id: int, role_key: str) -> tuple[Run, Role]:
        run = store.lock_run(op.session, run_id)
        if run.status != RunStatus.ACTIVE:
            raise RunNotActive(run_id=run_id, status=run.status)
        sop = self.pinned(op.session, run.sop_version_id).definition
        role = sop.role_by_key.get(role_key)
        if role is None:
            raise UnknownRole(role_key=role_key, known=tuple(sop.role_by_key), run_id=run_id)
        return run, role

    def _locked(self, op: Op, delegation_id: int) -> tuple[Delegation, Run]:
        row = op.session.get(Delegation, delegation_id)
        if row is None:
            raise DelegationRefused(rule="gone")
        run = store.lock_run(op.session, row.run_id)
        op.session.refresh(row)
        return row, run

    def _zone(self, s: Session, run: Run) -> tuple[ZoneInfo, rules.Calendar]:
        chat = s.get(Chat, run.chat_id)
        return ZoneInfo(chat.timezone if chat else self.default_timezone), self.chat_calendar(s, run.chat_id)

    def _event(self, op: Op, run: Run, kind: EventKind, row: Delegation, actor: int | None) -> AuditEvent:
        return op.record(
            kind, run_id=run.id, chat_id=run.chat_id, actor_id=actor, delegation_id=row.id, role_key=row.role_key,
            delegation_kind=row.kind, holder_id=row.holder_id, substitute_id=row.substitute_id,
            starts_at=row.starts_at, ends_at=row.ends_at, last_day=row.last_day, reason=row.reason,
        )

    def _replay_delegation(self, s: Session, event: AuditEvent) -> DelegationView:
        row = s.get(Delegation, event.data["delegation_id"])
        assert row is not None
        return self.delegation_view(s, row)


def _check_decline(cover: rules.Cover, user_id: int, now: datetime, _holder: int | None, _others: object) -> None:
    if user_id != cover.substitute_id:
        raise Refused("not_substitute", substitute_id=cover.substitute_id)
    if cover.status != rules.Status.PENDING:
        raise Refused("not_pending", status=str(cover.status))


def _apply(check: Callable[..., T], *args: object, role_key: str, run_id: int, **kwargs: object) -> T:
    """Run a pure rule; its refusal becomes the engine's (the transaction rolls back)."""
    try:
        return check(*args, **kwargs)
    except Refused as exc:
        raise DelegationRefused(rule=exc.code, role_key=role_key, run_id=run_id, details=_plain(exc.params)) from exc


def _plain(params: dict[str, object]) -> dict[str, object]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in params.items()}

"""Reading delegations (Plh./Plt.): the views for /peran and the request message, the
hand-back digest, the cards sent to a substitute, and the scheduler's next moment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.repositories import run_store as store
from storage.repositories import delegation_rows as cover_store
from bot.engine.core import EngineCore
from bot.engine.delegation_views import DelegationView, DoneMeanwhile, HandbackDigest
from bot.engine.errors import DelegationRefused
from bot.engine.people import user_view
from bot.engine.view_builder import role_ref, user_ref
from bot.engine.views import UserRef, UserView
from storage.models import Delegation, NagLog, Task, TaskStatus, User


class DelegationReadsMixin(EngineCore):
    def next_delegation_change(self) -> datetime | None:
        return self.read(lambda s: s.exec(select(func.min(Delegation.next_change_at))).one())

    # -- reads ----------------------------------------------------------------------------
    def delegations(self, run_id: int) -> list[DelegationView]:
        """The run's pending and accepted delegations (for /peran)."""
        now = self.now()
        return self.read(lambda s: [
            self.delegation_view(s, r) for r in cover_store.live_rows(s, run_id) if cover_store.cover(r).live(now)
        ])

    def get_delegation(self, delegation_id: int) -> DelegationView:
        def query(s: Session) -> DelegationView:
            row = s.get(Delegation, delegation_id)
            if row is None:
                raise DelegationRefused(rule="gone")
            return self.delegation_view(s, row)

        return self.read(query)

    def handback_digest(self, delegation_id: int) -> HandbackDigest:
        """The role's steps completed during the period, and the task now back with the holder."""

        def query(s: Session) -> HandbackDigest:
            row = s.get(Delegation, delegation_id)
            if row is None:
                raise DelegationRefused(rule="gone")
            run = store.get_run(s, row.run_id)
            view = self.renderer(s, run)
            end = row.ends_at or row.ended_at or self.now()
            tasks = s.exec(select(Task).where(
                Task.run_id == row.run_id, Task.role_key == row.role_key, Task.status == TaskStatus.DONE,
                col(Task.completed_at) >= row.starts_at, col(Task.completed_at) <= end,
            ).order_by(col(Task.completed_at), col(Task.id)))
            done = tuple(
                DoneMeanwhile(t.id or 0, t.step_no, view.sop.step_by_no[t.step_no].aktivitas,
                              view.user(t.completed_by), t.completed_at, t.acting_as, t.on_behalf)
                for t in tasks
            )
            active = store.active_task(s, row.run_id)
            current = active if active is not None and active.role_key == row.role_key else None
            rounds = select(func.count()).select_from(NagLog).join(Task, col(Task.id) == col(NagLog.task_id))
            reminders = s.exec(rounds.where(
                NagLog.run_id == row.run_id, Task.role_key == row.role_key,
                col(NagLog.claimed_at) >= row.starts_at, col(NagLog.claimed_at) <= end,
            )).one()
            return HandbackDigest(self.delegation_view(s, row), done, current.id if current else None,
                                  current.step_no if current else None, int(reminders))

        return self.read(query)

    def delegation_view(self, s: Session, row: Delegation) -> DelegationView:
        run = store.get_run(s, row.run_id)
        sop = self.pinned(s, run.sop_version_id).definition
        people = store.users_by_id(s, [row.holder_id, row.substitute_id, row.requested_by])

        def ref(user_id: int | None) -> UserRef | None:
            if user_id is None:
                return None
            user = people.get(user_id)
            return user_ref(user) if user is not None else UserRef(id=user_id)

        sub: User | None = people.get(row.substitute_id)
        substitute, requested_by = ref(row.substitute_id), ref(row.requested_by)
        assert row.id is not None and substitute is not None and requested_by is not None
        return DelegationView(
            id=row.id, run_id=row.run_id, chat_id=run.chat_id, run_number=run.number,
            role=role_ref(sop, row.role_key), kind=row.kind, status=row.status, holder=ref(row.holder_id),
            substitute=substitute, requested_by=requested_by, reason=row.reason, first_day=row.first_day,
            last_day=row.last_day, starts_at=row.starts_at, ends_at=row.ends_at, accept_by=row.accept_by,
            substitute_reachable=bool(sub and sub.started_private and sub.unreachable_since is None),
        )

    def user_by_username(self, username: str) -> UserView | None:
        """Someone the bot has seen with this @username (case-insensitive), for `/plh ... @siti`."""
        wanted = username.lstrip("@").lower()

        def query(s: Session) -> UserView | None:
            row = s.exec(select(User).where(func.lower(User.username) == wanted).order_by(col(User.updated_at).desc())).first()
            return user_view(row) if row is not None else None

        return self.read(query)

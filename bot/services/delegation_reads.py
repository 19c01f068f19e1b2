"""Reading delegations (Plh./Plt.) over :mod:`storage.repositories.delegations`: the views
for /peran and the request message, the hand-back digest, and finding a substitute by
@username. Each function reads through the repository it is given (inside a unit of work
or a read-only transaction) and builds frozen views; nothing here writes.
"""

from __future__ import annotations

from datetime import datetime

from bot.engine.core import EngineCore
from bot.engine.delegation_views import DelegationView, DoneMeanwhile, HandbackDigest
from bot.engine.errors import DelegationRefused
from bot.engine.people import user_view
from bot.engine.view_builder import role_ref, user_ref
from bot.engine.views import UserRef, UserView
from storage.models import AuditEvent, Delegation, User
from storage.repositories import run_store as store
from storage.repositories.delegations import DelegationsRepository, cover


def view(core: EngineCore, repo: DelegationsRepository, row: Delegation) -> DelegationView:
    """The delegation as callers see it: the role by name, the people by name."""
    s = repo.session
    run = store.get_run(s, row.run_id)
    sop = core.pinned(s, run.sop_version_id).definition
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


def replayed(core: EngineCore, repo: DelegationsRepository, event: AuditEvent) -> DelegationView:
    """A replayed request answers with the delegation its event names, as stored now."""
    row = repo.get(event.data["delegation_id"])
    assert row is not None
    return view(core, repo, row)


def live(core: EngineCore, repo: DelegationsRepository, run_id: int, now: datetime) -> list[DelegationView]:
    """The run's pending and accepted delegations still live at `now` (for /peran)."""
    return [view(core, repo, r) for r in repo.live(run_id) if cover(r).live(now)]


def one(core: EngineCore, repo: DelegationsRepository, delegation_id: int) -> DelegationView:
    return view(core, repo, _row(repo, delegation_id))


def handback_digest(core: EngineCore, repo: DelegationsRepository, delegation_id: int, now: datetime) -> HandbackDigest:
    """The role's steps completed during the period, and the task now back with the holder."""
    s = repo.session
    row = _row(repo, delegation_id)
    rendered = core.renderer(s, store.get_run(s, row.run_id))
    end = row.ends_at or row.ended_at or now
    done = tuple(
        DoneMeanwhile(t.id or 0, t.step_no, rendered.sop.step_by_no[t.step_no].aktivitas,
                      rendered.user(t.completed_by), t.completed_at, t.acting_as, t.on_behalf)
        for t in repo.done_during(row.run_id, row.role_key, row.starts_at, end)
    )
    active = store.active_task(s, row.run_id)
    current = active if active is not None and active.role_key == row.role_key else None
    reminders = repo.reminders_during(row.run_id, row.role_key, row.starts_at, end)
    return HandbackDigest(view(core, repo, row), done, current.id if current else None,
                          current.step_no if current else None, reminders)


def user_by_username(repo: DelegationsRepository, username: str) -> UserView | None:
    """Someone the bot has seen with this @username (case-insensitive), for `/plh ... @siti`."""
    row = repo.user_by_username(username)
    return user_view(row) if row is not None else None


def _row(repo: DelegationsRepository, delegation_id: int) -> Delegation:
    row = repo.get(delegation_id)
    if row is None:
        raise DelegationRefused(rule="gone")
    return row

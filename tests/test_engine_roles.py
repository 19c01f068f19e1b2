"""Claiming, releasing, assigning and revoking roles; strict mode; unassigned tasks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.engine import SopEngine
from bot.engine.errors import (
    NoPendingClaim,
    NotCoordinator,
    NotRoleHolder,
    RoleIsExternal,
    RoleNotHeld,
    RoleTaken,
    RunNotActive,
    UnknownRole,
)
from bot.engine.views import NotificationView
from db_fixtures import GROUP, FakeClock, Org

KALBAR = "renja-bappeda-kalbar"
BUDI, SITI, AGUS = 2001, 2002, 2003


def _holders(engine: SopEngine, run_id: int) -> dict[str, int | None]:
    return {r.role.key: (r.holder.id if r.holder else None) for r in engine.roles(run_id)}


def _new(engine: SopEngine, after: int = 0) -> list[NotificationView]:
    return [n for n in engine.pending_notifications(1000) if n.id > after]


def _last_id(engine: SopEngine) -> int:
    pending = engine.pending_notifications(1000)
    return pending[-1].id if pending else 0


@pytest.fixture
def bare(org: Org) -> int:
    """A run nobody holds a role in yet; Budi, Siti and Agus have pressed Start."""
    for user_id, name in ((BUDI, "Budi"), (SITI, "Siti"), (AGUS, "Agus")):
        org.person(user_id, name)
    return org.start(KALBAR, claim=False).id


def test_claiming_a_free_role_makes_you_its_holder(engine: SopEngine, bare: int) -> None:
    claim = engine.claim_role(bare, "sekretaris", SITI)
    assert (claim.status, claim.user.id, claim.role.key, claim.assigned_by) == ("active", SITI, "sekretaris", None)
    assert _holders(engine, bare)["sekretaris"] == SITI


def test_claiming_a_role_someone_holds_is_refused_naming_the_holder(engine: SopEngine, bare: int) -> None:
    engine.claim_role(bare, "sekretaris", SITI)
    with pytest.raises(RoleTaken) as refused:
        engine.claim_role(bare, "sekretaris", BUDI)
    assert refused.value.params == {"role_key": "sekretaris", "holder_id": SITI, "run_id": bare}


def test_claiming_your_own_role_again_changes_nothing(engine: SopEngine, bare: int) -> None:
    first = engine.claim_role(bare, "sekretaris", SITI)
    again = engine.claim_role(bare, "sekretaris", SITI)
    assert again.id == first.id
    assert [h.kind for h in engine.history(bare)].count("role_claimed") == 1


def test_one_person_may_hold_several_roles(engine: SopEngine, bare: int) -> None:
    engine.claim_role(bare, "sekretaris", BUDI)
    engine.claim_role(bare, "kasubbag_renja", BUDI)
    holders = _holders(engine, bare)
    assert holders["sekretaris"] == holders["kasubbag_renja"] == BUDI


def test_claiming_an_external_role_is_refused(engine: SopEngine, bare: int) -> None:
    with pytest.raises(RoleIsExternal):
        engine.claim_role(bare, "forum_skpd", BUDI)
    forum = next(r for r in engine.roles(bare) if r.role.key == "forum_skpd")
    assert forum.role.eksternal and forum.holder is None


def test_claiming_an_unknown_role_is_refused_listing_the_known_ones(engine: SopEngine, bare: int) -> None:
    with pytest.raises(UnknownRole) as refused:
        engine.claim_role(bare, "bupati", BUDI)
    assert "sekretaris" in refused.value.known


def test_roles_lists_every_role_in_document_order_with_the_supervisor_marked(engine: SopEngine, bare: int) -> None:
    roles = engine.roles(bare)
    keys = ["kasubbag_renja", "sekretaris", "kepala_bidang", "kepala_badan", "forum_skpd"]
    assert [r.role.key for r in roles] == keys
    assert [r.is_supervisor for r in roles] == [True, False, False, False, False]
    assert roles[0].active_task_id == engine.current_tasks(bare)[0].id


def test_releasing_frees_the_role_and_asks_the_group_when_its_task_is_up(engine: SopEngine, bare: int) -> None:
    engine.claim_role(bare, "kasubbag_renja", BUDI)
    mark = _last_id(engine)
    released = engine.release_role(bare, "kasubbag_renja", BUDI)
    assert released.status == "released" and released.ended_at is not None
    assert _holders(engine, bare)["kasubbag_renja"] is None
    kinds = [(n.kind, n.chat_id) for n in _new(engine, mark)]
    assert ("task_unassigned", GROUP) in kinds
    assert engine.current_tasks(bare)[0].unassigned


def test_releasing_a_role_you_do_not_hold_is_refused(engine: SopEngine, bare: int) -> None:
    engine.claim_role(bare, "sekretaris", SITI)
    with pytest.raises(RoleNotHeld) as refused:
        engine.release_role(bare, "sekretaris", BUDI)
    assert refused.value.holder_id == SITI


def test_the_coordinator_assigns_and_revokes_roles(org: Org, engine: SopEngine, bare: int) -> None:
    assigned = engine.assign_role(bare, "sekretaris", SITI, org.coordinator)
    assert assigned.assigned_by is not None and assigned.assigned_by.id == org.coordinator
    with pytest.raises(RoleTaken):
        engine.assign_role(bare, "sekretaris", AGUS, org.coordinator)
    replaced = engine.assign_role(bare, "sekretaris", AGUS, org.coordinator, replace=True)
    assert replaced.user.id == AGUS and _holders(engine, bare)["sekretaris"] == AGUS
    revoked = engine.revoke_role(bare, "sekretaris", org.coordinator)
    assert revoked.status == "revoked" and _holders(engine, bare)["sekretaris"] is None
    with pytest.raises(RoleNotHeld):
        engine.revoke_role(bare, "sekretaris", org.coordinator)


def test_only_the_coordinator_assigns_or_revokes(engine: SopEngine, bare: int) -> None:
    with pytest.raises(NotCoordinator):
        engine.assign_role(bare, "sekretaris", SITI, BUDI)
    engine.claim_role(bare, "sekretaris", SITI)
    with pytest.raises(NotCoordinator):
        engine.revoke_role(bare, "sekretaris", BUDI)


def test_assigning_an_external_role_is_refused(org: Org, engine: SopEngine, bare: int) -> None:
    with pytest.raises(RoleIsExternal):
        engine.assign_role(bare, "forum_skpd", BUDI, org.coordinator)


def test_an_unassigned_task_waits_for_a_claim_which_tells_the_new_holder(engine: SopEngine, bare: int) -> None:
    (task,) = engine.current_tasks(bare)
    assert task.unassigned and task.holder is None
    unassigned = [n for n in _new(engine) if n.kind == "task_unassigned"]
    assert [(n.chat_id, n.payload["task_id"], n.payload["role_key"]) for n in unassigned] == [
        (GROUP, task.id, "kasubbag_renja")
    ]
    with pytest.raises(NotRoleHolder) as refused:
        engine.confirm(task.id, BUDI)
    assert refused.value.holder_id is None
    mark = _last_id(engine)
    engine.claim_role(bare, "kasubbag_renja", BUDI)
    assigned = [n for n in _new(engine, mark) if n.kind == "task_assigned"]
    assert [(n.user_id, n.payload["task_id"]) for n in assigned] == [(BUDI, task.id)]
    (task,) = engine.current_tasks(bare)
    assert not task.unassigned and task.holder is not None and task.holder.id == BUDI


def test_a_holder_who_never_pressed_start_is_prompted_in_the_group_then_told_privately(
    org: Org, engine: SopEngine, bare: int
) -> None:
    shy = org.person(2009, "Shy", started=False)
    mark = _last_id(engine)
    engine.claim_role(bare, "kasubbag_renja", shy)
    kinds = [(n.kind, n.chat_id, n.user_id, n.payload.get("user_id")) for n in _new(engine, mark)]
    assert ("start_private_prompt", GROUP, None, shy) in kinds
    assert not any(k[0] == "task_assigned" for k in kinds)
    mark = _last_id(engine)
    engine.mark_started(shy)
    assigned = [n for n in _new(engine, mark) if n.kind == "task_assigned"]
    assert [n.user_id for n in assigned] == [shy]
    assert engine.tasks_for_user(shy)[0].run_id == bare


def test_strict_mode_claims_wait_for_the_coordinator(
    engine_factory: Callable[..., SopEngine], clock: FakeClock
) -> None:
    engine = engine_factory(strict_role_claims=True)
    org = Org(engine, clock)
    org.person(SITI, "Siti")
    org.person(AGUS, "Agus")
    run = org.start(KALBAR, claim=False)
    pending = engine.claim_role(run.id, "sekretaris", SITI)
    assert pending.status == "pending"
    assert engine.claim_role(run.id, "sekretaris", SITI).id == pending.id
    engine.claim_role(run.id, "sekretaris", AGUS)
    sekretaris = next(r for r in engine.roles(run.id) if r.role.key == "sekretaris")
    assert sekretaris.holder is None and [u.id for u in sekretaris.pending] == [SITI, AGUS]
    with pytest.raises(NotCoordinator):
        engine.approve_claim(run.id, "sekretaris", SITI, AGUS)
    approved = engine.approve_claim(run.id, "sekretaris", SITI, org.coordinator)
    assert approved.status == "active" and approved.assigned_by is not None
    with pytest.raises(RoleTaken):
        engine.approve_claim(run.id, "sekretaris", AGUS, org.coordinator)
    rejected = engine.reject_claim(run.id, "sekretaris", AGUS, org.coordinator)
    assert rejected.status == "rejected"
    with pytest.raises(NoPendingClaim):
        engine.reject_claim(run.id, "sekretaris", AGUS, org.coordinator)
    coordinator_claim = engine.claim_role(run.id, "kepala_badan", org.coordinator)
    assert coordinator_claim.status == "active"
    kinds = [e.kind for e in engine.history(run.id)]
    assert kinds.count("role_claim_requested") == 2
    assert {"role_claim_approved", "role_claim_rejected"} <= set(kinds)


def test_roles_of_a_finished_or_cancelled_run_cannot_change(org: Org, engine: SopEngine, bare: int) -> None:
    engine.cancel_run(bare, org.coordinator)
    with pytest.raises(RunNotActive):
        engine.claim_role(bare, "sekretaris", SITI)


def test_tasks_for_user_lists_active_tasks_of_held_roles_across_chats(org: Org, engine: SopEngine) -> None:
    here = org.start(KALBAR)
    there = Org(engine, org.clock, chat_id=-77, people=dict(org.people)).start(KALBAR)
    budi = org.people["kasubbag_renja"]
    assert {t.run_id for t in engine.tasks_for_user(budi)} == {here.id, there.id}
    assert [t.run_id for t in engine.tasks_for_user(budi, chat_id=-77)] == [there.id]
    assert engine.tasks_for_user(org.people["sekretaris"]) == []
    org.act(here.id)
    org.act(here.id)
    assert engine.tasks_for_user(org.coordinator) == []
    (external,) = engine.tasks_for_user(org.coordinator, include_on_behalf=True)
    assert external.role.key == "forum_skpd" and external.role.eksternal

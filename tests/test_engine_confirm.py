"""Confirming tasks, deciding, confirming on someone's behalf, attaching evidence, and
every way these are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.engine import SopEngine
from bot.engine.errors import (
    IsADecision,
    NoSuchTask,
    NotADecision,
    NotCoordinator,
    NotRoleHolder,
    ReasonRequired,
    RoleIsExternal,
    TaskNotCurrent,
    UnknownOutcome,
)
from bot.engine.views import EvidenceInput
from db_fixtures import Org

KALBAR = "renja-bappeda-kalbar"


@pytest.fixture
def run_id(org: Org) -> int:
    return org.start(KALBAR).id


def _to_step(org: Org, run_id: int, step_no: int) -> None:
    while org.active(run_id).step_no != step_no:
        org.act(run_id)


def test_the_holder_confirms_and_the_next_step_starts(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    org.clock.advance(minutes=20)
    result = engine.confirm(task.id, org.holder(task), note="nota dinas dikirim")
    assert result.task.status == "done" and result.task.note == "nota dinas dikirim"
    assert result.task.completed_by is not None and result.task.completed_by.id == org.holder(task)
    assert result.task.completed_at == org.clock.now
    assert result.step_done and not result.run_finished
    (nxt,) = result.next_tasks
    assert (nxt.step_no, nxt.chain_index, nxt.status, nxt.started_at) == (2, 0, "active", org.clock.now)
    assert result.run.current_step_no == 2


def test_confirming_a_chain_member_activates_the_next_actor_of_the_same_step(
    org: Org, engine: SopEngine, run_id: int
) -> None:
    _to_step(org, run_id, 3)
    task = org.active(run_id)
    result = engine.confirm(task.id, org.holder(task))
    assert not result.step_done
    (nxt,) = result.next_tasks
    assert (nxt.step_no, nxt.chain_index, nxt.role.key, nxt.status) == (3, 1, "kasubbag_renja", "active")
    assert nxt.due_at == task.due_at


def test_confirm_by_wrong_role_is_refused_naming_the_holder(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    with pytest.raises(NotRoleHolder) as refused:
        engine.confirm(task.id, org.people["sekretaris"])
    assert refused.value.code == "not_role_holder"
    assert refused.value.params == {"task_id": task.id, "role_key": "kasubbag_renja", "holder_id": org.holder(task), "run_id": task.run_id}


def test_confirm_by_the_coordinator_without_holding_the_role_is_refused(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    with pytest.raises(NotRoleHolder):
        engine.confirm(task.id, org.coordinator)


def test_a_task_confirmed_already_reports_who_confirmed_it_and_when(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    engine.confirm(task.id, org.holder(task))
    when = org.clock.now
    org.clock.advance(minutes=3)
    with pytest.raises(TaskNotCurrent) as refused:
        engine.confirm(task.id, org.holder(task))
    assert refused.value.params == {
        "task_id": task.id, "status": "done", "completed_by": org.holder(task), "completed_at": when,
        "on_behalf": False,
    }


def test_a_waiting_chain_member_cannot_confirm_before_its_turn(org: Org, engine: SopEngine, run_id: int) -> None:
    _to_step(org, run_id, 3)
    waiting = engine.current_tasks(run_id)[1]
    with pytest.raises(TaskNotCurrent) as refused:
        engine.confirm(waiting.id, org.holder(waiting))
    assert refused.value.status == "waiting"


def test_confirming_a_task_that_does_not_exist_is_refused(engine: SopEngine) -> None:
    with pytest.raises(NoSuchTask):
        engine.confirm(99999, 1)


def test_confirming_a_decision_is_refused(org: Org, engine: SopEngine, run_id: int) -> None:
    _to_step(org, run_id, 5)
    task = org.active(run_id)
    assert task.is_decision
    with pytest.raises(IsADecision) as refused:
        engine.confirm(task.id, org.holder(task))
    assert refused.value.outcomes == ("setuju", "kembali")


def test_deciding_a_task_that_is_no_decision_is_refused(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    with pytest.raises(NotADecision):
        engine.decide(task.id, org.holder(task), "setuju")


def test_an_unknown_outcome_is_refused_listing_the_valid_ones(org: Org, engine: SopEngine, run_id: int) -> None:
    _to_step(org, run_id, 5)
    task = org.active(run_id)
    with pytest.raises(UnknownOutcome) as refused:
        engine.decide(task.id, org.holder(task), "mungkin")
    assert refused.value.valid == ("setuju", "kembali")


def test_sending_a_decision_back_requires_a_reason(org: Org, engine: SopEngine, run_id: int) -> None:
    _to_step(org, run_id, 5)
    task = org.active(run_id)
    for empty in (None, "", "   "):
        with pytest.raises(ReasonRequired) as refused:
            engine.decide(task.id, org.holder(task), "kembali", reason=empty)
        assert refused.value.params == {"action": "decision", "outcome_key": "kembali"}


def test_deciding_by_someone_else_is_refused(org: Org, engine: SopEngine, run_id: int) -> None:
    _to_step(org, run_id, 5)
    task = org.active(run_id)
    with pytest.raises(NotRoleHolder):
        engine.decide(task.id, org.people["sekretaris"], "setuju")


def test_a_returned_decision_restarts_its_target_step_as_a_new_pass(org: Org, engine: SopEngine, run_id: int) -> None:
    _to_step(org, run_id, 5)
    task = org.active(run_id)
    result = engine.decide(task.id, org.holder(task), "kembali", reason="angka pagu belum sesuai")
    assert result.outcome is not None and result.outcome.goto == 3
    assert result.step_done and result.new_pass and not result.run_finished
    (nxt,) = result.next_tasks
    assert (nxt.step_no, nxt.pass_no, nxt.chain_index) == (3, 2, 0)
    assert result.run.pass_no == 2 and result.run.current_step_no == 3
    assert result.task.decision_reason == "angka pagu belum sesuai" and result.task.outcome_key == "kembali"
    history = [h for h in engine.history(run_id) if h.kind == "decision_made"]
    assert history[-1].data["reason"] == "angka pagu belum sesuai"


def test_approving_the_last_decision_finishes_the_run(org: Org, engine: SopEngine, run_id: int) -> None:
    _to_step(org, run_id, 5)
    task = org.active(run_id)
    result = engine.decide(task.id, org.holder(task), "setuju")
    assert result.run_finished and result.next_tasks == ()
    assert result.run.status == "finished" and result.run.finished_at == org.clock.now
    assert engine.current_tasks(run_id) == [] and engine.active_runs(org.chat_id) == []


def test_an_external_party_is_confirmed_on_behalf_by_the_coordinator_with_a_reason(
    org: Org, engine: SopEngine, run_id: int
) -> None:
    _to_step(org, run_id, 2)
    org.act(run_id)
    task = org.active(run_id)
    assert task.role.key == "forum_skpd" and task.role.eksternal and not task.unassigned
    with pytest.raises(RoleIsExternal):
        engine.confirm(task.id, org.coordinator)
    with pytest.raises(NotCoordinator):
        engine.confirm_on_behalf(task.id, org.people["sekretaris"], "rapat selesai")
    with pytest.raises(ReasonRequired) as refused:
        engine.confirm_on_behalf(task.id, org.coordinator, " ")
    assert refused.value.action == "on_behalf"
    result = engine.confirm_on_behalf(task.id, org.coordinator, "Forum SKPD sudah menyepakati lewat rapat")
    assert result.task.on_behalf and result.task.on_behalf_reason == "Forum SKPD sudah menyepakati lewat rapat"
    assert result.task.completed_by is not None and result.task.completed_by.id == org.coordinator
    assert result.next_tasks[0].step_no == 3


def test_the_coordinator_may_act_for_an_absent_holder_and_decide_for_them(
    org: Org, engine: SopEngine, run_id: int
) -> None:
    task = org.active(run_id)
    result = engine.confirm_on_behalf(task.id, org.coordinator, "Budi sedang dinas luar")
    assert result.task.on_behalf and result.next_tasks[0].step_no == 2
    _to_step(org, run_id, 5)
    decision = org.active(run_id)
    with pytest.raises(UnknownOutcome):
        engine.confirm_on_behalf(decision.id, org.coordinator, "Kepala cuti")
    result = engine.confirm_on_behalf(decision.id, org.coordinator, "disposisi lewat telepon", outcome_key="kembali")
    assert result.outcome is not None and result.outcome.key == "kembali" and result.new_pass
    assert result.task.decision_reason == "disposisi lewat telepon"


def test_an_outcome_for_a_plain_task_on_behalf_is_refused(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    with pytest.raises(NotADecision):
        engine.confirm_on_behalf(task.id, org.coordinator, "alasan", outcome_key="setuju")


def test_evidence_is_kept_with_the_confirmation(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    evidence = [EvidenceInput("document", file_id="F1", filename="nota.pdf", caption="Nota dinas", chat_id=org.chat_id,
                              message_id=55)]
    engine.confirm(task.id, org.holder(task), evidence=evidence)
    (entry,) = [h for h in engine.history(run_id) if h.kind == "task_confirmed"]
    (item,) = entry.evidence
    assert (item.kind, item.file_id, item.filename, item.caption, item.message_id) == (
        "document", "F1", "nota.pdf", "Nota dinas", 55
    )
    assert item.added_by.id == org.holder(task) and item.task_id == task.id


def test_evidence_may_come_from_the_holder_the_coordinator_or_who_just_completed_the_task(
    org: Org, engine: SopEngine, run_id: int
) -> None:
    task = org.active(run_id)
    holder = org.holder(task)
    engine.attach_evidence(task.id, holder, "photo", file_id="P1")
    engine.attach_evidence(task.id, org.coordinator, "link", caption="https://contoh.go.id/renja")
    with pytest.raises(NotRoleHolder):
        engine.attach_evidence(task.id, org.people["sekretaris"], "photo", file_id="P2")
    engine.confirm(task.id, holder)
    late = engine.attach_evidence(task.id, holder, "document", file_id="D1", filename="lampiran.pdf")
    assert late.task_id == task.id
    org.act(run_id)
    with pytest.raises(TaskNotCurrent):
        engine.attach_evidence(task.id, holder, "document", file_id="D2")
    added = [h for h in engine.history(run_id) if h.kind == "evidence_added"]
    assert [e.evidence[0].file_id for e in added] == ["P1", None, "D1"]


def test_times_are_recorded_in_utc(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    assert task.started_at is not None and task.started_at.utcoffset() == timedelta(0)

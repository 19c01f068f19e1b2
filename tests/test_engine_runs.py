"""Starting, finding, showing and cancelling runs; SOP versions pinned at the start."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.permissions import Actor
from bot.engine import SopEngine
from bot.engine.errors import NotCoordinator, RunNotActive, RunNotFound, UnknownSop
from bot.domain.sop import SopDefinition
from bot.domain.working_calendar import WorkCalendar
from db_fixtures import GROUP, T0, FakeClock, Org

KALBAR = "renja-bappeda-kalbar"


def test_starting_a_run_activates_the_first_actor_of_the_first_step(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR, "Renja 2027")
    assert (run.number, run.title, run.status, run.current_step_no, run.pass_no) == (1, "Renja 2027", "active", 1, 1)
    assert run.sop_nama == "Menyusun Rencana Kerja" and run.coordinator.id == org.coordinator
    (task,) = engine.current_tasks(run.id)
    assert (task.step_no, task.chain_index, task.status, task.role.key) == (1, 0, "active", "kasubbag_renja")
    assert task.started_at == T0
    assert task.due_at == T0 + timedelta(minutes=60)
    assert task.standard_minutes == 60


def test_every_actor_of_a_chain_shares_the_step_due_time(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    org.act(run.id)
    first, second = engine.current_tasks(run.id)
    assert (first.status, second.status) == ("active", "waiting")
    assert first.due_at == second.due_at == org.clock.now + timedelta(minutes=120)
    assert second.started_at is None


def test_due_times_count_working_minutes_in_the_chat_zone(
    engine_factory: Callable[..., SopEngine], clock: FakeClock
) -> None:
    """Friday 15:50 WIB + 60 working minutes = Monday 08:50 WIB."""
    clock.now = datetime(2026, 3, 6, 8, 50, tzinfo=UTC)
    engine = engine_factory(calendar_for=lambda tz: WorkCalendar(tz))
    run = Org(engine, clock).start(KALBAR)
    (task,) = engine.current_tasks(run.id)
    assert task.due_at == datetime(2026, 3, 9, 1, 50, tzinfo=UTC)
    clock.now = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB
    status = engine.status(run.id)
    assert status.elapsed_minutes == pytest.approx(10)
    assert not status.overdue


def test_runs_are_numbered_per_chat(org: Org, engine: SopEngine) -> None:
    first = org.start(KALBAR, "A")
    second = org.start(KALBAR, "B", claim=False)
    elsewhere = Org(engine, org.clock, chat_id=-42).start(KALBAR, "C", claim=False)
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert engine.run_by_number(GROUP, 2).id == second.id
    assert [r.id for r in engine.active_runs(GROUP)] == [first.id, second.id]
    with pytest.raises(RunNotFound) as refused:
        engine.run_by_number(GROUP, 9)
    assert refused.value.params == {"run_id": None, "chat_id": GROUP, "number": 9}


def test_a_run_without_title_is_named_after_its_sop(org: Org, engine: SopEngine) -> None:
    org.person(org.coordinator, "Koordinator")
    run = engine.start_run(GROUP, KALBAR, None, org.coordinator)
    assert run.title == "Menyusun Rencana Kerja"


def test_starting_an_unknown_sop_is_refused(engine: SopEngine) -> None:
    with pytest.raises(UnknownSop) as refused:
        engine.start_run(GROUP, "tidak-ada", "x", 1)
    assert refused.value.code == "unknown_sop" and refused.value.params == {"sop_id": "tidak-ada"}


def test_unknown_runs_are_reported(engine: SopEngine) -> None:
    with pytest.raises(RunNotFound):
        engine.status(12345)


def test_status_shows_step_role_holder_times_chain_and_what_comes_next(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    org.act(run.id)
    org.clock.advance(minutes=30)
    status = engine.status(run.id)
    assert status.run.id == run.id and status.step is not None and status.task is not None
    assert (status.step.no, status.step.kelengkapan, status.step.output) == (2, "Undangan Rapat", status.step.output)
    assert status.role is not None and status.role.key == "kepala_bidang"
    assert status.holder is not None and status.holder.id == org.people["kepala_bidang"]
    assert status.elapsed_minutes == pytest.approx(30)
    assert status.standard_minutes == 120 and not status.overdue
    assert [(c.role.key, c.status) for c in status.chain] == [("kepala_bidang", "active"), ("forum_skpd", "waiting")]
    assert status.chain[1].role.eksternal and status.chain[1].holder is None
    assert [n.step.no for n in status.next_steps] == [3, 4, 5]
    assert [h.role.key for h in status.next_steps[0].holders] == ["sekretaris", "kasubbag_renja"]
    assert status.next_steps[0].holders[0].holder is not None
    assert status.next_steps[2].step.decision is not None
    assert [o.key for o in status.next_steps[2].step.decision.outcomes] == ["setuju", "kembali"]
    org.clock.advance(minutes=100)
    assert engine.status(run.id).overdue


def test_cancelling_is_for_the_coordinator_or_a_group_admin(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    stranger = org.people["sekretaris"]
    with pytest.raises(NotCoordinator) as refused:
        engine.cancel_run(run.id, stranger)
    assert refused.value.coordinator_id == org.coordinator
    cancelled = engine.cancel_run(run.id, Actor(stranger, chat_admin=True), "salah SOP")
    assert cancelled.status == "cancelled" and cancelled.cancel_reason == "salah SOP"
    assert cancelled.cancelled_by is not None and cancelled.cancelled_by.id == stranger
    assert engine.current_tasks(run.id) == []
    assert engine.active_runs(GROUP) == []
    assert engine.status(run.id).task is None


def test_a_cancelled_run_cannot_be_cancelled_again_or_worked_on(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    task = org.active(run.id)
    engine.cancel_run(run.id, org.coordinator)
    with pytest.raises(RunNotActive) as refused:
        engine.cancel_run(run.id, org.coordinator)
    assert refused.value.status == "cancelled"
    with pytest.raises(Exception) as late:
        engine.confirm(task.id, org.holder(task))
    assert late.value.code == "task_not_current"  # type: ignore[attr-defined]


# -- SOP versions ---------------------------------------------------------------------------
def _edited(sop: SopDefinition) -> SopDefinition:
    """The same SOP with step 1 renamed and made longer, as if its YAML were edited."""
    data = sop.model_dump(mode="json")
    data["steps"][0]["aktivitas"] = "Aktivitas yang sudah direvisi"
    data["steps"][0]["waktu"] = "90 menit"
    return SopDefinition.model_validate(data)


def test_a_run_keeps_the_sop_version_it_started_with(
    org: Org, engine: SopEngine, sops: dict[str, SopDefinition]
) -> None:
    old_run = org.start(KALBAR, "lama")
    sops[KALBAR] = _edited(sops[KALBAR])
    new_run = org.start(KALBAR, "baru", claim=False)
    assert new_run.sop_version_id != old_run.sop_version_id
    assert engine.status(old_run.id).step.aktivitas != "Aktivitas yang sudah direvisi"  # type: ignore[union-attr]
    assert engine.status(new_run.id).step.aktivitas == "Aktivitas yang sudah direvisi"  # type: ignore[union-attr]
    assert engine.status(new_run.id).standard_minutes == 90
    del sops[KALBAR]  # even a deleted file does not stop the old run
    results = org.finish(old_run.id)
    assert results[-1].run.status == "finished"


def test_unchanged_content_reuses_the_stored_version(org: Org, sops: dict[str, SopDefinition]) -> None:
    first = org.start(KALBAR, "A", claim=False)
    sops[KALBAR] = SopDefinition.model_validate(sops[KALBAR].model_dump(mode="json"))
    second = org.start(KALBAR, "B", claim=False)
    assert first.sop_version_id == second.sop_version_id
    assert first.content_hash == second.content_hash == sops[KALBAR].content_hash()


def test_the_sop_catalog_may_be_a_reloadable_callable(
    engine_factory: Callable[..., SopEngine], clock: FakeClock, seed_sops: dict[str, SopDefinition]
) -> None:
    current = {KALBAR: seed_sops[KALBAR]}
    engine = engine_factory(sops=lambda: current)
    assert [s.id for s in engine.available_sops()] == [KALBAR]
    current = {"renja-bappeda-bogor": seed_sops["renja-bappeda-bogor"]}
    with pytest.raises(UnknownSop):
        Org(engine, clock).start(KALBAR)
    assert [s.id for s in engine.available_sops()] == ["renja-bappeda-bogor"]

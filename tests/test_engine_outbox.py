"""Notifications decided with each state change, and the sender's view of the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.engine import SopEngine
from bot.engine.errors import NotRoleHolder
from bot.engine.views import NotificationView
from db_fixtures import GROUP, Org

KALBAR = "renja-bappeda-kalbar"
ID_FIELDS = {
    "event_id", "run_id", "chat_id", "task_id", "step_no", "pass_no", "role_key", "user_id", "notice", "on_behalf",
    "outcome_key", "next_task_ids", "next_step_no", "by_user_id", "replaced_user_id",
}


def _after(engine: SopEngine, mark: int) -> list[NotificationView]:
    return [n for n in engine.pending_notifications(10_000) if n.id > mark]


def _mark(engine: SopEngine) -> int:
    pending = engine.pending_notifications(10_000)
    return max((n.id for n in pending), default=0)


def _summary(notes: list[NotificationView]) -> list[tuple[str, str | None, int | None]]:
    return [
        (n.kind, n.payload.get("notice"), n.user_id if n.user_id is not None else n.chat_id) for n in notes
    ]


@pytest.fixture
def run_id(org: Org) -> int:
    return org.start(KALBAR).id


def test_starting_a_run_tells_the_group_and_the_first_actor(org: Org, engine: SopEngine) -> None:
    org.person(2000, "Budi")
    run = org.start(KALBAR, claim=False)
    notes = [n for n in engine.pending_notifications(100) if n.run_id == run.id]
    assert _summary(notes) == [("group_notice", "run_started", GROUP), ("task_unassigned", None, GROUP)]


def test_a_confirmation_tells_the_group_and_the_next_holder_privately(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    mark = _mark(engine)
    result = engine.confirm(task.id, org.holder(task))
    notes = _after(engine, mark)
    nxt = result.next_tasks[0]
    assert _summary(notes) == [("group_notice", "step_done", GROUP), ("task_assigned", None, org.holder(nxt))]
    assigned = notes[1].payload
    assert (assigned["task_id"], assigned["step_no"], assigned["role_key"], assigned["chat_id"]) == (
        nxt.id, 2, "kepala_bidang", GROUP
    )
    assert notes[0].payload["next_task_ids"] == [nxt.id] and notes[0].payload["user_id"] == org.holder(task)


def test_payloads_carry_ids_only(org: Org, engine: SopEngine, run_id: int) -> None:
    org.finish(run_id)
    for note in engine.pending_notifications(10_000):
        assert set(note.payload) <= ID_FIELDS, note.payload


def test_each_kind_of_change_has_its_notice(org: Org, engine: SopEngine, run_id: int) -> None:
    notices = []
    for _ in range(7):
        mark = _mark(engine)
        org.act(run_id)
        notices += [n.payload["notice"] for n in _after(engine, mark) if n.kind == "group_notice"]
    task = org.active(run_id)
    mark = _mark(engine)
    engine.decide(task.id, org.holder(task), "kembali", reason="kurang")
    notices += [n.payload["notice"] for n in _after(engine, mark) if n.kind == "group_notice"]
    assert notices == ["step_done", "task_done", "step_done", "task_done", "step_done", "task_done", "step_done",
                       "decision"]
    mark = _mark(engine)
    engine.cancel_run(run_id, org.coordinator, "diulang tahun depan")
    assert _summary(_after(engine, mark)) == [("group_notice", "run_cancelled", GROUP)]


def test_finishing_tells_the_group(org: Org, engine: SopEngine, run_id: int) -> None:
    for _ in range(7):
        org.act(run_id)
    mark = _mark(engine)
    org.act(run_id, outcome="setuju")
    assert _summary(_after(engine, mark)) == [("group_notice", "run_finished", GROUP)]


def test_an_external_party_s_turn_goes_to_the_coordinator(org: Org, engine: SopEngine, run_id: int) -> None:
    org.act(run_id)
    mark = _mark(engine)
    org.act(run_id)
    (assigned,) = [n for n in _after(engine, mark) if n.kind == "task_assigned"]
    assert assigned.user_id == org.coordinator and assigned.payload["on_behalf"] is True
    assert assigned.payload["role_key"] == "forum_skpd"


def test_a_refused_operation_writes_no_notification_and_no_event(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    mark, events = _mark(engine), len(engine.history(run_id))
    with pytest.raises(NotRoleHolder):
        engine.confirm(task.id, org.people["sekretaris"])
    assert _after(engine, mark) == [] and len(engine.history(run_id)) == events


def test_sent_notifications_are_not_handed_out_again(org: Org, engine: SopEngine, run_id: int) -> None:
    first = engine.pending_notifications(1)[0]
    assert engine.mark_sent(first.id)
    assert not engine.mark_sent(first.id)
    assert first.id not in [n.id for n in engine.pending_notifications(1000)]


def test_failed_notifications_come_back_at_their_retry_time_or_never(org: Org, engine: SopEngine, run_id: int) -> None:
    retry, dead = engine.pending_notifications(2)
    assert engine.mark_failed(retry.id, "Timed out", org.clock.now + timedelta(minutes=5))
    assert engine.mark_failed(dead.id, "Forbidden: bot was blocked by the user", None)
    pending = [n.id for n in engine.pending_notifications(1000)]
    assert retry.id not in pending and dead.id not in pending
    org.clock.advance(minutes=5)
    again = {n.id: n for n in engine.pending_notifications(1000)}
    assert retry.id in again and again[retry.id].attempts == 1
    assert dead.id not in again


def test_dedupe_keys_are_unique(org: Org, engine: SopEngine, run_id: int) -> None:
    org.finish(run_id)
    keys = [n.dedupe_key for n in engine.pending_notifications(10_000)]
    assert len(keys) == len(set(keys))


def test_pending_notifications_come_oldest_first_and_respect_the_limit(org: Org, engine: SopEngine, run_id: int) -> None:
    org.act(run_id)
    notes = engine.pending_notifications(3)
    assert len(notes) == 3 and [n.id for n in notes] == sorted(n.id for n in notes)

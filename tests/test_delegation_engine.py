"""Plh./Plt. against the database: asking, accepting, routing of cards and nags to the
substitute for exactly the period, the record of who acted, and an end carried out once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from deadline_fixtures import (  # noqa: F401
    PEOPLE,
    NagOrg,
    nag_engine,
    nag_items,
    nag_org,
    outbox_rows,
    together,
    wib,
)
from sqlalchemy import text

from bot.deadlines.service import NagService
from bot.engine import SopEngine
from bot.engine.errors import DelegationRefused, NotRoleHolder
from db_fixtures import COORDINATOR, FakeClock
from storage.db import Database

STAF, KASUBAG, KEPALA = PEOPLE["staf"], PEOPLE["kasubag"], PEOPLE["kepala"]
SITI = 3100


def events(engine: SopEngine, kind: str) -> list[dict[str, Any]]:
    import json

    with engine.db.transaction(readonly=True) as s:
        rows = s.execute(text("SELECT actor_id, data FROM audit_events WHERE kind = :k ORDER BY id"), {"k": kind})
        return [dict(actor_id=a, data=json.loads(d) if isinstance(d, str) else d) for a, d in rows]


@pytest.fixture
def office(nag_org: Callable[..., NagOrg], clock: FakeClock) -> tuple[NagOrg, Any]:
    org = nag_org()
    run = org.start_run()
    org.person(SITI, "Siti")
    return org, run


def plh(org: NagOrg, run: Any, last_day: date = date(2026, 3, 6), **kw: Any) -> Any:
    return org.engine.request_delegation(run.id, "staf", kw.pop("substitute", SITI), kw.pop("by", STAF),
                                         last_day=last_day, **kw)


def test_nothing_changes_until_the_substitute_accepts(office: tuple[NagOrg, Any], clock: FakeClock) -> None:
    org, run = office
    task = org.active(run.id)
    asked = plh(org, run)
    assert asked.status == "pending" and asked.ends_at == wib(2026, 3, 9, 8)  # Friday end: Monday 08:00
    clock.now = wib(2026, 3, 2, 9, 0)
    NagService(org.engine).tick()
    assert {i[0] for i in nag_items(org.engine)} == {STAF, KASUBAG}
    with pytest.raises(NotRoleHolder):
        org.engine.confirm(task.id, SITI)


def test_after_accepting_cards_and_nags_go_to_the_substitute_only(
    office: tuple[NagOrg, Any], clock: FakeClock
) -> None:
    org, run = office
    task = org.active(run.id)
    asked = plh(org, run, reason="cuti tahunan")
    org.engine.answer_delegation(asked.id, SITI, accept=True)
    cards = outbox_rows(org.engine, "task_assigned")
    assert cards[-1]["user_id"] == SITI and cards[-1]["payload"]["delegation_id"] == asked.id
    view = org.engine.get_task(task.id)
    assert view.holder is not None and view.holder.id == SITI and view.acting == "plh"
    assert view.acting_for is not None and view.acting_for.id == STAF
    clock.now = wib(2026, 3, 2, 9, 0)
    NagService(org.engine).tick()
    assert sorted(nag_items(org.engine)) == [(KASUBAG, task.id, 1, "supervisor"), (SITI, task.id, 1, "actor")]
    assert [t.id for t in org.engine.tasks_for_user(SITI)] == [task.id]


def test_a_plh_confirmation_is_recorded_as_plh_in_task_event_and_history(
    office: tuple[NagOrg, Any], clock: FakeClock
) -> None:
    org, run = office
    task = org.active(run.id)
    org.engine.answer_delegation(plh(org, run).id, SITI, accept=True)
    clock.advance(minutes=5)
    result = org.engine.confirm(task.id, SITI)
    assert result.task.completed_by is not None and result.task.completed_by.id == SITI
    assert result.task.acting_as == "plh"
    (confirmed,) = [e for e in org.engine.history(run.id) if e.kind == "task_confirmed"]
    assert confirmed.actor is not None and confirmed.actor.id == SITI and confirmed.data["acting_as"] == "plh"
    nxt = result.next_tasks[0]  # the next step is the same role's: announced to Siti
    assert nxt.holder is not None and nxt.holder.id == SITI


def test_the_holder_on_leave_may_still_act_and_the_substitute_is_told(
    office: tuple[NagOrg, Any], clock: FakeClock
) -> None:
    org, run = office
    task = org.active(run.id)
    asked = plh(org, run)
    org.engine.answer_delegation(asked.id, SITI, accept=True)
    result = org.engine.confirm(task.id, STAF)
    assert result.task.acting_as is None
    notes = outbox_rows(org.engine, "delegation_note")
    assert [(n["user_id"], n["payload"]["what"], n["payload"]["task_id"]) for n in notes] == [(SITI, "holder_acted", task.id)]


def test_friday_end_hands_back_monday_0800_with_one_digest(office: tuple[NagOrg, Any], clock: FakeClock) -> None:
    org, run = office
    task = org.active(run.id)
    asked = plh(org, run)
    org.engine.answer_delegation(asked.id, SITI, accept=True)
    service = NagService(org.engine)
    clock.now = wib(2026, 3, 6, 15, 59)  # Friday afternoon: still Siti's
    service.tick()
    assert org.engine.get_task(task.id).holder.id == SITI  # type: ignore[union-attr]
    assert service.next_due() == wib(2026, 3, 9, 8, 0)
    clock.now = wib(2026, 3, 7, 10, 0)  # Saturday: not over yet, and nobody is nagged
    service.tick()
    assert events(org.engine, "delegation_ended") == []
    clock.now = wib(2026, 3, 9, 8, 0)
    service.tick()
    (ended,) = events(org.engine, "delegation_ended")
    assert ended["data"]["delegation_id"] == asked.id
    notes = [(n["user_id"], n["payload"]["what"]) for n in outbox_rows(org.engine, "delegation_note")]
    assert notes == [(SITI, "over"), (STAF, "handback")]
    assert outbox_rows(org.engine, "task_assigned")[-1]["user_id"] == STAF
    assert org.engine.get_task(task.id).holder.id == STAF  # type: ignore[union-attr]
    before = len(nag_items(org.engine))
    clock.now = wib(2026, 3, 9, 9, 0)
    service.tick()
    assert {i[0] for i in nag_items(org.engine)[before:]} == {STAF, KASUBAG}
    with pytest.raises(NotRoleHolder):
        org.engine.confirm(task.id, SITI)
    digest = org.engine.handback_digest(asked.id)
    assert digest.current_task_id == task.id and digest.done == ()
    assert digest.reminders == 1  # the one tick during the period (Friday 15:59); Monday 09:00 was the holder's


def test_ending_early_with_selesai_hands_back_at_once(office: tuple[NagOrg, Any], clock: FakeClock) -> None:
    org, run = office
    task = org.active(run.id)
    asked = plh(org, run)
    org.engine.answer_delegation(asked.id, SITI, accept=True)
    clock.advance(minutes=3)
    org.engine.confirm(task.id, SITI)
    ended = org.engine.end_delegation(run.id, "staf", STAF)
    assert ended.status == "ended" and ended.ends_at == clock.now
    digest = org.engine.handback_digest(asked.id)
    assert [(d.task_id, d.acting_as) for d in digest.done] == [(task.id, "plh")]
    assert org.engine.next_delegation_change() is None


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"by": KEPALA}, "not_holder"),
        ({"substitute": STAF}, "self"),
        ({"last_day": date(2026, 2, 27)}, "past"),
        ({"last_day": date(2026, 5, 1)}, "too_long"),
        ({"by": COORDINATOR, "reason": " \u200b "}, "reason_required"),
        ({"first_day": date(2026, 3, 5), "last_day": date(2026, 3, 4)}, "order"),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(
    office: tuple[NagOrg, Any], kwargs: dict[str, Any], rule: str
) -> None:
    org, run = office
    with pytest.raises(DelegationRefused) as caught:
        plh(org, run, **kwargs)
    assert caught.value.rule == rule
    assert org.engine.delegations(run.id) == []


def test_overlapping_periods_and_external_roles_are_refused(office: tuple[NagOrg, Any]) -> None:
    org, run = office
    plh(org, run)
    with pytest.raises(DelegationRefused) as caught:
        plh(org, run, substitute=KEPALA, last_day=date(2026, 3, 3))
    assert caught.value.rule == "overlap"
    with pytest.raises(DelegationRefused) as caught:
        org.engine.request_delegation(run.id, "mitra", SITI, COORDINATOR, kind="plt")
    assert caught.value.rule == "external"


def test_an_expired_accept_button_changes_nothing(office: tuple[NagOrg, Any], clock: FakeClock) -> None:
    org, run = office
    asked = plh(org, run)
    clock.advance(hours=25)
    with pytest.raises(DelegationRefused) as caught:
        org.engine.answer_delegation(asked.id, SITI, accept=True)
    assert caught.value.rule == "expired"
    NagService(org.engine).tick()
    assert org.engine.get_delegation(asked.id).status == "expired"


def test_a_plt_covers_a_vacant_role_until_ended(office: tuple[NagOrg, Any], clock: FakeClock) -> None:
    org, run = office
    org.engine.release_role(run.id, "staf", STAF)
    task = org.active(run.id)
    with pytest.raises(DelegationRefused) as caught:
        org.engine.request_delegation(run.id, "staf", SITI, STAF, kind="plt")
    assert caught.value.rule == "not_coordinator"
    asked = org.engine.request_delegation(run.id, "staf", SITI, COORDINATOR, kind="plt")
    assert asked.ends_at is None
    org.engine.answer_delegation(asked.id, SITI, accept=True)
    assert not org.engine.get_task(task.id).unassigned
    result = org.engine.confirm(task.id, SITI)
    assert result.task.acting_as == "plt"


def at_the_hand_back(org: NagOrg, run: Any, clock: FakeClock) -> Any:
    """Siti accepted a Plh. until Friday 6 March; the clock is at its end, Monday 08:00."""
    asked = plh(org, run)
    org.engine.answer_delegation(asked.id, SITI, accept=True)
    clock.now = wib(2026, 3, 9, 8, 0)
    return asked


def test_two_processes_end_it_once(
    office: tuple[NagOrg, Any], nag_engine: Callable[..., SopEngine], clock: FakeClock, db_url: str
) -> None:
    org, run = office
    at_the_hand_back(org, run, clock)
    databases = [Database(db_url), Database(db_url)]
    engines = [nag_engine(db=d) for d in databases]
    done: list[int] = []

    def work(engine: SopEngine) -> None:
        for _ in range(3):
            done.append(engine.delegation_tick())

    errors = together(*(lambda e=e: work(e) for e in engines))
    for database in databases:
        database.dispose()
    assert not errors, errors
    assert sum(done) == 1
    assert len(events(org.engine, "delegation_ended")) == 1
    assert [n["payload"]["what"] for n in outbox_rows(org.engine, "delegation_note")] == ["over", "handback"]


def test_the_supervisors_alerts_go_to_their_plh(office: tuple[NagOrg, Any], clock: FakeClock) -> None:
    org, run = office
    task = org.active(run.id)
    asked = org.engine.request_delegation(run.id, "kasubag", SITI, KASUBAG, last_day=date(2026, 3, 3))
    org.engine.answer_delegation(asked.id, SITI, accept=True)
    clock.now = wib(2026, 3, 2, 9, 0)
    NagService(org.engine).tick()
    assert sorted(nag_items(org.engine)) == [(STAF, task.id, 1, "actor"), (SITI, task.id, 1, "supervisor")]


def test_a_period_starting_on_a_later_day_begins_at_its_opening(office: tuple[NagOrg, Any], clock: FakeClock) -> None:
    org, run = office
    task = org.active(run.id)
    asked = plh(org, run, first_day=date(2026, 3, 3), last_day=date(2026, 3, 4))
    assert asked.starts_at == wib(2026, 3, 3, 8, 0)
    org.engine.answer_delegation(asked.id, SITI, accept=True)
    assert [c["user_id"] for c in outbox_rows(org.engine, "task_assigned")] == [STAF]  # not yet
    service = NagService(org.engine)
    clock.now = wib(2026, 3, 2, 15, 0)
    service.tick()
    assert {i[0] for i in nag_items(org.engine)} == {STAF, KASUBAG}
    assert service.next_due() == wib(2026, 3, 3, 8, 0)
    clock.now = wib(2026, 3, 3, 8, 0)
    service.tick()
    assert len(events(org.engine, "delegation_begun")) == 1
    card = outbox_rows(org.engine, "task_assigned")[-1]
    assert (card["user_id"], card["payload"]["task_id"], card["payload"]["delegation_id"]) == (SITI, task.id, asked.id)
    service.tick()
    assert len(events(org.engine, "delegation_begun")) == 1


def test_a_report_names_the_substitute_as_plh(office: tuple[NagOrg, Any], clock: FakeClock) -> None:
    from bot.reports import Reports, build_run_report
    from bot.reports.workbook import people_text

    org, run = office
    org.engine.answer_delegation(plh(org, run).id, SITI, accept=True)
    clock.advance(minutes=5)
    org.engine.confirm(org.active(run.id).id, SITI)
    report = build_run_report(Reports.for_engine(org.engine).run_facts(run.id), org.engine.calendar("Asia/Jakarta"), clock.now)
    assert people_text(report.steps[0], "id") == "Siti (Plh. Staf Perencanaan)"


def test_claiming_a_role_covered_by_a_plt_ends_the_plt(office: tuple[NagOrg, Any], clock: FakeClock) -> None:
    org, run = office
    org.engine.release_role(run.id, "staf", STAF)
    asked = org.engine.request_delegation(run.id, "staf", SITI, COORDINATOR, kind="plt")
    org.engine.answer_delegation(asked.id, SITI, accept=True)
    clock.advance(minutes=1)
    org.engine.claim_role(run.id, "staf", KEPALA)
    assert org.engine.get_delegation(asked.id).status == "ended"
    task = org.active(run.id)
    assert task.holder is not None and task.holder.id == KEPALA and task.acting is None
    assert [(n["user_id"], n["payload"]["what"]) for n in outbox_rows(org.engine, "delegation_note")] == [(SITI, "over"), (KEPALA, "handback")]
    assert [c["user_id"] for c in outbox_rows(org.engine, "task_assigned")].count(KEPALA) == 1  # one card, not two
    ended = [r for r in outbox_rows(org.engine, "group_notice") if r["payload"]["notice"] == "delegation_ended"]
    assert [r["payload"]["holder_id"] for r in ended] == [KEPALA]  # the group hears who holds it now


def test_the_substitute_may_attach_evidence_to_the_task_they_cover(office: tuple[NagOrg, Any]) -> None:
    org, run = office
    task = org.active(run.id)
    with pytest.raises(NotRoleHolder):
        org.engine.attach_evidence(task.id, SITI, "text", None, None, "notulen", None, None)
    org.engine.answer_delegation(plh(org, run).id, SITI, accept=True)
    added = org.engine.attach_evidence(task.id, SITI, "text", None, None, "notulen", None, None)
    assert added.added_by.id == SITI


def test_a_delegation_of_a_run_that_ended_ends_quietly(office: tuple[NagOrg, Any], clock: FakeClock) -> None:
    org, run = office
    asked = plh(org, run)
    org.engine.answer_delegation(asked.id, SITI, accept=True)
    org.engine.cancel_run(run.id, COORDINATOR, reason="tidak jadi")
    before = len(outbox_rows(org.engine, "delegation_note"))
    clock.now = wib(2026, 3, 9, 8, 0)
    assert org.engine.delegation_tick() == 1
    assert org.engine.get_delegation(asked.id).status == "ended"
    assert len(outbox_rows(org.engine, "delegation_note")) == before and org.engine.next_delegation_change() is None


def test_a_substitute_who_presses_start_later_gets_a_recorded_card(
    nag_org: Callable[..., NagOrg], clock: FakeClock
) -> None:
    org = nag_org()
    run = org.start_run()
    org.person(SITI, "Siti", started=False)
    asked = plh(org, run)
    org.engine.answer_delegation(asked.id, SITI, accept=True)
    assert outbox_rows(org.engine, "start_private_prompt")[-1]["payload"]["user_id"] == SITI  # the group mention fallback
    org.engine.mark_started(SITI)
    card = outbox_rows(org.engine, "task_assigned")[-1]
    assert (card["user_id"], card["payload"]["delegation_id"]) == (SITI, asked.id)


def test_runs_without_a_substitute_never_read_the_delegations(office: tuple[NagOrg, Any], clock: FakeClock) -> None:
    from sqlalchemy import event

    org, run = office
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "delegations" in statement:
            seen.append(statement)

    bind = org.engine.db.engine
    event.listen(bind, "before_cursor_execute", count)
    try:
        org.engine.confirm(org.active(run.id).id, STAF)
        org.engine.get_task(org.active(run.id).id)
        assert seen == []
        asked = plh(org, run)
        org.engine.answer_delegation(asked.id, SITI, accept=True)
        org.engine.end_delegation(run.id, "staf", STAF)
        assert seen  # the listener does see them
        seen.clear()
        org.engine.get_task(org.active(run.id).id)  # the period is over: back to no reads
        assert seen == []
    finally:
        event.remove(bind, "before_cursor_execute", count)


def test_selesai_at_the_end_instant_racing_the_tick_ends_it_once(
    office: tuple[NagOrg, Any], nag_engine: Callable[..., SopEngine], clock: FakeClock, db_url: str
) -> None:
    org, run = office
    at_the_hand_back(org, run, clock)
    databases = [Database(db_url), Database(db_url)]
    ticker, holder = (nag_engine(db=d) for d in databases)
    outcomes: list[str] = []

    def end_by_hand() -> None:
        try:
            outcomes.append(holder.end_delegation(run.id, "staf", STAF).status)
        except DelegationRefused as exc:
            outcomes.append(exc.rule)

    errors = together(lambda: outcomes.append(str(ticker.delegation_tick())), end_by_hand)
    for database in databases:
        database.dispose()
    assert not errors, errors
    assert sorted(outcomes) == ["1", "none"]  # at the end instant the period is over: only the tick hands back
    assert len(events(org.engine, "delegation_ended")) == 1
    assert [n["payload"]["what"] for n in outbox_rows(org.engine, "delegation_note")] == ["over", "handback"]

"""The deadline repository's statements on their own: the earliest moment, the due tasks in
order, a nag_log claim that lands once, the re-arming, and who is reached. On SQLite and,
with TEST_DATABASE_URL set, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from deadline_fixtures import PEOPLE, NagOrg, nag_engine, nag_org, wib  # noqa: F401

from db_fixtures import COORDINATOR, FakeClock
from storage.repositories import deadlines
from storage.repositories.deadlines import DeadlineRepository, NagClaim, Rearm

STAF, KASUBAG = PEOPLE["staf"], PEOPLE["kasubag"]
SITI = 3100


def test_nothing_pending_means_no_next_moment_and_nothing_due(nag_org: Callable[..., NagOrg]) -> None:
    org = nag_org()
    with org.engine.db.transaction() as s:
        repo = DeadlineRepository(s)
        assert repo.next_due() is None
        assert repo.due(wib(2030, 1, 1, 9), 10) == []
        assert repo.claim([], wib(2030, 1, 1, 9)) == set()
        assert repo.holders([], wib(2030, 1, 1, 9)) == {} and repo.reachable([]) == set()
        repo.rearm([])


def test_the_due_tasks_come_oldest_first_up_to_the_limit_with_their_runs(
        nag_org: Callable[..., NagOrg], clock: FakeClock) -> None:
    org = nag_org()
    first = org.start_run("Pertama")
    clock.advance(minutes=10)
    second = org.start_run("Kedua")
    one, two = org.active(first.id), org.active(second.id)
    with org.engine.db.transaction(readonly=True) as s:
        repo = DeadlineRepository(s)
        assert repo.next_due() == wib(2026, 3, 2, 9)  # 60 working minutes after 08:00
        assert repo.due(wib(2026, 3, 2, 8, 59), 10) == []
        due = repo.due(wib(2026, 3, 2, 12), 10)
        assert [d.task_id for d in due] == [one.id, two.id]
        assert repo.due(wib(2026, 3, 2, 12), 1)[0].task_id == one.id
    task = due[0]
    assert (task.run_id, task.chat_id, task.role_key, task.coordinator_id) == (first.id, org.chat_id, "staf", COORDINATOR)
    assert task.active and not task.has_covers and task.due_at == wib(2026, 3, 2, 9) and task.nag_round is None


def test_a_cancelled_run_is_due_but_no_longer_active(nag_org: Callable[..., NagOrg]) -> None:
    org = nag_org()
    run = org.start_run()
    task = org.active(run.id)
    org.engine.cancel_run(run.id, COORDINATOR, "salah SOP")
    with org.engine.db.transaction() as s:  # still armed after its run ended (the tick only disarms it)
        DeadlineRepository(s).rearm([Rearm(task.id, wib(2026, 3, 2, 9), None)])
    with org.engine.db.transaction(readonly=True) as s:
        (due,) = DeadlineRepository(s).due(wib(2026, 3, 2, 10), 10)
    assert due.task_id == task.id and not due.active


def test_a_round_is_claimed_once_across_transactions_and_chunks(
        nag_org: Callable[..., NagOrg], monkeypatch: pytest.MonkeyPatch) -> None:
    org = nag_org()
    run = org.start_run()
    task = org.active(run.id)
    now = wib(2026, 3, 2, 9)
    monkeypatch.setattr(deadlines, "INSERT_CHUNK", 2)  # three rounds: two INSERT statements
    rounds = [NagClaim(task.id, n, run.id, 60 * (n - 1)) for n in (1, 2, 3)]
    with org.engine.db.transaction() as s:
        assert DeadlineRepository(s).claim(rounds, now) == {(task.id, 1), (task.id, 2), (task.id, 3)}
    with org.engine.db.transaction() as s:  # a second scheduler, or the same one after a restart
        repo = DeadlineRepository(s)
        assert repo.claim(rounds, now) == set()
        assert repo.claim([NagClaim(task.id, 4, run.id, 180)], now) == {(task.id, 4)}


def test_rearming_moves_and_disarms_tasks_and_the_next_moment_follows(nag_org: Callable[..., NagOrg]) -> None:
    org = nag_org()
    run = org.start_run()
    task = org.active(run.id)
    with org.engine.db.transaction() as s:
        DeadlineRepository(s).rearm([Rearm(task.id, wib(2026, 3, 3, 10), 2)])
    with org.engine.db.transaction(readonly=True) as s:
        repo = DeadlineRepository(s)
        assert repo.next_due() == wib(2026, 3, 3, 10)
        (due,) = repo.due(wib(2026, 3, 3, 10), 10)
        assert due.nag_round == 2
    with org.engine.db.transaction() as s:
        DeadlineRepository(s).rearm([Rearm(task.id, None, 2)])
    with org.engine.db.transaction(readonly=True) as s:
        assert DeadlineRepository(s).next_due() is None


def test_the_holders_are_the_active_ones_or_the_substitute_in_force_and_only_starters_are_reached(
        nag_org: Callable[..., NagOrg], clock: FakeClock) -> None:
    org = nag_org()
    run = org.start_run()
    org.person(SITI, "Siti", started=False)
    now = wib(2026, 3, 2, 9)
    with org.engine.db.transaction(readonly=True) as s:
        repo = DeadlineRepository(s)
        (due,) = repo.due(now, 10)
        holders = repo.holders([due], now)
    assert holders[(run.id, "staf")] == STAF and holders[(run.id, "kasubag")] == KASUBAG
    asked = org.engine.request_delegation(run.id, "staf", SITI, STAF, last_day=date(2026, 3, 6))
    org.engine.answer_delegation(asked.id, SITI, accept=True)
    with org.engine.db.transaction(readonly=True) as s:
        repo = DeadlineRepository(s)
        (due,) = repo.due(now, 10)
        assert due.has_covers
        assert repo.holders([due], now)[(run.id, "staf")] == SITI
        assert repo.holders([due], now + timedelta(days=30))[(run.id, "staf")] == STAF  # the period is over
        assert repo.reachable([STAF, SITI, KASUBAG, 999]) == {STAF, KASUBAG}

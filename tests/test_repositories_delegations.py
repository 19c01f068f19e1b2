"""The delegations repository's queries (Plh./Plt.): which rows are live, a change claimed by
one transaction only, the scheduler's due list, the hand-back digest's closed bounds, and a
substitute found by @username. On SQLite and, with TEST_DATABASE_URL set, on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from db_fixtures import FakeClock, Org

from bot.domain.delegation import Cover, Status
from storage.db import Database
from storage.models import Delegation, NagLog, Run, Task, User
from storage.repositories.delegations import DelegationsRepository

KALBAR = "renja-bappeda-kalbar"
ROLE, OTHER = "sekretaris", "kasubbag_renja"
SITI, AGUS = 3100, 3101


@pytest.fixture
def run_id(org: Org) -> int:
    run = org.start(KALBAR)
    org.person(SITI, "Siti")
    org.person(AGUS, "Agus")
    return run.id


def _row(run_id: int, at: datetime, status: str = Status.PENDING, role_key: str = ROLE, **kw: object) -> Delegation:
    values: dict[str, object] = dict(
        run_id=run_id, role_key=role_key, kind="plh", holder_id=None, substitute_id=SITI, requested_by=SITI,
        status=status, starts_at=at, ends_at=at + timedelta(days=2), requested_at=at,
    )
    values.update(kw)
    return Delegation(**values)  # type: ignore[arg-type]


def _add(db: Database, *rows: Delegation) -> list[int]:
    with db.transaction() as s:
        repo = DelegationsRepository(s)
        return [repo.add(r).id or 0 for r in rows]


def test_live_rows_are_the_pending_and_accepted_ones_of_the_run_or_role_oldest_first(
        run_id: int, db: Database, clock: FakeClock) -> None:
    at = clock.now
    ids = _add(db, _row(run_id, at, Status.ACCEPTED), _row(run_id, at, Status.DECLINED),
               _row(run_id, at, Status.PENDING, OTHER), _row(run_id, at, Status.ENDED),
               _row(run_id, at, Status.PENDING))
    with db.transaction(readonly=True) as s:
        repo = DelegationsRepository(s)
        assert [r.id for r in repo.live(run_id)] == [ids[0], ids[2], ids[4]]
        assert [r.id for r in repo.live(run_id, ROLE)] == [ids[0], ids[4]]
        covers = repo.live_covers(run_id, ROLE)
        assert all(isinstance(c, Cover) for c in covers)
        assert [(c.id, c.status) for c in covers] == [(ids[0], Status.ACCEPTED), (ids[4], Status.PENDING)]
        assert repo.live(run_id + 1) == []
    with db.transaction() as s:
        repo = DelegationsRepository(s)
        run = s.get(Run, run_id)
        assert run is not None and run.has_covers is False
        assert repo.in_force(run, at) == {}  # a run that never had a cover reads none
        repo.still_covered(run)
        assert run.has_covers is True
        # In force: accepted and within its period, by role.
        assert {k: c.id for k, c in repo.in_force(run, at).items()} == {ROLE: ids[0]}
        assert repo.in_force(run, at - timedelta(seconds=1)) == {}
        assert repo.in_force(run, at + timedelta(days=2)) == {}  # the period is half-open


def test_a_change_is_claimed_by_one_transaction_only(run_id: int, db: Database, clock: FakeClock) -> None:
    (row_id,) = _add(db, _row(run_id, clock.now, Status.ACCEPTED))
    with db.transaction() as s:
        repo = DelegationsRepository(s)
        found = repo.locked(row_id)
        assert found is not None
        row, run = found
        assert run.id == run_id and row.id == row_id
        assert repo.claim(row, {"begun": True}, status=Status.PENDING) is False  # not in that status
        assert repo.claim(row, {"begun": True}, status=Status.ACCEPTED, begun=False) is True
        assert row.begun is True  # read again after the UPDATE
        assert repo.claim(row, {"begun": True}, status=Status.ACCEPTED, begun=False) is False
    with db.transaction() as s:  # another transaction, after the first committed
        repo = DelegationsRepository(s)
        row = repo.get(row_id)
        assert row is not None and row.begun is True
        won = repo.claim(row, {"status": Status.ENDED, "next_change_at": None}, status=Status.ACCEPTED)
        assert won is True and row.status == Status.ENDED
    with db.transaction() as s:
        repo = DelegationsRepository(s)
        row = repo.get(row_id)
        assert row is not None
        assert repo.claim(row, {"status": Status.ENDED}, status=Status.ACCEPTED) is False
        assert repo.locked(row_id + 100) is None


def test_cutting_a_period_short_and_keeping_the_runs_cover_flag(run_id: int, db: Database, clock: FakeClock) -> None:
    (row_id,) = _add(db, _row(run_id, clock.now, Status.ACCEPTED))
    early = clock.now + timedelta(hours=3)
    with db.transaction() as s:
        repo = DelegationsRepository(s)
        found = repo.locked(row_id)
        assert found is not None
        row, run = found
        repo.still_covered(run)
        assert run.has_covers is True
        repo.cut_short(row, early)
        assert row.ends_at == early
        repo.claim(row, {"status": Status.ENDED}, status=Status.ACCEPTED)
        repo.still_covered(run)
        assert run.has_covers is False
    with db.transaction(readonly=True) as s:
        again = s.get(Run, run_id)
        assert again is not None and again.has_covers is False
        ended = DelegationsRepository(s).get(row_id)
        assert ended is not None and ended.ends_at == early and ended.status == Status.ENDED


def test_the_scheduler_sees_due_changes_earliest_first_within_its_limit(
        run_id: int, db: Database, clock: FakeClock) -> None:
    now = clock.now
    with db.transaction(readonly=True) as s:
        repo = DelegationsRepository(s)
        assert repo.next_change() is None and repo.due(now, 10) == []
    ids = _add(db, _row(run_id, now, next_change_at=now), _row(run_id, now, next_change_at=now - timedelta(hours=1)),
               _row(run_id, now, next_change_at=now + timedelta(seconds=1)), _row(run_id, now, next_change_at=None),
               _row(run_id, now, next_change_at=now))
    with db.transaction(readonly=True) as s:
        repo = DelegationsRepository(s)
        assert repo.due(now, 10) == [ids[1], ids[0], ids[4]]  # by time, then id; later and None are not due
        assert repo.due(now, 2) == [ids[1], ids[0]]
        assert repo.next_change() == now - timedelta(hours=1)


def test_the_handback_digest_reads_the_roles_work_within_the_closed_period(
        run_id: int, db: Database, clock: FakeClock) -> None:
    start, end = clock.now, clock.now + timedelta(days=1)
    done_at = {91: start, 92: end, 93: start + timedelta(hours=1), 94: end + timedelta(microseconds=1),
               95: start - timedelta(microseconds=1)}
    with db.transaction() as s:
        tasks = {no: Task(run_id=run_id, step_no=no, role_key=ROLE, status="done", standard_minutes=60,
                          completed_at=at, completed_by=SITI, created_at=start) for no, at in done_at.items()}
        tasks[96] = Task(run_id=run_id, step_no=96, role_key=OTHER, status="done", standard_minutes=60,
                         completed_at=start, completed_by=AGUS, created_at=start)
        tasks[97] = Task(run_id=run_id, step_no=97, role_key=ROLE, status="cancelled", standard_minutes=60,
                         completed_at=start, created_at=start)
        s.add_all(tasks.values())
        s.flush()
        nags = [(91, 0, start), (91, 1, end), (93, 1, start + timedelta(hours=2)), (94, 1, end + timedelta(seconds=1)),
                (95, 1, start - timedelta(seconds=1)), (96, 1, start + timedelta(hours=1))]
        s.add_all(NagLog(task_id=tasks[no].id, round=r, run_id=run_id, late_minutes=0, claimed_at=at)
                  for no, r, at in nags)
    with db.transaction(readonly=True) as s:
        repo = DelegationsRepository(s)
        assert [t.step_no for t in repo.done_during(run_id, ROLE, start, end)] == [91, 93, 92]  # in order done
        assert [t.step_no for t in repo.done_during(run_id, OTHER, start, end)] == [96]
        assert repo.done_during(run_id + 1, ROLE, start, end) == []
        assert repo.reminders_during(run_id, ROLE, start, end) == 3  # 91 twice, 93; not 94/95 (outside) nor 96
        assert repo.reminders_during(run_id, OTHER, start, end) == 1
        assert repo.reminders_during(run_id, ROLE, end + timedelta(days=1), end + timedelta(days=2)) == 0


def test_a_substitute_is_found_by_username_whatever_its_case_the_latest_seen_first(
        db: Database, clock: FakeClock) -> None:
    with db.transaction() as s:
        s.add(User(id=SITI, username="Siti_A", created_at=clock.now, updated_at=clock.now))
        s.add(User(id=AGUS, username="siti_a", created_at=clock.now, updated_at=clock.now + timedelta(minutes=1)))
        s.add(User(id=3102, username=None, created_at=clock.now, updated_at=clock.now))
    with db.transaction(readonly=True) as s:
        repo = DelegationsRepository(s)
        found = repo.user_by_username("@SITI_A")
        assert found is not None and found.id == AGUS
        assert repo.user_by_username("siti") is None

"""Units of work, UTC timestamps, SQLite under concurrent writers, and the rules the
database itself enforces (one holder per role, one active task per run, one event per
request id)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import col, select

from storage.db import Database
from storage.models import (
    AssignmentStatus,
    AuditEvent,
    Chat,
    RoleAssignment,
    Run,
    SopVersion,
    Task,
    TaskStatus,
    User,
)

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
WIB = timezone(timedelta(hours=7))


def _run(db: Database) -> int:
    """A chat, a coordinator, an SOP version and a run to hang rows on."""
    with db.transaction() as s:
        s.add(Chat(id=-1, type="group", created_at=NOW, updated_at=NOW))
        s.add(User(id=1, created_at=NOW, updated_at=NOW))
        version = SopVersion(sop_id="x", content_hash="h", nama="X", content={}, created_at=NOW)
        s.add(version)
        s.flush()
        run = Run(chat_id=-1, number=1, sop_version_id=version.id or 0, title="t", coordinator_id=1, started_at=NOW)
        s.add(run)
        s.flush()
        assert run.id is not None
        return run.id


def test_timestamps_come_back_utc_aware_whatever_zone_went_in(db: Database) -> None:
    with db.transaction() as s:
        s.add(User(id=7, unreachable_since=datetime(2026, 3, 2, 8, 30, tzinfo=WIB), created_at=NOW, updated_at=NOW))
    with db.transaction(readonly=True) as s:
        user = s.get(User, 7)
        assert user is not None and user.unreachable_since is not None
        assert user.unreachable_since.tzinfo == UTC
        assert user.unreachable_since == datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
        assert user.created_at == NOW and user.created_at.utcoffset() == timedelta(0)


def test_naive_timestamps_are_refused(db: Database) -> None:
    with pytest.raises(StatementError, match="naive"):
        with db.transaction() as s:
            s.add(User(id=8, created_at=datetime(2026, 1, 1), updated_at=NOW))


def test_timestamps_compare_correctly_in_sql(db: Database) -> None:
    with db.transaction() as s:
        s.add(User(id=9, unreachable_since=datetime(2026, 3, 2, 7, 59, tzinfo=WIB), created_at=NOW, updated_at=NOW))
        s.add(User(id=10, unreachable_since=datetime(2026, 3, 2, 1, 1, tzinfo=UTC), created_at=NOW, updated_at=NOW))
    with db.transaction(readonly=True) as s:
        before = s.exec(select(User.id).where(col(User.unreachable_since) < NOW)).all()
        assert before == [9]


def test_a_transaction_commits_on_success_and_rolls_back_on_error(db: Database) -> None:
    with db.transaction() as s:
        s.add(User(id=11, created_at=NOW, updated_at=NOW))
    with pytest.raises(RuntimeError):
        with db.transaction() as s:
            s.add(User(id=12, created_at=NOW, updated_at=NOW))
            s.flush()
            raise RuntimeError("boom")
    with db.transaction(readonly=True) as s:
        assert s.get(User, 11) is not None
        assert s.get(User, 12) is None


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(db: Database) -> None:
    if db.dialect != "sqlite":
        pytest.skip("SQLite pragmas")
    with db.transaction(readonly=True) as s:
        conn = s.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError):
        with db.transaction() as s:
            s.add(Run(chat_id=-999, number=1, sop_version_id=999, title="t", coordinator_id=999, started_at=NOW))


def test_concurrent_read_then_write_transactions_queue_instead_of_failing(db: Database) -> None:
    """SQLite: BEGIN IMMEDIATE takes the write lock up front, so no 'database is locked'."""
    if db.dialect != "sqlite":
        pytest.skip("the lock-upgrade deadlock is SQLite's")
    with db.transaction() as s:
        s.add(Chat(id=-5, type="group", created_at=NOW, updated_at=NOW))
    threads, rounds = 8, 10
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def worker() -> None:
        barrier.wait()
        for _ in range(rounds):
            try:
                with db.transaction() as s:
                    chat = s.get(Chat, -5)
                    assert chat is not None
                    chat.run_counter = chat.run_counter + 1
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    with db.transaction(readonly=True) as s:
        chat = s.get(Chat, -5)
        assert chat is not None and chat.run_counter == threads * rounds


def _holding(run_id: int, role_key: str, user_id: int, status: AssignmentStatus) -> RoleAssignment:
    return RoleAssignment(run_id=run_id, role_key=role_key, user_id=user_id, status=status, claimed_at=NOW)


def test_a_role_has_at_most_one_active_holder(db: Database) -> None:
    run_id = _run(db)
    with db.transaction() as s:
        s.add(User(id=2, created_at=NOW, updated_at=NOW))
        s.add(_holding(run_id, "r", 1, AssignmentStatus.RELEASED))
        s.add(_holding(run_id, "r", 1, AssignmentStatus.ACTIVE))
        s.add(_holding(run_id, "other", 1, AssignmentStatus.ACTIVE))
    with pytest.raises(IntegrityError):
        with db.transaction() as s:
            s.add(_holding(run_id, "r", 2, AssignmentStatus.ACTIVE))


def test_a_run_has_at_most_one_active_task(db: Database) -> None:
    run_id = _run(db)

    def task(step: int, status: TaskStatus) -> Task:
        return Task(run_id=run_id, step_no=step, role_key="r", status=status, standard_minutes=5, created_at=NOW)

    with db.transaction() as s:
        s.add_all([task(1, TaskStatus.DONE), task(2, TaskStatus.ACTIVE), task(3, TaskStatus.WAITING)])
    with pytest.raises(IntegrityError):
        with db.transaction() as s:
            s.add(task(4, TaskStatus.ACTIVE))


def test_a_request_id_is_recorded_once(db: Database) -> None:
    with db.transaction() as s:
        s.add(AuditEvent(kind="x", created_at=NOW, request_id="abc"))
        s.add(AuditEvent(kind="x", created_at=NOW))
        s.add(AuditEvent(kind="x", created_at=NOW))
    with pytest.raises(IntegrityError):
        with db.transaction() as s:
            s.add(AuditEvent(kind="y", created_at=NOW, request_id="abc"))


def test_json_columns_round_trip(db: Database) -> None:
    with db.transaction() as s:
        s.add(AuditEvent(kind="x", created_at=NOW, data={"a": [1, 2], "b": {"c": None}, "d": "Ä"}))
    with db.transaction(readonly=True) as s:
        (value,) = s.connection().execute(text("SELECT count(*) FROM audit_events")).one()
        assert value == 1
        event = s.exec(select(AuditEvent)).one()
        assert event.data == {"a": [1, 2], "b": {"c": None}, "d": "Ä"}

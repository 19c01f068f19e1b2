"""The operator's storage: the probes' counts (outbox backlog, overdue tasks nobody can be
told about) and the maintenance mechanics (a backup's schema, a copy, the claims a restore
frees, a connection check). On SQLite and, with TEST_DATABASE_URL set, on PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from db_fixtures import COORDINATOR, GROUP, T0, FakeClock, Org
from storage import maintenance
from storage.db import Database
from storage.migrate import head
from storage.models import OutboxMessage
from storage.repositories.operations import OperationsRepository

KALBAR = "renja-bappeda-kalbar"


def _outbox(db: Database, key: str, created: datetime, sent: bool = False, abandoned: bool = False,
            claimed: bool = False) -> None:
    with db.transaction() as s:
        s.add(OutboxMessage(
            kind="group_notice", payload={}, dedupe_key=key, created_at=created,
            sent_at=created if sent else None, abandoned_at=created if abandoned else None,
            claimed_by="host:1:abcd" if claimed else None, claimed_until=created + timedelta(days=365) if claimed else None,
        ))


def test_an_empty_database_answers_with_zeros(db: Database, clock: FakeClock) -> None:
    with db.transaction(readonly=True) as s:
        repo = OperationsRepository(s)
        repo.ping()
        state = repo.state(clock.now)
    assert (state.outbox_backlog, state.oldest_unsent_at, state.abandoned, state.open_runs, state.overdue_tasks) == (
        0, None, 0, 0, 0)
    assert state.unreachable == []


def test_the_backlog_counts_what_is_neither_sent_nor_abandoned_and_names_the_oldest(
        db: Database, clock: FakeClock) -> None:
    _outbox(db, "a", datetime(2026, 3, 2, 1, 5, tzinfo=UTC))
    _outbox(db, "b", datetime(2026, 3, 2, 1, 1, tzinfo=UTC))
    _outbox(db, "c", datetime(2026, 3, 2, 0, 0, tzinfo=UTC), sent=True)
    _outbox(db, "d", datetime(2026, 3, 1, 0, 0, tzinfo=UTC), abandoned=True)
    with db.transaction(readonly=True) as s:
        state = OperationsRepository(s).state(clock.now)
    assert (state.outbox_backlog, state.abandoned) == (2, 1)
    assert state.oldest_unsent_at == datetime(2026, 3, 2, 1, 1, tzinfo=UTC)


def test_an_overdue_task_is_unreachable_only_when_neither_holder_nor_coordinator_pressed_start(
        org: Org, db: Database, clock: FakeClock) -> None:
    run = org.start(KALBAR)
    task = org.active(run.id)
    assert task.due_at is not None
    late = task.due_at + timedelta(minutes=1)
    with db.transaction(readonly=True) as s:
        repo = OperationsRepository(s)
        assert repo.state(task.due_at - timedelta(minutes=1)).overdue_tasks == 0
        state = repo.state(late)
    assert (state.open_runs, state.overdue_tasks, state.unreachable) == (1, 1, [])
    with db.transaction() as s:  # the holder blocked the bot; the coordinator is still reachable
        s.execute(text("UPDATE users SET unreachable_since = :t WHERE id = :u"), {"t": clock.now, "u": org.holder(task)})
    with db.transaction(readonly=True) as s:
        assert OperationsRepository(s).state(late).unreachable == []
    with db.transaction() as s:
        s.execute(text("UPDATE users SET started_private = false WHERE id = :u"), {"u": COORDINATOR})
    with db.transaction(readonly=True) as s:
        (overdue,) = OperationsRepository(s).state(late).unreachable
    assert (overdue.run_id, overdue.chat_id, overdue.task_id, overdue.step_no) == (run.id, GROUP, task.id, task.step_no)
    assert overdue.role_key == task.role.key


def test_a_restore_frees_only_the_claims_of_unsent_rows(db: Database, db_url: str) -> None:
    _outbox(db, "claimed", T0, claimed=True)
    _outbox(db, "sent", T0, sent=True, claimed=True)
    _outbox(db, "free", T0)
    assert maintenance.release_outbox_claims(db_url) == 1
    assert maintenance.release_outbox_claims(db_url) == 0
    with db.transaction(readonly=True) as s:
        rows = dict(s.execute(text("SELECT dedupe_key, claimed_by FROM outbox")).all())
    assert rows == {"claimed": None, "sent": "host:1:abcd", "free": None}


def test_the_schema_revision_of_a_live_database_and_of_its_backup(db: Database, db_url: str, tmp_path: Path) -> None:
    assert maintenance.schema_revision(db_url) == head() and head() in maintenance.known_revisions()
    target = tmp_path / "out" / "pandu.backup"
    target.parent.mkdir()
    if maintenance.backend(db_url) == "sqlite":
        source = maintenance.sqlite_file(db_url)
        assert source is not None and source.exists()
        maintenance.copy_sqlite(source, target)
        assert maintenance.sqlite_revision(target) == head()
    else:
        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump/pg_restore not installed (apt-get install postgresql-client)")
        maintenance.pg_dump(db_url, target)
        assert maintenance.pg_revision(target) == head()
    assert not list(target.parent.glob(".*.partial"))  # written under a temporary name, then renamed
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database")
    assert maintenance.sqlite_revision(junk) is None


def test_urls_are_read_without_connecting(tmp_path: Path) -> None:
    assert maintenance.backend("postgresql+psycopg://u:secret@db/pandu") == "postgresql"
    assert "secret" not in maintenance.shown_url("postgresql+psycopg://u:secret@db/pandu")
    assert maintenance.sqlite_file(f"sqlite:///{tmp_path}/a.sqlite3") == tmp_path / "a.sqlite3"
    assert maintenance.sqlite_file("sqlite://") is None and maintenance.sqlite_file("sqlite:///:memory:") is None
    assert maintenance.sqlite_file("postgresql+psycopg://u@db/pandu") is None


def test_a_connection_check_tells_a_bad_url_from_a_server_that_does_not_answer(db_url: str) -> None:
    maintenance.check_connection(db_url)
    with pytest.raises(maintenance.InvalidDatabaseUrl):
        maintenance.check_connection("nonsense://x")
    with pytest.raises(maintenance.DatabaseUnreachable) as refused:
        maintenance.check_connection("postgresql+psycopg://pandu@127.0.0.1:1/pandu?connect_timeout=2")
    assert refused.value.reason and "\n" not in refused.value.reason
    with pytest.raises(maintenance.DatabaseUnreachable):
        maintenance.schema_revision("postgresql+psycopg://pandu@127.0.0.1:1/pandu?connect_timeout=2")


def test_a_missing_tool_and_a_failing_one_are_typed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump anywhere
    with pytest.raises(maintenance.ToolMissing) as missing:
        maintenance.pg_dump("postgresql+psycopg://pandu@127.0.0.1/pandu", tmp_path / "x.backup")
    assert missing.value.tool == "pg_dump"
    fake = tmp_path / "pg_restore"
    fake.write_text("#!/bin/sh\necho 'pg_restore: error: not a dump' >&2\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(maintenance.ToolFailed) as failed:
        maintenance.pg_revision(tmp_path / "x.backup")
    assert failed.value.tool == "pg_restore" and "not a dump" in failed.value.stderr

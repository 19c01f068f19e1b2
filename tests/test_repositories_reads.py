"""The reads the handlers and the outbox sender make, in their repositories: a chat's latest
runs, what waits on a person (the roles they hold, the active tasks of runs), a run's
history, and the batch reads of one notice snapshot (a statement per table, none for no ids).
On SQLite and, with TEST_DATABASE_URL set, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from db_fixtures import COORDINATOR, GROUP, FakeClock, Org
from sqlalchemy import event

from storage.db import Database
from storage.models import AssignmentStatus, AuditEvent, RoleAssignment, Task
from storage.repositories import run_store
from storage.repositories.history import HistoryRepository
from storage.repositories.roles import RolesRepository
from storage.repositories.runs import RunsRepository
from storage.repositories.snapshots import SnapshotRepository

KALBAR = "renja-bappeda-kalbar"


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    """The statements sent to the database inside the block (SQLite's explicit BEGIN left out)."""
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if not statement.strip().upper().startswith("BEGIN"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_a_chats_latest_runs_come_newest_first_whatever_their_status(org: Org, db: Database) -> None:
    first, second, third = (org.start(KALBAR, title, claim=False) for title in ("Satu", "Dua", "Tiga"))
    org.engine.cancel_run(third.id, org.coordinator)
    with db.transaction(readonly=True) as s:
        repo = RunsRepository(s)
        assert [r.id for r in repo.latest_in_chat(GROUP)] == [third.id, second.id, first.id]
        assert [r.id for r in repo.latest_in_chat(GROUP, limit=2)] == [third.id, second.id]
        assert repo.latest_in_chat(GROUP + 1) == []


def test_the_roles_a_person_holds_are_the_active_ones_in_every_run(org: Org, db: Database,
                                                                    clock: FakeClock) -> None:
    first, second = org.start(KALBAR, "Satu"), org.start(KALBAR, "Dua")
    role = next(r.role.key for r in org.engine.roles(first.id) if not r.role.eksternal)
    holder, newcomer = org.people[role], org.person(3001, "Baru")
    with db.transaction() as s:
        repo = RolesRepository(s)
        assert repo.held_by(holder) == {(first.id, role), (second.id, role)}
        repo.add(RoleAssignment(run_id=first.id, role_key=role, user_id=newcomer, status=AssignmentStatus.PENDING,
                                claimed_at=clock.now))
        assert repo.held_by(newcomer) == set()  # a pending claim holds nothing yet
    org.engine.release_role(second.id, role, holder)
    with db.transaction(readonly=True) as s:
        held = RolesRepository(s).held_by(holder)
        assert (first.id, role) in held and (second.id, role) not in held


def test_the_active_tasks_of_active_runs_in_task_order_and_the_coordinators_too(org: Org, db: Database) -> None:
    first, second, third = (org.start(KALBAR, title) for title in ("Satu", "Dua", "Tiga"))
    org.act(second.id)
    org.engine.cancel_run(third.id, org.coordinator)
    with db.transaction(readonly=True) as s:
        repo = RunsRepository(s)
        found = repo.active_tasks({second.id, first.id, third.id})
        assert [run.id for run, _ in found] == [first.id, second.id]  # the cancelled run has none
        assert all(task.run_id == run.id and task.status == "active" for run, task in found)
        assert [t.id for _, t in found] == sorted(t.id for _, t in found)
        assert repo.active_tasks([]) == []
        assert repo.active_tasks([], coordinator_id=COORDINATOR) == found  # theirs, in any run
        assert repo.active_tasks([first.id], coordinator_id=COORDINATOR + 1) == found[:1]


def test_a_runs_history_is_its_events_in_order_and_its_evidence_by_id(org: Org, db: Database) -> None:
    run, other = org.start(KALBAR, "Satu"), org.start(KALBAR, "Dua")
    task = org.active(run.id)
    added = org.engine.attach_evidence(task.id, org.holder(task), "text", caption="notulen")
    org.engine.attach_evidence(org.active(other.id).id, org.holder(org.active(other.id)), "text", caption="lain")
    org.act(run.id)
    with db.transaction(readonly=True) as s:
        repo = HistoryRepository(s)
        events = repo.events(run.id)
        assert events and all(isinstance(e, AuditEvent) and e.run_id == run.id for e in events)
        assert [e.id for e in events] == sorted(e.id for e in events)
        assert "evidence_added" in [e.kind for e in events]
        evidence = repo.evidence(run.id)
        assert list(evidence) == [added.id] and evidence[added.id].caption == "notulen"
        assert repo.events(-1) == [] and repo.evidence(-1) == {}


def test_a_snapshots_rows_bring_the_tasks_runs_and_their_chats_a_statement_per_table(
        org: Org, db: Database) -> None:
    run, other = org.start(KALBAR, "Satu"), org.start(KALBAR, "Dua")
    task = org.active(run.id)
    with db.transaction(readonly=True) as s:
        repo = SnapshotRepository(s)
        with counted(db) as seen:
            rows = repo.rows([task.id, None, -5], [other.id], [GROUP + 7])
        assert len(seen) == 3
        assert list(rows.tasks) == [task.id] and isinstance(rows.tasks[task.id], Task)
        assert sorted(rows.runs) == sorted([run.id, other.id])  # the task's run comes along
        assert list(rows.chats) == [GROUP]  # the runs' chat; an unknown chat is left out
        with counted(db) as seen:
            people = repo.users([COORDINATOR, None, COORDINATOR, -1])
        assert len(seen) == 1 and list(people) == [COORDINATOR] and people[COORDINATOR].first_name == "Koordinator"
        with counted(db) as seen:
            empty = repo.rows([], [], [])
            assert repo.users([None]) == {}
        assert seen == [] and (empty.tasks, empty.runs, empty.chats) == ({}, {}, {})


def test_a_long_id_list_is_read_in_chunks(org: Org, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = [org.start(KALBAR, title, claim=False) for title in ("Satu", "Dua", "Tiga")]
    monkeypatch.setattr(run_store, "IN_CHUNK", 2)
    with db.transaction(readonly=True) as s:
        with counted(db) as seen:
            rows = SnapshotRepository(s).rows([], [r.id for r in runs], [])
    assert sorted(rows.runs) == sorted(r.id for r in runs) and len(seen) == 2 + 1  # two chunks, then the chat

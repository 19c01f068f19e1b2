"""The runs and roles repositories' queries: the per-chat run number, a chat's runs, which
tasks a cancel ends, and which claim is pending.
On SQLite and, with TEST_DATABASE_URL set, on PostgreSQL."""

from __future__ import annotations

from db_fixtures import GROUP, FakeClock, Org
from sqlmodel import select

from storage.db import Database
from storage.models import AssignmentStatus, Chat, RoleAssignment, Task, TaskStatus
from storage.repositories.roles import RolesRepository
from storage.repositories.runs import RunsRepository

KALBAR = "renja-bappeda-kalbar"


def test_the_run_number_counts_per_chat_and_the_chat_row_reads_it_afresh(org: Org, db: Database) -> None:
    org.start(KALBAR)
    with db.transaction() as s:
        chat = s.get(Chat, GROUP)
        assert chat is not None and chat.run_counter == 1
        repo = RunsRepository(s)
        assert (repo.next_number(chat), repo.next_number(chat)) == (2, 3)
        assert chat.run_counter == 3  # expired, so not the stale 1 the session held
        other = Chat(id=GROUP + 1, type="group", timezone="Asia/Jakarta", created_at=chat.created_at,
                     updated_at=chat.created_at)
        s.add(other)
        s.flush()
        assert repo.next_number(other) == 1


def test_a_cancel_ends_the_open_tasks_only_and_stops_their_nags(org: Org, db: Database) -> None:
    run = org.start(KALBAR)
    org.act(run.id)  # step 1 done, step 2 up
    with db.transaction() as s:
        repo = RunsRepository(s)
        before = {t.id: t.status for t in s.exec(select(Task).where(Task.run_id == run.id))}
        still_open = sorted(repo.open_task_ids(run.id))
        assert still_open == sorted(i for i, st in before.items() if st in (TaskStatus.ACTIVE, TaskStatus.WAITING))
        assert still_open and TaskStatus.DONE in before.values()
        repo.cancel_open_tasks(run.id)
    with db.transaction(readonly=True) as s:
        after = {t.id: (t.status, t.next_nag_at) for t in s.exec(select(Task).where(Task.run_id == run.id))}
        assert RunsRepository(s).open_task_ids(run.id) == []
    for task_id, status in before.items():
        expected = TaskStatus.CANCELLED if task_id in still_open else status
        assert after[task_id][0] == expected
        if task_id in still_open:
            assert after[task_id][1] is None


def test_a_pending_claim_is_that_persons_for_that_role_and_still_waiting(org: Org, db: Database,
                                                                          clock: FakeClock) -> None:
    run = org.start(KALBAR, claim=False)
    role, other_role = [r.role.key for r in org.engine.roles(run.id) if not r.role.eksternal][:2]
    asker, someone = org.person(3001, "Asker"), org.person(3002, "Someone")
    with db.transaction() as s:
        repo = RolesRepository(s)

        def row(role_key: str, user_id: int, status: AssignmentStatus) -> RoleAssignment:
            return repo.add(RoleAssignment(run_id=run.id, role_key=role_key, user_id=user_id, status=status,
                                           claimed_at=clock.now))

        row(role, asker, AssignmentStatus.REJECTED)
        row(other_role, asker, AssignmentStatus.PENDING)
        row(role, someone, AssignmentStatus.PENDING)
        assert repo.pending(run.id, role, asker) is None  # rejected, another role's, another person's
        waiting = row(role, asker, AssignmentStatus.PENDING)
        assert repo.pending(run.id, role, asker) is waiting and repo.get(waiting.id or 0) is waiting
        waiting.status = AssignmentStatus.REJECTED
        repo.save()
        assert repo.pending(run.id, role, asker) is None


def test_a_chats_runs_are_found_by_number_and_the_active_ones_listed_in_number_order(
        org: Org, db: Database) -> None:
    first, second, third = (org.start(KALBAR, title, claim=False) for title in ("Satu", "Dua", "Tiga"))
    org.engine.cancel_run(second.id, org.coordinator)
    with db.transaction(readonly=True) as s:
        repo = RunsRepository(s)
        found = repo.by_number(GROUP, 2)
        assert found is not None and found.id == second.id
        assert repo.by_number(GROUP, 4) is None and repo.by_number(GROUP + 1, 1) is None
        assert [r.id for r in repo.active_in_chat(GROUP)] == [first.id, third.id]
        assert repo.active_in_chat(GROUP + 1) == []

"""The sender's repositories: the outbox's claims (each due row to one sender at a time, until
its lease ends), its marks (sent once, failed and retried, abandoned) and the card records
(what a message's buttons act on, which messages went stale, a substitute's cards). On
SQLite and, with TEST_DATABASE_URL set, on PostgreSQL."""

from __future__ import annotations

import itertools
import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from db_fixtures import GROUP, FakeClock, Org

from bot.engine import SopEngine
from storage.db import Database
from storage.delegation_tables import Delegation
from storage.models import OutboxMessage
from storage.repositories.cards import CardsRepository, DelegationCard, EndedCard, StaleMessage
from storage.repositories.outbox import OutboxRepository

KALBAR = "renja-bappeda-kalbar"
LEASE = timedelta(seconds=60)
PERSON, OTHER = 4001, 4002
_KEYS = itertools.count()


def add_rows(db: Database, at: datetime, *targets: tuple[int | None, int | None], **fields: Any) -> list[int]:
    """Outbox rows (chat_id, user_id) created at `at`, with `fields` set on all; their ids."""
    with db.transaction() as s:
        rows = [OutboxMessage(kind="group_notice", chat_id=chat, user_id=user, payload={"n": n},
                              dedupe_key=f"test:{next(_KEYS)}", created_at=at, **fields)
                for n, (chat, user) in enumerate(targets)]
        s.add_all(rows)
        s.flush()
        return [r.id or 0 for r in rows]


def row(db: Database, row_id: int) -> OutboxMessage:
    with db.transaction(readonly=True) as s:
        found = s.get(OutboxMessage, row_id)
        assert found is not None
        return found


def claim(db: Database, now: datetime, sender: str, limit: int = 50, target: int | None = None) -> list[int]:
    with db.transaction() as s:
        return [r.id or 0 for r in OutboxRepository(s).claim(now, sender, limit, LEASE, target)]


def test_a_due_row_is_claimed_by_one_sender_until_its_lease_runs_out(db: Database, clock: FakeClock) -> None:
    now = clock.now
    due = add_rows(db, now, (GROUP, None), (None, PERSON), (GROUP, None))
    add_rows(db, now, (GROUP, None), sent_at=now)
    add_rows(db, now, (GROUP, None), abandoned_at=now)
    later = add_rows(db, now, (GROUP, None), next_attempt_at=now + timedelta(minutes=5))
    with db.transaction(readonly=True) as s:
        assert [r.id for r in OutboxRepository(s).pending(now, 50)] == due  # oldest first, claims nothing
        assert [r.id for r in OutboxRepository(s).pending(now, 2)] == due[:2]
    assert claim(db, now, "a", limit=1, target=PERSON) == [due[1]]  # that chat's rows only
    assert claim(db, now, "a") == [due[0], due[2]]
    assert claim(db, now, "b") == []  # live claims: nothing for a second sender
    with db.transaction(readonly=True) as s:
        assert OutboxRepository(s).pending(now, 50) == []
        assert OutboxRepository(s).claiming_senders(now) == ["a"]
        assert OutboxRepository(s).claiming_senders(now + LEASE + timedelta(seconds=1)) == []
    claimed = row(db, due[0])
    assert (claimed.claimed_by, claimed.claimed_until, claimed.attempts) == ("a", now + LEASE, 0)
    # Sender "a" died: once its lease ran out the rows are due again, and the retry is due too.
    after = now + timedelta(minutes=5)
    assert claim(db, after, "b") == [*due, *later]


def test_concurrent_senders_never_claim_the_same_row(db: Database, clock: FakeClock) -> None:
    ids = add_rows(db, clock.now, *[(GROUP - n % 3, None) for n in range(40)])
    got: dict[str, list[int]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def sender(name: str) -> None:
        try:
            start.wait()
            mine = got.setdefault(name, [])
            while batch := claim(db, clock.now, name, limit=3):
                mine.extend(batch)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=sender, args=(f"s{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    every = [i for batch in got.values() for i in batch]
    assert sorted(every) == ids  # each row once, none left over
    with db.transaction(readonly=True) as s:
        assert OutboxRepository(s).claiming_senders(clock.now) == sorted(n for n, b in got.items() if b)


def test_on_postgresql_a_claim_skips_the_rows_another_open_claim_holds(
        db: Database, clock: FakeClock, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite serialises write transactions: a second claim cannot run alongside")
    ids = add_rows(db, clock.now, *[(GROUP, None)] * 4)
    with db.transaction() as first:
        held = [r.id for r in OutboxRepository(first).claim(clock.now, "a", 2, LEASE)]
        with db.transaction() as second:  # another sender while the first has not committed
            other = [r.id for r in OutboxRepository(second).claim(clock.now, "b", 10, LEASE)]
    assert held == ids[:2] and other == ids[2:]


def test_a_row_is_marked_sent_once_and_its_claim_ends(db: Database, clock: FakeClock) -> None:
    now = clock.now
    first, second = add_rows(db, now, (GROUP, None), (None, PERSON))
    claim(db, now, "a")
    with db.transaction() as s:
        repo = OutboxRepository(s)
        assert repo.mark_sent([first, second], now) == 2
        assert repo.mark_sent([first], now + timedelta(seconds=1)) == 0  # a second sender got there first
        assert repo.mark_sent([], now) == 0
    done = row(db, first)
    assert (done.sent_at, done.attempts, done.claimed_by, done.claimed_until, done.last_error) == (now, 1, None, None, None)
    assert claim(db, now + timedelta(days=1), "b") == []  # a delivered row never comes back
    with db.transaction() as s:
        assert OutboxRepository(s).release("a") == 0  # nothing unsent left to give back


def test_a_failed_row_comes_back_at_its_retry_and_an_abandoned_one_never(db: Database, clock: FakeClock) -> None:
    now = clock.now
    retried, abandoned = add_rows(db, now, (GROUP, None), (None, PERSON))
    claim(db, now, "a")
    retry_at = now + timedelta(minutes=2)
    with db.transaction() as s:
        repo = OutboxRepository(s)
        assert repo.mark_failed(retried, now, "x" * 3000, retry_at) is True
        assert repo.mark_failed(abandoned, now, "Forbidden: bot was blocked by the user", None) is True
    again = row(db, retried)
    assert (again.attempts, again.next_attempt_at, again.abandoned_at, again.claimed_by) == (1, retry_at, None, None)
    assert again.last_error == "x" * 2000
    gone = row(db, abandoned)
    assert (gone.abandoned_at, gone.next_attempt_at, gone.attempts) == (now, None, 1)
    assert claim(db, retry_at - timedelta(seconds=1), "b") == []  # not due before its retry
    assert claim(db, retry_at, "b") == [retried]  # the abandoned one never
    with db.transaction() as s:
        repo = OutboxRepository(s)
        assert repo.mark_sent([retried], retry_at) == 1
        assert repo.mark_failed(retried, retry_at, "late", None) is False  # sent: left as it is
    assert (row(db, retried).attempts, row(db, retried).abandoned_at) == (2, None)


def test_releasing_gives_back_one_senders_unsent_claims(db: Database, clock: FakeClock) -> None:
    now = clock.now
    ids = add_rows(db, now, *[(GROUP, None)] * 4)
    assert claim(db, now, "a", limit=3) == ids[:3]
    assert claim(db, now, "b") == ids[3:]
    with db.transaction() as s:
        repo = OutboxRepository(s)
        repo.mark_sent([ids[0]], now)
        assert repo.release("a", [ids[1], ids[3]]) == 1  # ids[3] is b's
        assert repo.release("a") == 1  # ids[2]; the sent row is not counted
        assert repo.release("a", []) == 0
    assert claim(db, now, "c") == [ids[1], ids[2]]
    assert (row(db, ids[3]).claimed_by, row(db, ids[0]).claimed_by) == ("b", None)


def test_due_targets_put_private_chats_first_then_the_oldest_backlog(db: Database, clock: FakeClock) -> None:
    now = clock.now
    add_rows(db, now, (GROUP, None), (GROUP - 1, None), (None, OTHER), (GROUP, OTHER), (None, PERSON))
    add_rows(db, now, (GROUP - 2, None), sent_at=now)
    with db.transaction(readonly=True) as s:
        repo = OutboxRepository(s)
        assert repo.due_targets(now, None, 50) == [OTHER, PERSON, GROUP, GROUP - 1]  # user_id wins over chat_id
        assert repo.due_targets(now, [OTHER, GROUP], 50) == [PERSON, GROUP - 1]
        assert repo.due_targets(now, [], 2) == [OTHER, PERSON]
    claim(db, now, "a", target=PERSON)
    with db.transaction(readonly=True) as s:
        assert OutboxRepository(s).due_targets(now, None, 50) == [OTHER, GROUP, GROUP - 1]


def test_card_records_name_their_tasks_go_stale_when_a_task_ends_and_close(
        org: Org, engine: SopEngine, db: Database, clock: FakeClock) -> None:
    run = org.start(KALBAR)
    task = org.active(run.id)
    other = org.start(KALBAR, "Renja 2028")
    other_task = org.active(other.id)
    buttons = [[{"text": "✅", "callback_data": "c", "task": task.id}, {"text": "▶", "callback_data": "o", "task": other_task.id}]]
    with db.transaction() as s:
        cards = CardsRepository(s)
        assert cards.claimed_task(run.id, task.role.key) == task.id
        assert cards.claimed_task(run.id, "no_such_role") is None
        assert cards.tasks([]) == []
        found = sorted(cards.tasks([other_task.id, task.id]), key=lambda t: t.task_id)
        assert [(t.task_id, t.run_id, t.active) for t in found] == [(task.id, run.id, True), (other_task.id, other.id, True)]
        cards.add(found, GROUP, 77, buttons, None, clock.now)
        assert cards.stale(run.id) == []  # every task still active
    org.act(run.id)  # the run's task ends; the other run's stays active
    with db.transaction(readonly=True) as s:
        cards = CardsRepository(s)
        assert cards.claimed_task(run.id, task.role.key) == task.id  # ended: still its latest one
        (stale,) = cards.stale(run.id)
        assert cards.stale(other.id) == []
    assert isinstance(stale, StaleMessage) and (stale.chat_id, stale.message_id, stale.buttons) == (GROUP, 77, buttons)
    assert stale.live == frozenset({other_task.id})
    (ended,) = stale.ended
    assert isinstance(ended, EndedCard) and (ended.task_id, ended.status, ended.completed_by) == (task.id, "done", org.holder(task))
    with db.transaction() as s:
        CardsRepository(s).close([ended.id], clock.now)
        CardsRepository(s).close([], clock.now)
    with db.transaction(readonly=True) as s:
        assert CardsRepository(s).stale(run.id) == []


def test_a_substitutes_cards_are_read_by_delegation_and_task_until_closed(
        org: Org, engine: SopEngine, db: Database, clock: FakeClock) -> None:
    run = org.start(KALBAR)
    task = org.active(run.id)
    substitute = org.person(PERSON, "Siti")
    with db.transaction() as s:
        delegation = Delegation(run_id=run.id, role_key=task.role.key, kind="plh", holder_id=org.holder(task),
                                substitute_id=substitute, requested_by=org.holder(task), status="accepted",
                                starts_at=clock.now, requested_at=clock.now, accepted_at=clock.now)
        s.add(delegation)
        s.flush()
        delegation_id = delegation.id or 0
        cards = CardsRepository(s)
        (of_task,) = cards.tasks([task.id])
        cards.add([of_task], PERSON, 11, [[{"text": "✅", "callback_data": "c", "task": task.id}]], delegation_id, clock.now)
        cards.add([of_task], PERSON, 12, [[{"text": "✅", "callback_data": "c", "task": task.id}]], delegation_id, clock.now)
        cards.add([of_task], GROUP, 13, [[{"text": "✅", "callback_data": "c", "task": task.id}]], None, clock.now)
    with db.transaction(readonly=True) as s:
        found = CardsRepository(s).of_delegation(delegation_id)
        assert [(c.chat_id, c.message_id) for c in found] == [(PERSON, 11), (PERSON, 12)]
        assert all(isinstance(c, DelegationCard) for c in found)
        assert CardsRepository(s).of_delegation(delegation_id, task.id + 1000) == []
        assert CardsRepository(s).of_delegation(delegation_id + 1) == []
    with db.transaction() as s:
        CardsRepository(s).close([found[0].id], clock.now)
    with db.transaction(readonly=True) as s:
        assert [c.message_id for c in CardsRepository(s).of_delegation(delegation_id, task.id)] == [12]

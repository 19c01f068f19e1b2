"""The outbox sender under failure: claims between senders, what each Telegram error
means for a row, and backoff.

Engine-level tests run on SQLite and, when ``TEST_DATABASE_URL`` is set, on PostgreSQL
(``engine`` and ``org`` come from ``db_fixtures``). The sender is the real
:class:`handlers.outbox.sender.Notifier` with its ``send`` replaced by a script of outcomes, so every
branch is reached without a network.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

import pytest
from db_fixtures import Org
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from handlers.outbox.delivery import backoff, classify, is_dead
from bot.engine import SopEngine
from bot.engine.views import NotificationView
from handlers.outbox.sender import Notifier, Skip
from storage.models import OutboxMessage

#: PTB 22 warns on every RetryAfter about a future type change; nothing to act on here.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def fill(org: Org, runs: int) -> None:
    """Several runs started and played a little: plenty of outbox rows."""
    for index in range(runs):
        run = org.start("renja-bappeda-kalbar", f"Renja {index}")
        org.act(run.id)


def test_two_senders_in_threads_never_claim_the_same_row(org: Org, engine: SopEngine) -> None:
    fill(org, 6)
    total = len(engine.pending_notifications(limit=1000))
    assert total >= 40
    claimed: list[tuple[str, int]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(2)

    def sender(name: str) -> None:
        barrier.wait()
        while rows := engine.claim_notifications(name, limit=3):
            with lock:
                claimed.extend((name, r.id) for r in rows)
            for row in rows:
                assert engine.mark_sent(row.id)

    threads = [threading.Thread(target=sender, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    ids = Counter(i for _, i in claimed)
    # What the claims guarantee: every row exactly once. Which sender got how many is up to the
    # scheduler; the claim race itself is forced step by step in the test below.
    assert len(ids) == total and set(ids.values()) == {1}
    assert engine.pending_notifications() == []


def test_a_claim_blocks_other_senders_until_released_or_expired(org: Org, engine: SopEngine) -> None:
    fill(org, 1)
    first = engine.claim_notifications("dead", limit=2, lease=timedelta(seconds=60))
    assert len(first) == 2
    others = engine.claim_notifications("alive", limit=100)
    assert not {r.id for r in first} & {r.id for r in others}
    for row in others:
        engine.mark_failed(row.id, "TimedOut", org.clock.now + timedelta(hours=1))
    assert engine.claim_notifications("alive") == []
    assert engine.claiming_senders() == ["dead"]
    org.clock.advance(seconds=61)  # the dead sender's lease ran out
    assert sorted(r.id for r in engine.claim_notifications("alive")) == sorted(r.id for r in first)
    assert engine.release_claims("alive") == 2 and engine.claiming_senders() == []


def test_a_sender_on_this_host_that_died_is_recognised() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    import socket

    host = socket.gethostname()[:60]
    assert is_dead(f"{host}:{gone.pid}:abcd1234")
    assert not is_dead(f"{host}:1:abcd1234")  # alive (init), or not ours to judge
    assert not is_dead(f"another-host:{gone.pid}:abcd1234")  # other hosts wait for the lease


# -- what each failure means ----------------------------------------------------------------
class Scripted(Notifier):
    """A Notifier whose sending of a row raises that row's scripted outcome (else: delivered).

    Outcomes are keyed by row id: the sender serves several chats at once, so the order
    of sends across chats is not fixed.
    """

    def __init__(self, engine: SopEngine, outcomes: dict[int, BaseException]) -> None:
        app = SimpleNamespace(bot_data=SimpleNamespace(engine=engine, settings=SimpleNamespace(default_language="id")))
        super().__init__(app, retry_delay=timedelta(seconds=2), sender="test:1:x")  # type: ignore[arg-type]
        self.outcomes, self.sent, self.fallbacks = dict(outcomes), [], []

    async def send(self, row: NotificationView) -> None:
        outcome = self.outcomes.pop(row.id, None)
        if outcome is not None:
            raise outcome
        self.sent.append(row.id)

    async def fallback_to_group(self, row: NotificationView) -> None:
        self.fallbacks.append(row.id)


def row_state(engine: SopEngine, notification_id: int) -> OutboxMessage:
    with engine.db.transaction(readonly=True) as s:
        found = s.get(OutboxMessage, notification_id)
        assert found is not None
        return found


@pytest.mark.parametrize("error", [TimedOut("Timed out"), NetworkError("Internal Server Error"), NetworkError("Bad Gateway")])
async def test_timeouts_and_5xx_are_retried_later_with_growing_backoff(org: Org, engine: SopEngine, error: Exception) -> None:
    org.start("renja-bappeda-kalbar", claim=False)
    first = engine.pending_notifications(limit=1)[0]
    notifier = Scripted(engine, {first.id: error})
    await notifier.flush()
    state = row_state(engine, first.id)
    assert state.sent_at is None and state.abandoned_at is None and state.claimed_by is None
    delay = (state.next_attempt_at - org.clock.now).total_seconds()
    assert 0.5 <= delay <= 3.5 and state.attempts == 1
    assert [backoff(n, 2, 600, lambda: 0.5) for n in range(5)] == [2, 4, 8, 16, 32]
    assert backoff(40, 2, 600, lambda: 0.5) == 600


def target(row: NotificationView) -> int | None:
    return row.user_id if row.user_id is not None else row.chat_id


async def test_a_429_waits_retry_after_and_pauses_only_its_chat(org: Org, engine: SopEngine) -> None:
    org.start("renja-bappeda-kalbar")  # group notices, and the first holder's private card
    pending = engine.pending_notifications()
    group_rows = [r for r in pending if target(r) == org.chat_id]
    private_rows = [r for r in pending if target(r) != org.chat_id]
    assert len(group_rows) >= 2 and private_rows
    notifier = Scripted(engine, {group_rows[0].id: RetryAfter(7)})
    assert await notifier.flush() == len(private_rows)  # the other chats went on
    state = row_state(engine, group_rows[0].id)
    assert 6 <= (state.next_attempt_at - org.clock.now).total_seconds() <= 8
    assert notifier.sent == [r.id for r in private_rows] and engine.claiming_senders() == []  # the rest handed back
    assert [r.id for r in engine.pending_notifications()] == [r.id for r in group_rows[1:]]
    assert engine.due_targets() == [org.chat_id]
    assert engine.due_targets(exclude=[org.chat_id]) == []
    assert await notifier.flush() == 0  # the group stays paused while its retry_after lasts


async def test_a_400_is_given_up_and_a_403_from_a_person_falls_back_to_the_group(org: Org, engine: SopEngine) -> None:
    org.start("renja-bappeda-kalbar", claim=False)
    first, *others = engine.pending_notifications()
    notifier = Scripted(engine, {first.id: BadRequest("Bad Request: chat not found")})
    await notifier.flush()
    assert row_state(engine, first.id).abandoned_at is not None  # never retried
    assert notifier.sent == [r.id for r in others] and engine.pending_notifications() == []
    org.person(3000, "Tono")
    run = org.start("renja-bappeda-kalbar", "Renja Tono", claim=False)
    engine.claim_role(run.id, "kasubbag_renja", 3000)
    blocked = Forbidden("Forbidden: bot was blocked by the user")
    rows = engine.pending_notifications()
    notifier = Scripted(engine, {r.id: blocked for r in rows if r.user_id == 3000})
    await notifier.flush()
    assert notifier.fallbacks == [r.id for r in rows if r.user_id == 3000] != []
    assert engine.get_user(3000).unreachable_since is not None
    assert engine.pending_notifications() == []


async def test_a_rendering_bug_is_given_up_without_blocking_the_rows_behind_it(org: Org, engine: SopEngine) -> None:
    org.start("renja-bappeda-kalbar", claim=False)
    count = len(engine.pending_notifications())
    notifier = Scripted(engine, {engine.pending_notifications(limit=1)[0].id: KeyError("task_id")})
    assert await notifier.flush() == count - 1
    assert engine.pending_notifications() == []


def test_errors_are_classified_by_what_retrying_can_change() -> None:
    assert classify(TimedOut()) == classify(NetworkError("Bad Gateway")) == "retry"
    assert classify(RetryAfter(3)) == "wait"
    assert classify(Forbidden("blocked")) == "forbidden"
    assert classify(BadRequest("message is too long")) == classify(ValueError()) == "permanent"


async def test_a_row_with_nothing_left_to_say_is_marked_done_without_sending(org: Org, engine: SopEngine) -> None:
    org.start("renja-bappeda-kalbar", claim=False)
    rows = engine.pending_notifications()
    notifier = Scripted(engine, {rows[0].id: Skip()})  # its task was undone before the sender got to it
    assert await notifier.flush() == len(rows)  # counted as handled, not failed
    assert sorted(notifier.sent) == sorted(r.id for r in rows[1:])
    assert engine.pending_notifications() == [] and engine.claim_notifications("later") == []

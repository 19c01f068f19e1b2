"""One deadline tick: claim the nags that are due and queue them, in one transaction.

The database is the truth; the scheduler only decides *when* to look. Every active task
carries ``next_nag_at``. A tick takes the tasks whose moment has come (a batch, oldest
first, rows locked with SKIP LOCKED on PostgreSQL so two processes share the work instead
of queueing), works out the round each belongs to *now* (so a bot that was down for three
days sends one catch-up nag, not one per missed interval), inserts one ``nag_log`` row per
(task, round) — ``ON CONFLICT DO NOTHING``: the insert that lands is the claim, a second
process or a repeated round gets nothing back and sends nothing — moves ``next_nag_at``
to the next round, and writes the digests into the engine's outbox. All of that commits
together, so a crash either loses nothing or sends nothing twice; the outbox sender
delivers the rows like any other notification.

Outside office hours nothing is claimed: the task's moment is moved to the next opening.
The statements are in :mod:`storage.repositories.deadlines`; the decisions are made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.deadlines.recipients import Claimed, Plan, plan
from bot.domain.nag_policy import NagPolicy, opening
from bot.domain.outbox_codec import digest_item
from bot.domain.outbox_messages import DeadlineDigest, DeadlineGroup
from bot.engine.core import EngineCore
from bot.engine.delegations import DelegationsMixin
from bot.engine.effects import outbox_row
from storage.repositories.deadlines import DeadlineRepository, DueTask, NagClaim, Rearm

#: Tasks per transaction; each recipient gets one digest per batch (so per tick, short of a backlog).
BATCH = 5000


@dataclass(frozen=True)
class TickResult:
    """What one batch did."""

    claimed: int = 0
    messages: int = 0
    #: Tasks only moved on (a round already sent, quiet hours, no longer active).
    moved: int = 0
    #: The batch was full: more may be due right now.
    more: bool = False


@dataclass(frozen=True)
class _Move:
    task: DueTask
    next_at: datetime | None
    round: int | None
    late: int = 0


class NagService:
    """Deadline ticks over the engine's database, calendars, SOPs and nag policy."""

    def __init__(self, engine: EngineCore, batch: int = BATCH) -> None:
        self.engine = engine
        self.batch = batch

    @property
    def policy(self) -> NagPolicy:
        """The engine's policy: the same one that armed the tasks decides their rounds."""
        return self.engine.nag_policy

    def next_due(self) -> datetime | None:
        """The earliest pending nag or delegation (Plh./Plt.) change (two indexed MINs)."""
        return self.engine.read(lambda s: DeadlineRepository(s).next_due())

    def tick(self) -> TickResult:
        """Carry out the delegations' beginnings and ends due now, then claim and queue one batch of nags."""
        if isinstance(self.engine, DelegationsMixin):
            self.engine.delegation_tick()
        now = self.engine.now()
        with self.engine.db.transaction() as s:
            repo = DeadlineRepository(s)
            due = repo.due(now, self.batch)
            moves = [self._move(repo, task, now) for task in due]
            wanted = [NagClaim(m.task.task_id, m.round, m.task.run_id, m.late) for m in moves if m.round is not None]
            won = repo.claim(wanted, now)
            repo.rearm([Rearm(m.task.task_id, m.next_at, m.round if m.round is not None else m.task.nag_round)
                        for m in moves])
            claims = self._claims(repo, [m for m in moves if (m.task.task_id, m.round) in won], now)
            reachable = repo.reachable(i for c in claims for i in (c.holder_id, c.coordinator_id, c.supervisor_id)
                                       if i is not None)
            messages = self._queue(repo, plan(claims, reachable.__contains__), now)
        return TickResult(len(claims), messages, len(moves) - len(claims), len(due) == self.batch)

    def tick_all(self, max_batches: int = 1000) -> TickResult:
        """Tick until nothing is due now (tests and the catch-up after a restart)."""
        claimed = messages = moved = 0
        for _ in range(max_batches):
            result = self.tick()
            claimed, messages, moved = claimed + result.claimed, messages + result.messages, moved + result.moved
            if not result.more:
                break
        return TickResult(claimed, messages, moved, False)

    # -- one batch -----------------------------------------------------------------------
    def _move(self, repo: DeadlineRepository, task: DueTask, now: datetime) -> _Move:
        """Where this task's schedule goes from here, and the round to claim (if any)."""
        if not task.active or task.due_at is None:
            return _Move(task, None, None)
        calendar = self.engine.chat_calendar(repo.session, task.chat_id)
        resume = opening(calendar, now)
        if resume > now:  # evening, weekend or holiday: wait for the next working morning
            return _Move(task, resume, None)
        found = self.policy.round_at(calendar, task.due_at, now)
        return _Move(task, found.next_at, found.number, round(found.late_minutes))

    def _claims(self, repo: DeadlineRepository, moves: list[_Move], now: datetime) -> list[Claimed]:
        """The won rounds with the people around them, read in bulk for the whole batch."""
        holders = repo.holders([m.task for m in moves], now)
        claims = []
        for m in moves:
            task = m.task
            sop = self.engine.pinned(repo.session, task.sop_version_id).definition
            role = sop.role_by_key.get(task.role_key)
            external = role is not None and role.eksternal
            assert m.round is not None
            claims.append(
                Claimed(
                    task_id=task.task_id,
                    run_id=task.run_id,
                    chat_id=task.chat_id,
                    round=m.round,
                    late_minutes=m.late,
                    coordinator_id=task.coordinator_id,
                    holder_id=None if external else holders.get((task.run_id, task.role_key)),
                    external=external,
                    supervisor_id=holders.get((task.run_id, sop.supervisor)),
                )
            )
        return claims

    def _queue(self, repo: DeadlineRepository, digests: Plan, now: datetime) -> int:
        """One outbox row per recipient, in this transaction."""
        rows = [
            outbox_row(DeadlineDigest(user_id, tuple(digest_item(i) for i in items)), now)
            for user_id, items in digests.private.items()
        ]
        rows += [
            outbox_row(DeadlineGroup(chat_id, tuple(digest_item(i) for i in items)), now)
            for chat_id, items in digests.group.items()
        ]
        repo.queue(rows)
        return len(rows)

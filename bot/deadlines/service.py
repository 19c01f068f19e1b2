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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from bot.domain.nag_policy import NagPolicy, opening
from bot.deadlines.recipients import Claimed, Plan, plan
from bot.domain.outbox_codec import digest_item
from bot.domain.outbox_messages import DeadlineDigest, DeadlineGroup
from storage.repositories import delegation_rows as cover_store
from bot.engine.core import EngineCore
from bot.engine.delegations import DelegationsMixin
from bot.engine.effects import outbox_row
from storage.models import AssignmentStatus, Delegation, NagLog, RoleAssignment, Run, RunStatus, Task, TaskStatus, User

#: Tasks per transaction; each recipient gets one digest per batch (so per tick, short of a backlog).
BATCH = 5000
_INSERT_CHUNK = 1000
_TASKS = Task.__table__  # type: ignore[attr-defined]


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
    task: Task
    run: Run
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
        """The earliest pending nag or delegation (Plh./Plt.) change: two indexed MINs in one
        statement, whatever the number of open tasks."""
        nag = select(func.min(Task.next_nag_at)).scalar_subquery()
        change = select(func.min(Delegation.next_change_at)).scalar_subquery()
        found = self.engine.read(lambda s: s.execute(select(nag, change)).one())
        return min((m for m in found if m is not None), default=None)

    def tick(self) -> TickResult:
        """Carry out the delegations' beginnings and ends due now, then claim and queue one batch of nags."""
        if isinstance(self.engine, DelegationsMixin):
            self.engine.delegation_tick()
        now = self.engine.now()
        with self.engine.db.transaction() as s:
            rows = list(
                s.exec(
                    select(Task, Run)
                    .join(Run, col(Run.id) == col(Task.run_id))
                    .where(col(Task.next_nag_at) <= now)
                    .order_by(col(Task.next_nag_at), col(Task.id))
                    .limit(self.batch)
                    .with_for_update(of=Task, key_share=True, skip_locked=True)  # type: ignore[arg-type]
                )
            )
            moves = [self._move(s, task, run, now) for task, run in rows]
            won = self._claim(s, [m for m in moves if m.round is not None], now)
            self._rearm(s, moves)
            claims = self._claims(s, [m for m in moves if (m.task.id, m.round) in won], now)
            messages = self._queue(s, plan(claims, self._reachability(s, claims)), now)
        return TickResult(len(claims), messages, len(moves) - len(claims), len(rows) == self.batch)

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
    def _move(self, s: Session, task: Task, run: Run, now: datetime) -> _Move:
        """Where this task's schedule goes from here, and the round to claim (if any)."""
        if task.status != TaskStatus.ACTIVE or run.status != RunStatus.ACTIVE or task.due_at is None:
            return _Move(task, run, None, None)
        calendar = self.engine.chat_calendar(s, run.chat_id)
        resume = opening(calendar, now)
        if resume > now:  # evening, weekend or holiday: wait for the next working morning
            return _Move(task, run, resume, None)
        found = self.policy.round_at(calendar, task.due_at, now)
        return _Move(task, run, found.next_at, found.number, round(found.late_minutes))

    def _claim(self, s: Session, moves: list[_Move], now: datetime) -> set[tuple[int | None, int | None]]:
        """Insert the nag_log rows; those that land (not already there) are ours to send."""
        if not moves:
            return set()
        rows = [
            {"task_id": m.task.id, "round": m.round, "run_id": m.run.id, "late_minutes": m.late, "claimed_at": now}
            for m in moves
        ]
        dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
        won: set[tuple[int | None, int | None]] = set()
        for start in range(0, len(rows), _INSERT_CHUNK):  # bound parameters stay below the drivers' limits
            statement = (
                dialect.insert(NagLog)
                .values(rows[start : start + _INSERT_CHUNK])
                .on_conflict_do_nothing(index_elements=["task_id", "round"])
                .returning(col(NagLog.task_id), col(NagLog.round))
            )
            won.update((task_id, number) for task_id, number in s.execute(statement))
        return won

    def _rearm(self, s: Session, moves: list[_Move]) -> None:
        """Move every task of the batch to its next moment (None: no longer active)."""
        if not moves:
            return
        statement = (
            update(_TASKS)
            .where(_TASKS.c.id == bindparam("b_id"))
            .values(next_nag_at=bindparam("b_next"), nag_round=bindparam("b_round"))
        )
        params = [
            {"b_id": m.task.id, "b_next": m.next_at, "b_round": m.round if m.round is not None else m.task.nag_round}
            for m in moves
        ]
        s.connection().execute(statement, params)

    def _claims(self, s: Session, moves: list[_Move], now: datetime) -> list[Claimed]:
        """The won rounds with the people around them, read in bulk for the whole batch."""
        run_ids = {m.run.id for m in moves}
        holders: dict[tuple[int, str], int] = {}
        if run_ids:
            active = s.exec(
                select(RoleAssignment).where(
                    col(RoleAssignment.run_id).in_(run_ids), RoleAssignment.status == AssignmentStatus.ACTIVE
                )
            )
            holders = {(a.run_id, a.role_key): a.user_id for a in active}
            for (run_id, role_key), cover in cover_store.in_force(s, [m.run for m in moves], now).items():
                holders[(run_id, role_key)] = cover.substitute_id  # a Plh./Plt.: the holder hears nothing
        claims = []
        for m in moves:
            sop = self.engine.pinned(s, m.run.sop_version_id).definition
            role = sop.role_by_key.get(m.task.role_key)
            external = role is not None and role.eksternal
            assert m.run.id is not None and m.task.id is not None and m.round is not None
            claims.append(
                Claimed(
                    task_id=m.task.id,
                    run_id=m.run.id,
                    chat_id=m.run.chat_id,
                    round=m.round,
                    late_minutes=m.late,
                    coordinator_id=m.run.coordinator_id,
                    holder_id=None if external else holders.get((m.run.id, m.task.role_key)),
                    external=external,
                    supervisor_id=holders.get((m.run.id, sop.supervisor)),
                )
            )
        return claims

    def _reachability(self, s: Session, claims: Iterable[Claimed]) -> Any:
        """Who may be written to privately (pressed Start, not blocked since)."""
        ids = {i for c in claims for i in (c.holder_id, c.coordinator_id, c.supervisor_id) if i is not None}
        reachable: set[int] = set()
        if ids:
            users = s.exec(select(User).where(col(User.id).in_(ids)))
            reachable = {u.id for u in users if u.started_private and u.unreachable_since is None}
        return reachable.__contains__

    def _queue(self, s: Session, digests: Plan, now: datetime) -> int:
        """One outbox row per recipient, in this transaction."""
        rows = [
            outbox_row(DeadlineDigest(user_id, tuple(digest_item(i) for i in items)), now)
            for user_id, items in digests.private.items()
        ]
        rows += [
            outbox_row(DeadlineGroup(chat_id, tuple(digest_item(i) for i in items)), now)
            for chat_id, items in digests.group.items()
        ]
        s.add_all(rows)
        return len(rows)

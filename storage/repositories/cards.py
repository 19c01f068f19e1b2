"""The messages that carry a task's buttons (``task_cards``): recorded as sent, read back
when tasks end, closed when dealt with.

One row per task a message's buttons act on, with the keyboard as sent (each button
tagged with its task). The engine's :class:`bot.engine.cards.CardsMixin` opens the
transactions; the rows come back as the frozen records below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import tuple_, update
from sqlmodel import Session, col, select

from storage.models import Task, TaskCard, TaskStatus


@dataclass(frozen=True)
class EndedCard:
    """One task of a message whose buttons must change: it is no longer the one to act on."""

    id: int
    task_id: int
    status: str
    completed_by: int | None


@dataclass(frozen=True)
class StaleMessage:
    """A message showing buttons of tasks that ended: what it showed, and what is still live."""

    chat_id: int
    message_id: int
    #: The keyboard as sent, buttons tagged with ``"task"``; None: every button is the ended task's.
    buttons: list[list[dict[str, Any]]] | None
    ended: tuple[EndedCard, ...]
    live: frozenset[int]


@dataclass(frozen=True)
class DelegationCard:
    """A card sent to a substitute under a delegation."""

    id: int
    chat_id: int
    message_id: int


@dataclass(frozen=True)
class TaskOfCard:
    """A task a recorded button acts on: its run, and whether it is still active."""

    task_id: int
    run_id: int
    active: bool


class CardsRepository:
    """Card rows over one open session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def claimed_task(self, run_id: int, role_key: str) -> int | None:
        """The run's task of that role that is active now, else its latest one (a 🙋 button's task)."""
        rows = list(self.session.exec(
            select(Task.id, Task.status).where(col(Task.run_id) == run_id, col(Task.role_key) == role_key)
            .order_by(col(Task.id).desc())
        ))
        active = [task_id for task_id, status in rows if status == TaskStatus.ACTIVE]
        return active[0] if active else (rows[0][0] if rows else None)

    def tasks(self, task_ids: Sequence[int]) -> list[TaskOfCard]:
        """These tasks' runs and whether each is active (no statement for none)."""
        if not task_ids:
            return []
        query = select(Task.id, Task.run_id, Task.status).where(col(Task.id).in_(list(task_ids)))
        return [TaskOfCard(task_id, run_id, status == TaskStatus.ACTIVE)
                for task_id, run_id, status in self.session.exec(query)]

    def add(
        self, tasks: Sequence[TaskOfCard], chat_id: int, message_id: int, buttons: list[list[dict[str, Any]]],
        delegation_id: int | None, now: datetime,
    ) -> None:
        """One row per task for a message sent with `buttons` (inserted when the session flushes)."""
        for task in tasks:
            self.session.add(TaskCard(task_id=task.task_id, run_id=task.run_id, chat_id=chat_id, message_id=message_id,
                                      delegation_id=delegation_id, buttons=buttons, created_at=now))

    def stale(self, run_id: int) -> list[StaleMessage]:
        """The open messages showing buttons of this run's tasks that are no longer active.

        Two statements: which messages, then all their open rows (a message may also
        show other runs' tasks, live or not). No such message: one statement.
        """
        keys = list(self.session.exec(
            select(TaskCard.chat_id, TaskCard.message_id).distinct()
            .join(Task, col(Task.id) == col(TaskCard.task_id))
            .where(col(TaskCard.run_id) == run_id, col(TaskCard.closed_at).is_(None), col(Task.status) != TaskStatus.ACTIVE)
        ))
        if not keys:
            return []
        rows = self.session.exec(
            select(TaskCard, Task.status, Task.completed_by)
            .join(Task, col(Task.id) == col(TaskCard.task_id))
            .where(tuple_(col(TaskCard.chat_id), col(TaskCard.message_id)).in_(keys), col(TaskCard.closed_at).is_(None))
            .order_by(col(TaskCard.id))
        )
        found: dict[tuple[int, int], tuple[list[Any] | None, list[EndedCard], set[int]]] = {}
        for card, status, by in rows:
            buttons, ended, live = found.setdefault((card.chat_id, card.message_id), (card.buttons, [], set()))
            if status == TaskStatus.ACTIVE:
                live.add(card.task_id)
            else:
                ended.append(EndedCard(card.id or 0, card.task_id, str(status), by))
        return [StaleMessage(chat, message, buttons, tuple(ended), frozenset(live))
                for (chat, message), (buttons, ended, live) in found.items() if ended]

    def of_delegation(self, delegation_id: int, task_id: int | None = None) -> list[DelegationCard]:
        """The open cards sent to the substitute under this delegation (of one task, if given)."""
        query = select(TaskCard).where(col(TaskCard.delegation_id) == delegation_id, col(TaskCard.closed_at).is_(None))
        if task_id is not None:
            query = query.where(col(TaskCard.task_id) == task_id)
        return [DelegationCard(c.id or 0, c.chat_id, c.message_id) for c in self.session.exec(query.order_by(col(TaskCard.id)))]

    def close(self, card_ids: Sequence[int], now: datetime) -> None:
        """These rows' buttons are dealt with (no statement for none)."""
        if card_ids:
            self.session.execute(update(TaskCard).where(col(TaskCard.id).in_(list(card_ids))).values(closed_at=now))

"""The private cards a task was announced with, so none keeps live buttons once it ended.

A task ends by its card's button, by /selesai, /wakili, an undo of the step before, a
cancelled run, or on another device. Whichever it was, the run's group hears of it, and
the sender then asks :meth:`CardsMixin.cards_to_close` for the run's open cards of tasks
no longer active, changes their buttons (only ↩️ for the author's own card while undo is
open, nothing otherwise) and closes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.engine.core import EngineCore
from storage.models import Task, TaskCard, TaskStatus


@dataclass(frozen=True)
class OpenCard:
    """A card still showing buttons for a task that ended."""

    id: int
    task_id: int
    chat_id: int
    message_id: int
    status: str
    completed_by: int | None


class CardsMixin(EngineCore):
    def record_card(self, task_id: int, run_id: int, chat_id: int, message_id: int) -> None:
        """A card with the task's buttons went out as this message."""
        with self.db.transaction() as s:
            s.add(TaskCard(task_id=task_id, run_id=run_id, chat_id=chat_id, message_id=message_id, created_at=self.now()))

    def cards_to_close(self, run_id: int) -> list[OpenCard]:
        """The run's open cards whose task is no longer the one to act on."""

        def query(s: Session) -> list[OpenCard]:
            rows = s.exec(
                select(TaskCard, Task.status, Task.completed_by)
                .join(Task, col(Task.id) == col(TaskCard.task_id))
                .where(col(TaskCard.run_id) == run_id, col(TaskCard.closed_at).is_(None), col(Task.status) != TaskStatus.ACTIVE)
                .order_by(col(TaskCard.id))
            )
            return [OpenCard(c.id or 0, c.task_id, c.chat_id, c.message_id, str(st), by) for c, st, by in rows]

        return self.read(query)

    def close_cards(self, card_ids: list[int]) -> None:
        if card_ids:
            with self.db.transaction() as s:
                s.execute(update(TaskCard).where(col(TaskCard.id).in_(card_ids)).values(closed_at=self.now()))

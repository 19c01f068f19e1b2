"""The messages that carry a task's buttons, so none keeps live buttons once it ended.

One mechanism for every such message: private cards, substitutes' cards (Plh./Plt.), the
group's 🤝 (an external step) and 🙋 (an unheld role), digests. The sender records each
message it sends with buttons for a task (:meth:`CardsMixin.record_buttons`: one row per
task, the keyboard as sent with each button tagged with its task). A task ends by a
button, /selesai, /wakili, an undo, a cancelled run or on another device; whichever it
was, the run's group hears of it, and the sender then asks :meth:`CardsMixin.stale_cards`
for the messages that still show buttons of tasks no longer active, edits them (keeping
the buttons of tasks still active) and closes those rows. A delegation's end closes the
substitute's cards outright (:meth:`CardsMixin.delegation_cards`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import tuple_, update
from sqlmodel import Session, col, select

from bot.engine.core import EngineCore
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


class CardsMixin(EngineCore):
    def record_buttons(
        self, chat_id: int, message_id: int, buttons: list[list[dict[str, Any]]], delegation_id: int | None = None
    ) -> list[int]:
        """A message went out with these buttons: one row per task they act on.

        Returns the runs of those tasks that ended meanwhile (the message was rendered
        before, sent after): the sender sweeps them at once, as no later notice may come.

        A button tagged ``"claim": [run_id, role_key]`` (🙋) acts on the run's task of that
        role that is active now (or, if it ended before we got here, its latest one).
        """
        with self.db.transaction() as s:
            tagged = [[dict(b) for b in row] for row in buttons]
            for row in tagged:
                for button in row:
                    claim = button.pop("claim", None)
                    if claim is not None:
                        button["task"] = _claimed_task(s, int(claim[0]), str(claim[1]))
            task_ids = sorted({int(b["task"]) for row in tagged for b in row if b.get("task") is not None})
            query = select(Task.id, Task.run_id, Task.status).where(col(Task.id).in_(task_ids))
            found = list(s.exec(query)) if task_ids else []
            runs = {task_id: run_id for task_id, run_id, _ in found}
            now = self.now()
            for task_id in task_ids:
                s.add(TaskCard(task_id=task_id, run_id=runs[task_id], chat_id=chat_id, message_id=message_id,
                               delegation_id=delegation_id, buttons=tagged, created_at=now))
            return sorted({run_id for _, run_id, status in found if status != TaskStatus.ACTIVE})

    def stale_cards(self, run_id: int) -> list[StaleMessage]:
        """The messages showing buttons of this run's tasks that are no longer active."""

        def query(s: Session) -> list[StaleMessage]:
            keys = list(s.exec(
                select(TaskCard.chat_id, TaskCard.message_id).distinct()
                .join(Task, col(Task.id) == col(TaskCard.task_id))
                .where(col(TaskCard.run_id) == run_id, col(TaskCard.closed_at).is_(None), col(Task.status) != TaskStatus.ACTIVE)
            ))
            if not keys:
                return []
            rows = s.exec(
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

        return self.read(query)

    def delegation_cards(self, delegation_id: int, task_id: int | None = None) -> list[DelegationCard]:
        """The open cards sent to the substitute under this delegation (of one task, if given)."""
        query = select(TaskCard).where(col(TaskCard.delegation_id) == delegation_id, col(TaskCard.closed_at).is_(None))
        if task_id is not None:
            query = query.where(col(TaskCard.task_id) == task_id)
        return self.read(lambda s: [DelegationCard(c.id or 0, c.chat_id, c.message_id)
                                    for c in s.exec(query.order_by(col(TaskCard.id)))])

    def close_cards(self, card_ids: Sequence[int]) -> None:
        """These rows' buttons are dealt with."""
        if card_ids:
            with self.db.transaction() as s:
                s.execute(update(TaskCard).where(col(TaskCard.id).in_(list(card_ids))).values(closed_at=self.now()))


def _claimed_task(s: Session, run_id: int, role_key: str) -> int | None:
    rows = list(s.exec(
        select(Task.id, Task.status).where(col(Task.run_id) == run_id, col(Task.role_key) == role_key)
        .order_by(col(Task.id).desc())
    ))
    active = [task_id for task_id, status in rows if status == TaskStatus.ACTIVE]
    return active[0] if active else (rows[0][0] if rows else None)

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

The rows are read and written by :class:`storage.repositories.cards.CardsRepository`,
which also defines the records handed back (``StaleMessage``, ``EndedCard``,
``DelegationCard``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.engine.core import EngineCore
from storage.repositories.cards import CardsRepository, DelegationCard, StaleMessage


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
            cards = CardsRepository(s)
            tagged = [[dict(b) for b in row] for row in buttons]
            for row in tagged:
                for button in row:
                    claim = button.pop("claim", None)
                    if claim is not None:
                        button["task"] = cards.claimed_task(int(claim[0]), str(claim[1]))
            task_ids = sorted({int(b["task"]) for row in tagged for b in row if b.get("task") is not None})
            found = {task.task_id: task for task in cards.tasks(task_ids)}
            cards.add([found[task_id] for task_id in task_ids], chat_id, message_id, tagged, delegation_id, self.now())
            return sorted({task.run_id for task in found.values() if not task.active})

    def stale_cards(self, run_id: int) -> list[StaleMessage]:
        """The messages showing buttons of this run's tasks that are no longer active."""
        return self.read(lambda s: CardsRepository(s).stale(run_id))

    def delegation_cards(self, delegation_id: int, task_id: int | None = None) -> list[DelegationCard]:
        """The open cards sent to the substitute under this delegation (of one task, if given)."""
        return self.read(lambda s: CardsRepository(s).of_delegation(delegation_id, task_id))

    def close_cards(self, card_ids: Sequence[int]) -> None:
        """These rows' buttons are dealt with."""
        if card_ids:
            with self.db.transaction() as s:
                CardsRepository(s).close(card_ids, self.now())

"""No stale buttons: a task's private cards change once the task has ended, by any path.

The sender records every task card it sends (:meth:`bot.engine.Engine.record_card`).
Every path that ends a task (its card's ✅, /selesai, /wakili, an undo of the step
before, a cancelled run, another device) tells the run's group, so after a group's
notices go out the sender sweeps that run: each open card of a task no longer active
keeps only ↩️ when it is its author's and undo is still open, and loses its buttons
otherwise; a card already in that state ("not modified") or deleted is simply closed.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import BadRequest

logger = logging.getLogger(__name__)


async def remember_card(sender: Any, task: Any, chat_id: int, sent: Any) -> None:
    """Record the card just sent; failing to does not make the send fail (it went out)."""
    message_id = getattr(sent, "message_id", None)
    if message_id is None:
        return
    try:
        await sender.call("record_card", task.id, task.run_id, chat_id, message_id)
    except Exception:
        logger.warning("could not record the card of task %s", task.id, exc_info=True)


async def close_stale_cards(sender: Any, run_id: int) -> int:
    """Change the buttons of the run's cards whose task ended; returns how many were closed."""
    cards = await sender.call("cards_to_close", run_id)
    for card in cards:
        markup = None
        if card.status == "done" and card.completed_by == card.chat_id:
            if await sender.call("undo_refusal", card.task_id, card.chat_id) is None:
                markup = sender.undo_markup(card.task_id, await sender.lang_of(card.chat_id))
        try:
            await sender.application.bot.edit_message_reply_markup(card.chat_id, card.message_id, reply_markup=markup)
        except BadRequest as exc:  # not modified (its own press did this), or deleted
            logger.debug("card %s of task %s: %s", card.message_id, card.task_id, exc)
    await sender.call("close_cards", [card.id for card in cards])
    return len(cards)

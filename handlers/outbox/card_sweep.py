"""No stale buttons: one rule for every message that carries buttons for a task.

The sender records each message it sends whose buttons act on a task (✅ and a decision's
outcomes, 🤝, 🙋 — in a private card, a substitute's card, a group notice or a digest):
:func:`remember` tags each button with its task (from its callback data) and stores the
keyboard (:meth:`bot.engine.Engine.record_buttons`). Every path that ends a task (a
button, /selesai, /wakili, an undo, a cancelled run, another device) tells the run's group,
so after a group's notices go out the sender sweeps that run (:func:`close_stale_cards`):
each message loses the buttons of its tasks that ended and keeps the others; a private
card's author keeps ↩️ while undo is open. A delegation's end takes every button off the
substitute's cards (:func:`strip_delegation_cards`). A message already in that state ("not
modified") or deleted is simply closed.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from handlers.ui import callback_data as cb
from handlers.ui import keyboards

if TYPE_CHECKING:
    from handlers.outbox.notices import NoticeSender

logger = logging.getLogger(__name__)

#: Buttons that act on one task: they go when it ends.
TASK_BUTTONS = (cb.Done, cb.Decide, cb.OnBehalf, cb.OnBehalfDecide)


def tag_buttons(markup: InlineKeyboardMarkup | None) -> list[list[dict[str, Any]]] | None:
    """The keyboard as JSON, each task's button tagged with it; None if no button acts on a task."""
    if markup is None:
        return None
    rows: list[list[dict[str, Any]]] = []
    tagged = False
    for row in markup.inline_keyboard:
        out = []
        for button in row:
            plain: dict[str, Any] = {"text": button.text}
            if button.url:
                plain["url"] = button.url
            if isinstance(button.callback_data, str):
                plain["callback_data"] = button.callback_data
                try:
                    decoded = cb.decode(button.callback_data)
                except cb.CallbackError:
                    decoded = None
                if isinstance(decoded, TASK_BUTTONS):
                    plain["task"], tagged = decoded.task_id, True
                elif isinstance(decoded, cb.Claim):
                    plain["claim"], tagged = [decoded.run_id, str(decoded.role)], True
            out.append(plain)
        rows.append(out)
    return rows if tagged else None


def rebuild(buttons: list[list[dict[str, Any]]] | None, live: frozenset[int]) -> list[list[InlineKeyboardButton]]:
    """The keyboard without the buttons of tasks no longer live (untagged ones stay)."""
    rows = []
    for row in buttons or ():
        kept = [
            InlineKeyboardButton(b["text"], callback_data=b.get("callback_data"), url=b.get("url"))
            for b in row if b.get("task") is None or int(b["task"]) in live
        ]
        if kept:
            rows.append(kept)
    return rows


async def remember(sender: NoticeSender, chat_id: int, sent: Message | None, markup: InlineKeyboardMarkup | None,
                   delegation_id: int | None = None) -> None:
    """Record a message just sent with task buttons; failing to does not fail the send (it went out)."""
    message_id = getattr(sent, "message_id", None)
    buttons = tag_buttons(markup)
    if message_id is None or buttons is None:
        return
    try:
        ended = await asyncio.to_thread(sender.engine.record_buttons, chat_id, message_id, buttons, delegation_id)
        for run_id in ended:  # its task ended while it was on its way: no later notice may sweep it
            await close_stale_cards(sender, run_id, only=(chat_id, message_id))
    except Exception:
        logger.warning("could not record the buttons of message %s in %s", message_id, chat_id, exc_info=True)


async def _edit(sender: NoticeSender, chat_id: int, message_id: int, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await sender.application.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=markup)
    except BadRequest as exc:  # not modified (its own press did this), or deleted
        logger.debug("message %s in %s: %s", message_id, chat_id, exc)


async def close_stale_cards(sender: NoticeSender, run_id: int, only: tuple[int, int] | None = None) -> int:
    """Change the buttons of the run's messages whose tasks ended (`only`: of this chat and
    message, the one just sent); returns how many rows were closed."""
    engine = sender.engine
    closed: list[int] = []
    for message in await asyncio.to_thread(engine.stale_cards, run_id):
        if only is not None and (message.chat_id, message.message_id) != only:
            continue
        rows = rebuild(message.buttons, message.live)
        for card in message.ended:  # the author's own card keeps ↩️ while undo is open
            if card.status == "done" and card.completed_by == message.chat_id:
                if await asyncio.to_thread(engine.undo_refusal, card.task_id, message.chat_id) is None:
                    lang = await sender.lang_of(message.chat_id)
                    rows += [list(r) for r in keyboards.undo(card.task_id, lang).inline_keyboard]
        await _edit(sender, message.chat_id, message.message_id, InlineKeyboardMarkup(rows) if rows else None)
        closed += [card.id for card in message.ended]
    await asyncio.to_thread(engine.close_cards, closed)
    return len(closed)


async def strip_delegation_cards(sender: NoticeSender, delegation_id: int, task_id: int | None = None) -> None:
    """The substitute's cards of this period (of one task) lose their buttons (a gone message is fine)."""
    cards = await asyncio.to_thread(sender.engine.delegation_cards, delegation_id, task_id)
    for card in cards:
        await _edit(sender, card.chat_id, card.message_id, None)
    await asyncio.to_thread(sender.engine.close_cards, [card.id for card in cards])

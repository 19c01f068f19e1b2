"""A task card: the step's text and the buttons its actor may press now.

The same card is sent privately when a task becomes someone's turn (by the outbox
sender) and listed by /tugas, so a card looks the same however it was reached.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardMarkup

from bot.engine.views import StepView, TaskView
from handlers.ui import formatting, keyboards

if TYPE_CHECKING:
    from handlers.context import BotData

#: An engine lookup by method name: ``await lookup("get_chat", chat_id)``.
Lookup = Callable[..., Awaitable[Any]]


async def task_card(
    data: BotData, task: TaskView, lang: str, step: StepView | None = None, *, lookup: Lookup | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Text and buttons of a task card (✅, the decision's outcomes, or 🤝 for external roles).

    `lookup` (engine method name, args) lets the outbox sender answer from what it has
    already read for the batch; by default the engine is asked.
    """

    async def ask(method: str, *args: Any) -> Any:
        return await asyncio.to_thread(getattr(data.engine, method), *args)

    lookup = lookup or ask
    if step is None:  # from the run's pinned SOP, whether or not the task is still current
        step = await lookup("task_step", task.id)
    chat = await lookup("get_chat", task.chat_id)
    tz = chat.timezone if chat else data.settings.default_timezone
    text = formatting.task_card(task, step, tz, lang, chat.title if chat else None)
    if task.status != "active":
        return text, None
    if task.role.eksternal:
        return text, keyboards.on_behalf(task, lang)
    return text, keyboards.task_actions(task, step, lang)



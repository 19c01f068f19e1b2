"""A task card: the step's text and the buttons its actor may press now.

The same card is sent privately when a task becomes someone's turn (by the outbox
sender) and listed by /tugas, so a card looks the same however it was reached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup

from bot.engine.views import StepView, TaskView
from handlers.ui import formatting, keyboards
from handlers.ui.reads import EngineReads, Reads
from handlers.ui.texts import t

if TYPE_CHECKING:
    from handlers.context import BotData


async def task_card(
    data: BotData, task: TaskView, lang: str, step: StepView | None = None, *, reads: Reads | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Text and buttons of a task card (✅, the decision's outcomes, or 🤝 for external roles).

    `reads` lets the outbox sender answer from what it has already read for the batch; by
    default the engine is asked.
    """
    reads = reads or EngineReads(data.engine)
    if step is None:  # from the run's pinned SOP, whether or not the task is still current
        step = await reads.step(task.id)
    chat = await reads.chat(task.chat_id)
    tz = chat.timezone if chat else data.settings.default_timezone
    text = formatting.task_card(task, step, tz, lang, chat.title if chat else None)
    if task.status != "active":
        return text, None
    if task.role.eksternal:
        return text, keyboards.on_behalf(task, lang)
    return text, keyboards.task_actions(task, step, lang)


def confirmed_line(task: TaskView, lang: str) -> str:
    """"✅ Step N (role) confirmed by …": what a closed card (or a /selesai answer) says."""
    return t(lang, "confirmed", no=task.step_no, role=formatting.role_name(task.role),
             user=formatting.mention(task.completed_by))


def confirmed_privately(task: TaskView, lang: str, undo_minutes: int) -> str:
    """/selesai answered in a private chat: the confirmation and how long ↩️ lasts."""
    return f"{confirmed_line(task, lang)}\n{t(lang, 'confirmed_undo_hint', minutes=undo_minutes)}"


"""A person's tasks: /tugas lists them as cards with buttons, /selesai confirms the current
one (a document or photo sent with it, or with the caption /selesai, becomes evidence),
/wakili lets the coordinator confirm for an external party.

The cards come from :mod:`handlers.ui.task_cards`, which the outbox sender uses too, so a
card looks the same however it was reached.
"""

from __future__ import annotations

import re

from telegram import Update

from bot.engine.views import StepView, TaskView
from handlers.ui import keyboards, formatting
from handlers.ui.task_cards import confirmed_privately, task_card
from handlers.common import Refusal, args_of, is_group, lang_of, number_arg, reply, require_group
from handlers.context import Context
from handlers.engine_calls import do, engine, request_id, wake_sender
from handlers.evidence_input import evidence_of
from handlers.run_lookup import choose_run, my_tasks
from handlers.ui.texts import t

CAPTION_DONE = re.compile(r"^/(selesai|done)(@\w+)?(\s|$)", re.IGNORECASE)


async def send_task_list(update: Update, context: Context, chat_id: int | None) -> None:
    """One card per task the person can act on (across all groups when `chat_id` is None).

    A card is titled "Tugas Anda" already, so one task is one message; with several, the
    first card carries the count instead of a bare header message before it.
    """
    user, lang = update.effective_user, lang_of(context)
    assert user is not None
    tasks = await my_tasks(context, user.id, chat_id, on_behalf=True)
    if not tasks:
        await reply(update, t(lang, "tasks_none"))
        return
    for index, task in enumerate(tasks):
        text, markup = await task_card(context.bot_data, task, lang)
        if index == 0 and len(tasks) > 1:
            text = f"{t(lang, 'tasks_header', count=len(tasks))}\n\n{text}"
        await reply(update, text, markup)


async def tasks_command(update: Update, context: Context) -> None:
    """/tugas: in private, tasks from every group; in a group, mine in this group."""
    chat = update.effective_chat
    await send_task_list(update, context, chat.id if chat is not None and is_group(update) else None)


async def done_command(update: Update, context: Context) -> None:
    """/selesai [catatan] (optionally with a file or photo): confirm my current task."""
    message, user, lang = update.effective_message, update.effective_user, lang_of(context)
    assert message is not None and user is not None
    words = args_of(context) if context.args is not None else (message.caption or "").split()[1:]
    tasks = await my_tasks(context, user.id, message.chat_id if is_group(update) else None)
    if not tasks:
        raise Refusal("no_current_task")
    if len(tasks) > 1 or tasks[0].is_decision:
        await _show_cards(update, context, tasks)
        return
    limit = context.bot_data.settings.evidence_max_mb
    evidence = evidence_of(message, limit) if (message.document or message.photo) else None
    note = " ".join(words) or None
    result = await do(engine(context).confirm, tasks[0].id, user.id, note, evidence, request_id=request_id(update))
    if not is_group(update):
        text = confirmed_privately(result.task, lang, context.bot_data.settings.undo_window_minutes)
        await reply(update, text, keyboards.undo(result.task.id, lang))
    wake_sender(context)


async def _show_cards(update: Update, context: Context, tasks: list[TaskView]) -> None:
    """/selesai with several tasks (or a decision, which needs its outcome): their cards."""
    lang = lang_of(context)
    if len(tasks) > 1:
        await reply(update, t(lang, "choose_task"))
    for task in tasks:
        await reply(update, *await task_card(context.bot_data, task, lang))


async def stray_file(update: Update, context: Context) -> None:
    """A file or photo sent privately without saying which task it is for."""
    await reply(update, t(lang_of(context), "evidence_no_task"))


async def on_behalf_command(update: Update, context: Context) -> None:
    """/wakili [no] [HASIL] ALASAN: the coordinator confirms (or decides) the running step for its actor."""
    require_group(update)
    user, args = update.effective_user, args_of(context)
    assert user is not None
    run = await choose_run(update, context, "onbehalf")
    if run is None:
        return
    words = args[1:] if number_arg(context) is not None else args
    view = await do(engine(context).status, run.id)
    if view.task is None:
        raise Refusal("run_not_active")
    if not words:
        await show_current_for_on_behalf(update, context, run.id, t(lang_of(context), "on_behalf_usage"))
        return
    outcome = None
    if view.task.is_decision and view.step is not None and view.step.decision is not None:
        outcome, words = pick_outcome(view.step, words, lang_of(context))
    reason = " ".join(words)
    await do(engine(context).confirm_on_behalf, view.task.id, user.id, reason, outcome, request_id=request_id(update))
    wake_sender(context)


def pick_outcome(step: StepView, words: list[str], lang: str) -> tuple[str, list[str]]:
    """The outcome a /wakili for a decision step names first (key, or a unique prefix of it)."""
    outcomes = step.decision.outcomes if step.decision is not None else ()
    first = words[0].lower() if words else ""
    found = [o for o in outcomes if o.key == first] or [o for o in outcomes if first and o.key.startswith(first)]
    if len(found) != 1 or len(words) < 2:  # an outcome, then the reason
        listed = ", ".join(f"<code>{o.key}</code> ({formatting.outcome_label(o, lang)})" for o in outcomes)
        raise Refusal("on_behalf_outcome_usage", no=step.no, outcomes=listed)
    return found[0].key, words[1:]


async def show_current_for_on_behalf(update: Update, context: Context, run_id: int, intro: str = "") -> None:
    """The running task of a run with its 🤝 button (after "which run?", or a bare /wakili)."""
    view = await do(engine(context).status, run_id)
    if view.task is None:
        raise Refusal("run_not_active")
    lang = lang_of(context)
    text, _ = await task_card(context.bot_data, view.task, lang, view.step)
    await reply(update, f"{intro}\n\n{text}" if intro else text, keyboards.on_behalf(view.task, lang))

"""Runs of an SOP in a group: /mulai starts one, /status (and "apa selanjutnya?") says
what is next, /riwayat shows the history with evidence, /batal cancels after a
confirmation button. When a group has several runs, the buttons of :func:`pick_run`
carry the choice back here.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from telegram import Update
from telegram.error import BadRequest

from bot.domain import permissions
from bot.engine.views import RunView
from handlers.ui import callback_data as cb
from handlers import history
from handlers.ui import keyboards, formatting
from handlers.catalog_services import refuse_withdrawn
from handlers.common import Refusal, acknowledge, args_of, edit_pressed, lang_of, reply, require_group
from handlers.context import Context
from handlers.ui.paging import split_html
from handlers.actor_facts import person_ref, require_start_run, run_actor, run_facts
from handlers.engine_calls import do, engine, request_id, wake_sender
from handlers.run_lookup import chat_timezone, choose_run, run_in_chat
from handlers.ui.texts import t

#: Longest run title accepted; it is shown in every notice, card and button.
MAX_TITLE = 200
#: Seconds in which a repeated /status for the same run edits the first answer (or, when
#: nothing changed, says nothing) instead of sending another message.
STATUS_REPEAT_WINDOW = 60.0
#: chat_data key: run id -> the last /status answer sent in that chat.
STATUS_ANSWERS = "status_answers"


@dataclass
class StatusAnswer:
    """A /status answer the group can still see, and what it said."""

    chat_id: int
    message_id: int
    text: str
    at: float


async def start_run(update: Update, context: Context) -> None:
    """/mulai ID [judul]: start an SOP here; the caller coordinates it."""
    chat, user, args = require_group(update), update.effective_user, args_of(context)
    if not args or user is None:
        raise Refusal("start_usage")
    await require_start_run(context, chat.id, user.id)
    title = " ".join(args[1:]) or None
    if title is not None and len(title) > MAX_TITLE:
        raise Refusal("title_too_long", limit=MAX_TITLE)
    await refuse_withdrawn(context, args[0].lower()[:48], chat.id)
    await do(engine(context).start_run, chat.id, args[0].lower(), title, user.id, request_id=request_id(update))
    wake_sender(context)  # "SOP #n started" and the first actor's notice


async def show_status(update: Update, context: Context, run: RunView, *, quote: bool = False) -> None:
    """Answer "what's next?" for `run`. A repeated /status soon after brings the earlier answer up
    to date instead (groups get 20 messages a minute: thirty /status are one message); a question
    asked in plain words is answered quoting it, since the asker looks for the reply to theirs."""
    view = await do(engine(context).status, run.id)
    text = formatting.status(view, await chat_timezone(context, run.chat_id), lang_of(context))
    answers = context.chat_data.setdefault(STATUS_ANSWERS, {}) if context.chat_data is not None else {}
    now = asyncio.get_running_loop().time()
    earlier: StatusAnswer | None = answers.get(run.id)
    if not quote and earlier is not None and now - earlier.at < STATUS_REPEAT_WINDOW:
        if text == earlier.text or await _edited(context, earlier, text):
            return
    sent = await reply(update, text, quote=quote)
    if not quote and sent is not None and len(split_html(text)) == 1:
        answers[run.id] = StatusAnswer(sent.chat_id, sent.message_id, text, now)


async def _edited(context: Context, earlier: StatusAnswer, text: str) -> bool:
    """Bring the earlier /status answer up to date; False when it is gone (deleted, too old)."""
    try:
        await context.bot.edit_message_text(text, earlier.chat_id, earlier.message_id)
    except BadRequest:
        return False
    earlier.text = text
    return True


async def status_command(update: Update, context: Context) -> None:
    """/status [no], /lanjut, /next, and the plain question "apa selanjutnya?"."""
    run = await choose_run(update, context, "status")
    if run is not None:
        await show_status(update, context, run)


async def show_history(update: Update, context: Context, run: RunView) -> None:
    """The run's trail: who did what when, with the evidence attached."""
    entries = await do(engine(context).history, run.id)
    tz = await chat_timezone(context, run.chat_id)
    sop = await do(engine(context).run_definition, run.id)  # names and labels of the version the run started with
    people = {i: await person_ref(context, i) for i in history.subjects(entries)}
    await reply(update, history.render(run, entries, tz, lang_of(context), sop, people))


async def history_command(update: Update, context: Context) -> None:
    """/riwayat [no]."""
    run = await choose_run(update, context, "history")
    if run is not None:
        await show_history(update, context, run)


async def ask_cancel(update: Update, context: Context, run: RunView) -> None:
    """Check the caller may cancel, then ask for confirmation with buttons."""
    user, lang = update.effective_user, lang_of(context)
    assert user is not None
    permissions.require_cancel_question(await run_actor(context, run, user.id), run_facts(run))
    text = t(lang, "cancel_confirm", number=run.number, title=formatting.run_title(run))
    await reply(update, text, keyboards.confirm_cancel(run.id, lang))


async def cancel_command(update: Update, context: Context) -> None:
    """/batal [no]."""
    run = await choose_run(update, context, "cancel")
    if run is not None:
        await ask_cancel(update, context, run)


async def cancel_button(update: Update, context: Context, data: cb.CancelRun) -> None:
    """🛑 pressed: cancel for good (coordinator or group admin only)."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.message is not None and user is not None
    run = await run_in_chat(context, data.run_id, query.message.chat.id)
    who = await run_actor(context, run, user.id)
    await do(engine(context).cancel_run, run.id, who, request_id=request_id(update))
    await acknowledge(query, t(lang_of(context), "done_ack"))
    await edit_pressed(query)
    wake_sender(context)


async def keep_button(update: Update, context: Context, data: cb.KeepRun) -> None:
    """"No" pressed under the cancel question."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.message is not None and user is not None
    run = await run_in_chat(context, data.run_id, query.message.chat.id)
    # only who asked (or could have) may dismiss the question
    permissions.require_cancel_question(await run_actor(context, run, user.id), run_facts(run))
    await acknowledge(query, t(lang_of(context), "cancel_kept"))
    await edit_pressed(query)

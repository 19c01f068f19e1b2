"""Runs of an SOP in a group: /mulai starts one, /status (and "apa selanjutnya?") says
what is next, /riwayat shows the history with evidence, /batal cancels after a
confirmation button. When a group has several runs, the buttons of :func:`pick_run`
carry the choice back here.
"""

from __future__ import annotations

from telegram import Update

from bot.engine.views import RunView
from handlers import callbacks as cb
from handlers import history, keyboards, render
from handlers.catalog_services import refuse_withdrawn
from handlers.common import Refusal, acknowledge, args_of, edit_pressed, lang_of, reply, require_group
from handlers.context import Context
from handlers.services import (
    chat_timezone,
    choose_run,
    do,
    engine,
    flush,
    is_admin,
    may_start_runs,
    person_ref,
    request_id,
    run_in_chat,
)
from handlers.texts import t

#: Longest run title accepted; it is shown in every notice, card and button.
MAX_TITLE = 200


async def start_run(update: Update, context: Context) -> None:
    """/mulai ID [judul]: start an SOP here; the caller coordinates it."""
    chat, user, args = require_group(update), update.effective_user, args_of(context)
    if not args or user is None:
        raise Refusal("start_usage")
    if not await may_start_runs(context, chat.id, user.id):
        raise Refusal("not_admin")
    title = " ".join(args[1:]) or None
    if title is not None and len(title) > MAX_TITLE:
        raise Refusal("title_too_long", limit=MAX_TITLE)
    await refuse_withdrawn(context, args[0].lower()[:48], chat.id)
    run = await do(engine(context).start_run, chat.id, args[0].lower(), title, user.id, request_id=request_id(update))
    await flush(context)  # "SOP #n started" and the first actor's notice


async def show_status(update: Update, context: Context, run: RunView, *, quote: bool = False) -> None:
    """Answer "what's next?" for `run` (quoting the question asked in plain words)."""
    view = await do(engine(context).status, run.id)
    await reply(update, render.status(view, await chat_timezone(context, run.chat_id), lang_of(context)), quote=quote)


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
    if user.id != run.coordinator.id and not await is_admin(context, run.chat_id, user.id):
        raise Refusal("not_admin")
    text = t(lang, "cancel_confirm", number=run.number, title=render.run_title(run))
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
    admin = user.id != run.coordinator.id and await is_admin(context, run.chat_id, user.id)
    await do(engine(context).cancel_run, run.id, user.id, is_admin=admin, request_id=request_id(update))
    await acknowledge(query, t(lang_of(context), "done_ack"))
    await edit_pressed(query)
    await flush(context)


async def keep_button(update: Update, context: Context, data: cb.KeepRun) -> None:
    """"No" pressed under the cancel question."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.message is not None and user is not None
    run = await run_in_chat(context, data.run_id, query.message.chat.id)
    if user.id != run.coordinator.id and not await is_admin(context, run.chat_id, user.id):
        raise Refusal("not_admin")  # only who asked (or could have) may dismiss the question
    await acknowledge(query, t(lang_of(context), "cancel_kept"))
    await edit_pressed(query)

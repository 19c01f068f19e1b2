"""Acting on a task card from a phone: ✅ Selesai, Setujui / Kembalikan, ↩️ Urungkan,
🤝 on behalf; the replies that answer a reason prompt; evidence sent as a reply.

Every press is re-checked against the database inside its one write transaction (the
engine refuses a task out of the chat's scope — :class:`~bot.domain.permissions.PressScope`,
answered like a stale button — a stale task, the wrong person, an expired undo), so a
forged or old button only earns a polite alert. Buttons that show the task before acting
(an outcome needing a reason, 🤝) read it through ``task_in_scope`` first.
Reasons are asked with ForceReply; the open questions live in ``bot_data.prompts``.
"""

from __future__ import annotations

from telegram import ForceReply, Message, Update

from bot.domain import permissions
from bot.engine.errors import TaskNotCurrent
from bot.engine.views import StepView, TaskView

from handlers.ui import callback_data as cb
from handlers import delegations, monev_survey
from handlers.ui import keyboards, formatting
from handlers.common import Refusal, acknowledge, drop_buttons, edit_pressed, is_group, lang_of, reply
from handlers.context import Context, Prompt, remember
from handlers.actor_facts import run_facts
from handlers.engine_calls import do, engine, me, press_scope, request_id, wake_sender
from handlers.evidence_input import evidence_of
from handlers.run_lookup import current_task, task_in_scope
from handlers.ui.task_cards import confirmed_line, task_card
from handlers.ui.texts import t

TASK_BUTTONS = (cb.Done, cb.Decide, cb.Undo, cb.OnBehalf, cb.OnBehalfDecide)
#: How every reason prompt begins (the "reason_prompt" text in both languages).
PROMPT_MARK = "✍️"


async def _close_card(update: Update, line: str, markup: object = None) -> None:
    """Append what happened to the pressed card and swap its buttons (undo, or none)."""
    query = update.callback_query
    assert query is not None
    if isinstance(query.message, Message):  # an inaccessible (deleted, too old) card stays as it is
        await edit_pressed(query, f"{query.message.text_html}\n\n{line}", markup)


async def done_button(update: Update, context: Context, data: cb.Done) -> None:
    """✅ pressed: confirm the task; the card keeps an ↩️ for the undo window."""
    query, user, lang = update.callback_query, update.effective_user, lang_of(context)
    assert query is not None and user is not None
    try:
        result = await do(engine(context).confirm, data.task_id, user.id, request_id=request_id(update),
                          scope=press_scope(update))
    except TaskNotCurrent as refusal:
        if refusal.status != "done" or refusal.completed_by != user.id or refusal.on_behalf:
            raise
        await _pressed_again(update, context, data.task_id)  # the first press's answer was lost
        return
    await acknowledge(query, t(lang, "done_ack"))
    task = result.task
    line = confirmed_line(task, lang)
    await _close_card(update, line, keyboards.undo(task.id, lang))
    wake_sender(context)


async def _pressed_again(update: Update, context: Context, task_id: int) -> None:
    """✅ pressed on a task the presser already completed: the bot died before it answered
    the first press (or its edit was lost). Answer, and leave the card as that press would
    have: the confirmation line, and ↩️ while the undo window lasts."""
    query, user, lang = update.callback_query, update.effective_user, lang_of(context)
    assert query is not None and user is not None
    task = await do(engine(context).get_task, task_id)
    await acknowledge(query, t(lang, "done_ack"))
    line = confirmed_line(task, lang)
    undoable = await do(engine(context).undo_refusal, task_id, user.id) is None
    await _close_card(update, line, keyboards.undo(task.id, lang) if undoable else None)


async def decide_button(update: Update, context: Context, data: cb.Decide) -> None:
    """An outcome pressed: decide now, or first ask for the reason the outcome requires."""
    query, user, lang = update.callback_query, update.effective_user, lang_of(context)
    assert query is not None and user is not None and query.message is not None
    task, step = await current_task(context, data.task_id, await task_in_scope(update, context, data.task_id))
    outcome = next((o for o in (step.decision.outcomes if step.decision else ()) if o.key == data.outcome), None)
    if outcome is None:
        raise Refusal("stale_button")
    covered = task.acting_as is not None  # `holder` is then the Plh./Plt., `acting_for` the holder
    holder, substitute = (task.acting_for, task.holder) if covered else (task.holder, None)
    seat = permissions.Seat(task.role.key, task.role.eksternal, holder.id if holder else None,
                            substitute.id if substitute else None)
    permissions.require_actor(user.id, seat, task_id=task.id, run_id=task.run_id)
    await acknowledge(query)
    if outcome.alasan_wajib:
        what = t(lang, "reason_return")
        await ask_reason(update, context, Prompt("return", task.id, user.id, outcome.key, _where(update)), what, task.step_no)
        return
    result = await do(engine(context).decide, task.id, user.id, outcome.key, request_id=request_id(update),
                      scope=press_scope(update))
    line = t(lang, "decided", no=task.step_no, outcome=formatting.outcome_label(outcome, lang), user=formatting.mention(result.task.completed_by))
    await _close_card(update, line)
    wake_sender(context)


async def _coordinated_task(update: Update, context: Context, task_id: int) -> tuple[TaskView, StepView]:
    """The current task of a run the presser coordinates (on-behalf buttons)."""
    user = update.effective_user
    assert user is not None
    task, step = await current_task(context, task_id, await task_in_scope(update, context, task_id))
    run = await do(engine(context).get_run, task.run_id)
    permissions.require_coordinator(user.id, run_facts(run))
    return task, step


async def on_behalf_button(update: Update, context: Context, data: cb.OnBehalf) -> None:
    """🤝 pressed: only the coordinator may; a decision asks for the outcome, then the reason."""
    query, user, lang = update.callback_query, update.effective_user, lang_of(context)
    assert query is not None and user is not None
    task, step = await _coordinated_task(update, context, data.task_id)
    await acknowledge(query)
    if task.is_decision and step.decision is not None:
        role = formatting.role_name(task.role)
        text = t(lang, "on_behalf_choose", no=task.step_no, question=formatting.esc(step.decision.pertanyaan), role=role)
        await reply(update, text, keyboards.on_behalf_outcomes(task, step, lang))
        return
    what = t(lang, "reason_on_behalf", role=formatting.role_name(task.role))
    await ask_reason(update, context, Prompt("on_behalf", task.id, user.id, card=_where(update)), what, task.step_no)


async def on_behalf_outcome_button(update: Update, context: Context, data: cb.OnBehalfDecide) -> None:
    """An outcome picked for a decision on its actor's behalf: ask for the reason next."""
    query, user, lang = update.callback_query, update.effective_user, lang_of(context)
    assert query is not None and user is not None
    task, step = await _coordinated_task(update, context, data.task_id)
    if step.decision is None or all(o.key != data.outcome for o in step.decision.outcomes):
        raise Refusal("stale_button")
    await acknowledge(query)
    what = t(lang, "reason_on_behalf", role=formatting.role_name(task.role))
    prompt = Prompt("on_behalf", task.id, user.id, data.outcome, card=_where(update))
    await ask_reason(update, context, prompt, what, task.step_no)


async def undo_button(update: Update, context: Context, data: cb.Undo) -> None:
    """↩️ pressed: take the confirmation back; a private card gets its buttons again."""
    query, user, lang = update.callback_query, update.effective_user, lang_of(context)
    assert query is not None and user is not None
    task = await do(engine(context).undo, data.task_id, user.id, request_id=request_id(update),
                    send_card=is_group(update), scope=press_scope(update))
    await acknowledge(query, t(lang, "done_ack"))
    if is_group(update):
        await edit_pressed(query)  # the group hears of it from the notice
    else:
        text, markup = await task_card(context.bot_data, task, lang)
        await edit_pressed(query, text, markup)
    wake_sender(context)


def _where(update: Update) -> tuple[int, int] | None:
    message = update.callback_query.message if update.callback_query else None
    return (message.chat.id, message.message_id) if message is not None else None


async def ask_reason(update: Update, context: Context, prompt: Prompt, what: str, step_no: int) -> None:
    """Send a ForceReply question; the person's reply to it is the reason."""
    lang = lang_of(context)
    markup = ForceReply(selective=True, input_field_placeholder=t(lang, "reason_required")[:64])
    text = t(lang, "reason_prompt", user=formatting.mention(me(update)), what=what, no=step_no)  # the mention targets ForceReply
    sent = await reply(update, text, markup)
    if sent is not None:
        remember(context, (sent.chat_id, sent.message_id), prompt)


async def reply_message(update: Update, context: Context) -> None:
    """A reply to one of our messages: a reason prompt's answer, or evidence for a task."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.reply_to_message is not None and user is not None
    target = message.reply_to_message
    if target.from_user is None or target.from_user.id != context.bot.id:
        return
    prompt = context.bot_data.prompts.get((target.chat_id, target.message_id))
    if prompt is not None and prompt.user_id == user.id and message.text:
        del context.bot_data.prompts[(target.chat_id, target.message_id)]  # one answer, even if refused
        if prompt.kind == monev_survey.NOTE_PROMPT:
            await monev_survey.save_note(update, context, prompt.task_id, message.text, prompt.card)
            return
        await answer_prompt(update, context, prompt, message.text)
    elif prompt is None and message.text and (evaluation_id := monev_survey.questionnaire_of(target)) is not None:
        await monev_survey.save_note(update, context, evaluation_id, message.text, (target.chat_id, target.message_id))
    elif prompt is None and (task_id := task_of(target)) is not None:
        await attach(update, context, task_id)
    elif prompt is None and (target.text or "").startswith(PROMPT_MARK):
        raise Refusal("prompt_expired")  # asked before a restart: the question is gone, say so


async def answer_prompt(update: Update, context: Context, prompt: Prompt, reason: str) -> None:
    """Carry out the decision or on-behalf confirmation the prompt was about."""
    user, lang, rid = update.effective_user, lang_of(context), request_id(update)
    assert user is not None
    if prompt.kind == "plh":
        await delegations.answer_prompt(update, context, prompt)
        return
    if prompt.kind == "return":
        result = await do(engine(context).decide, prompt.task_id, user.id, prompt.outcome or "", reason, request_id=rid,
                          scope=press_scope(update))
        label = formatting.outcome_label(result.outcome, lang) if result.outcome else ""
        text = t(lang, "decided", no=result.task.step_no, outcome=label, user=formatting.mention(me(update)))
    else:
        result = await do(engine(context).confirm_on_behalf, prompt.task_id, user.id, reason, prompt.outcome,
                          request_id=rid, scope=press_scope(update))
        text = t(lang, "on_behalf_done", no=result.task.step_no, role=formatting.role_name(result.task.role), user=formatting.mention(me(update)), reason=formatting.esc(reason))
    if prompt.card is not None:  # the question is answered: the card's buttons are spent
        await drop_buttons(context.bot, *prompt.card)
    if not is_group(update):
        await reply(update, text)
    wake_sender(context)


def task_of(message: Message) -> int | None:
    """The task a bot message is about, read from its buttons (cards, notices, confirmations)."""
    for data in [b.callback_data for row in (message.reply_markup.inline_keyboard if message.reply_markup else ()) for b in row]:
        try:
            decoded = cb.decode(data)
        except cb.CallbackError:
            continue
        if isinstance(decoded, TASK_BUTTONS):
            return decoded.task_id
    return None


async def attach(update: Update, context: Context, task_id: int) -> None:
    """Store the message as evidence of the task and say so."""
    message, user, lang = update.effective_message, update.effective_user, lang_of(context)
    assert message is not None and user is not None
    evidence = evidence_of(message, context.bot_data.settings.evidence_max_mb)
    if evidence is None:
        return
    view = await do(
        engine(context).attach_evidence, task_id, user.id, evidence.kind, evidence.file_id, evidence.filename,
        evidence.caption, evidence.chat_id, evidence.message_id, request_id=request_id(update),
    )
    task = await do(engine(context).get_task, view.task_id)
    await reply(update, t(lang, "evidence_added", no=task.step_no, role=formatting.role_name(task.role)), quote=True)

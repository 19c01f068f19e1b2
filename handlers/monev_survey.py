"""The actors' evaluation questionnaire: sent privately when a run finishes, answered with
Ya/Tidak buttons and an optional note, changeable until the period is signed off.

Sending does not go through the outbox (whose sender is being rewritten elsewhere): a
JobQueue job (``MONEV_INVITE_SECONDS``) makes the questionnaires of recently finished runs
(:func:`bot.monev.store.invite_finished`: once per run and person, only people who
pressed Start), claims them for a lease and sends them. A 403 gives the row up for good
(the person is never nagged); other failures are retried a few times.

Every press is checked against the database: a button from someone else's questionnaire,
a forged id or criterion, or a press after the sign-off changes nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from handlers.ui import callback_data as cb
from handlers.common import Refusal, acknowledge, edit_pressed, lang_of, reply
from handlers.context import Context, Prompt
from handlers.ui.formatting import esc, mention
from handlers.engine_calls import do, engine, me
from handlers.ui.texts import language, t

if TYPE_CHECKING:
    from bot.monev.store import Invite, Questionnaire

logger = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)
NOTE_PROMPT = "monev_note"


def _refused(exc: Exception) -> Refusal:
    code = getattr(exc, "code", "stale")
    return Refusal({"locked": "survey_locked", "too_long": "monev_too_long"}.get(code, "stale_button"))


# -- rendering ------------------------------------------------------------------------------
def render(q: Questionnaire, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """The questionnaire: every criterion with its answer so far, buttons while it is open."""
    from bot.monev.rules import CRITERIA, CRITERION_KEYS, criterion_text

    lines = [t(lang, "survey_intro", sop=esc(q.sop_nama, 80), number=q.run_number, title=esc(q.run_title, 80),
               group=esc(q.chat_title, 60))]
    for i, key in enumerate(CRITERION_KEYS):
        value = q.answers.get(key)
        answer = t(lang, "survey_open" if value is None else "survey_yes" if value else "survey_no")
        lines.append(t(lang, "survey_line", no=i + 1, criterion=criterion_text(i, lang), answer=answer))
    if q.note:
        lines.append(t(lang, "survey_note", note=esc(q.note, 1000)))
    if q.locked:
        return "\n".join([*lines, "", t(lang, "survey_locked")]), None
    if len(q.answers) == len(CRITERIA):
        lines += ["", t(lang, "survey_thanks")]
    lines += ["", t(lang, "survey_footer")]
    rows = []
    for i, key in enumerate(CRITERION_KEYS):
        value = q.answers.get(key)
        yes = ("● " if value is True else "") + t(lang, "btn_survey_yes", no=i + 1)
        no = ("● " if value is False else "") + t(lang, "btn_survey_no", no=i + 1)
        rows.append([InlineKeyboardButton(yes, callback_data=cb.SurveyAnswer(q.id, i, 1).encode()),
                     InlineKeyboardButton(no, callback_data=cb.SurveyAnswer(q.id, i, 0).encode())])
    rows.append([InlineKeyboardButton(t(lang, "btn_survey_note"), callback_data=cb.SurveyNote(q.id).encode())])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


# -- sending --------------------------------------------------------------------------------
async def invite_job(context: Context) -> None:
    """JobQueue callback: make and send the questionnaires of recently finished runs."""
    await deliver_invites(context.application)


async def deliver_invites(application: Application) -> int:  # type: ignore[type-arg]
    """Send every questionnaire due now; returns how many went out."""
    from bot.monev import store
    from bot.monev.service import Monev

    data = application.bot_data
    eng = data.engine
    monev = Monev.for_engine(eng, data.settings)
    await do(monev.invite_finished)
    sent = 0
    for invite in await do(store.claim_invites, eng.db, eng.now(), LEASE):
        sent += await _send_invite(application, invite)
    return sent


async def _send_invite(application: Application, invite: Invite) -> bool:  # type: ignore[type-arg]
    """Send one claimed questionnaire and settle its invite: sent, failed (tried again
    later), or given up at once (the person blocked the bot)."""
    from bot.monev import store

    data = application.bot_data
    eng = data.engine
    sent = give_up = False
    try:
        q = await do(store.questionnaire, eng.db, invite.id, invite.user_id, True)
        chat = await do(eng.get_chat, invite.user_id)
        text, markup = render(q, language(chat.language if chat else data.settings.default_language))
        await application.bot.send_message(invite.user_id, text, reply_markup=markup)
        sent = True
    except Forbidden as exc:
        logger.info("questionnaire %s not sent (blocked): %s", invite.id, exc)
        give_up = True
    except TelegramError as exc:
        logger.warning("questionnaire %s not sent: %s", invite.id, exc)
    except Exception:  # a bug must not retry forever: it counts as an attempt
        logger.exception("questionnaire %s could not be prepared", invite.id)
    await do(store.settle_invite, eng.db, invite.id, eng.now(), sent, give_up)
    return sent


# -- answering ------------------------------------------------------------------------------
async def answer_button(update: Update, context: Context, data: cb.SurveyAnswer) -> None:
    """Ya/Tidak on one criterion: saved at once, the message shows it; a repeat changes nothing."""
    from bot.monev import store

    query = update.callback_query
    assert query is not None
    if data.value not in (0, 1):
        raise Refusal("stale_button")
    eng, lang = engine(context), lang_of(context)
    try:
        changed = await do(store.answer, eng.db, data.evaluation_id, me(update).id, data.criterion,
                           bool(data.value), eng.now())
        q = await do(store.questionnaire, eng.db, data.evaluation_id, me(update).id)
    except store.MonevRefused as exc:
        raise _refused(exc) from None
    await acknowledge(query, t(lang, "survey_saved" if changed else "survey_unchanged"))
    if changed:
        await edit_pressed(query, *render(q, lang))


async def note_button(update: Update, context: Context, data: cb.SurveyNote) -> None:
    """📝: ask for the note with a reply prompt."""
    from bot.monev import store

    query = update.callback_query
    assert query is not None and query.message is not None
    eng, lang, user = engine(context), lang_of(context), me(update)
    try:
        q = await do(store.questionnaire, eng.db, data.evaluation_id, user.id)
    except store.MonevRefused as exc:
        raise _refused(exc) from None
    if q.locked:
        raise Refusal("survey_locked")
    await acknowledge(query)
    markup = ForceReply(selective=True)
    prompt = await reply(update, t(lang, "survey_note_prompt", user=mention(user)), markup)
    if prompt is not None:
        card = (query.message.chat.id, query.message.message_id)
        context.bot_data.prompts[(prompt.chat_id, prompt.message_id)] = Prompt(NOTE_PROMPT, q.id, user.id, card=card)


def questionnaire_of(message: Message) -> int | None:
    """The questionnaire a bot message is, read from its buttons (for a reply with a note)."""
    rows = message.reply_markup.inline_keyboard if message.reply_markup else ()
    for button in (b for row in rows for b in row):
        try:
            decoded = cb.decode(button.callback_data)
        except cb.CallbackError:
            continue
        if isinstance(decoded, (cb.SurveyAnswer, cb.SurveyNote)):
            return decoded.evaluation_id
    return None


async def save_note(update: Update, context: Context, evaluation_id: int, text: str,
                    card: tuple[int, int] | None = None) -> None:
    """Store the note and show it on the questionnaire."""
    from bot.monev import store

    eng, lang, user = engine(context), lang_of(context), me(update)
    try:
        await do(store.write_note, eng.db, evaluation_id, user.id, text, eng.now())
        q = await do(store.questionnaire, eng.db, evaluation_id, user.id)
    except store.MonevRefused as exc:
        raise _refused(exc) from None
    await reply(update, t(lang, "survey_note_saved"))
    if card is not None:
        body, markup = render(q, lang)
        try:
            await context.bot.edit_message_text(body, chat_id=card[0], message_id=card[1], reply_markup=markup)
        except TelegramError as exc:
            logger.info("could not update the questionnaire: %s", exc)

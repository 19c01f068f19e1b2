"""Plh. and Plt.: `/plh PERAN @orang [mulai 3 Des] sampai 7 Des [alasan]`, `/plt PERAN
@orang [alasan]`, `/plh selesai PERAN`, and the Accept / Decline / End buttons.

The substitute is named by @username, by a mention of someone without one, or by replying
to their message; they must be a member of the group, and nothing changes until they press
Accept. The request is posted in the group (mentioning them), so someone who never pressed
Start sees it too, with a button to open the bot. The rules live in the engine; these
handlers only read the command and show the answer.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from telegram import ForceReply, MessageEntity, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest

from bot.domain import permissions
from bot.delegation.parse import FROM, UNTIL, BadDate, read_period
from bot.engine.delegation_views import DelegationView
from bot.engine.views import RunView
from handlers.ui import callback_data as cb
from handlers.ui import delegation_text as dr
from handlers.common import Refusal, acknowledge, edit_pressed, lang_of, number_arg, reply
from handlers.context import Context, Prompt, remember
from handlers.ui.formatting import esc, mention, role_name
from handlers.roles import refresh_pressed
from handlers.engine_calls import do, engine, me, request_id, wake_sender
from handlers.run_lookup import chat_timezone, choose_run, match_role, run_in_chat, run_roles
from handlers.ui.texts import t

_MENTIONS: list[str | None] = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
_GONE = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
_END = frozenset({"selesai", "end", "batal"})


async def plh_command(update: Update, context: Context) -> None:
    """/plh: name a Plh. for a role you hold (or, as coordinator, for an absent holder)."""
    await _delegate(update, context, "plh")


async def plt_command(update: Update, context: Context) -> None:
    """/plt: the coordinator names a Plt. for a vacant role."""
    await _delegate(update, context, "plt")


async def _delegate(update: Update, context: Context, kind: str) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    words = list(context.args or [])
    skip = 1 if number_arg(context) is not None else 0  # `/plh 2 selesai PERAN`
    if kind == "plh" and len(words) > skip and words[skip].lower() in _END:
        await _end_command(update, context, words[skip + 1 :])
        return
    role_words, who, rest = await _split(update, context)
    if not role_words or who is None:
        raise Refusal("plh_usage" if kind == "plh" else "plt_usage")
    run = await choose_run(update, context, "roles")
    if run is None:
        return
    role = match_role([v.role for v in await run_roles(context, run)], " ".join(role_words))
    await _ask(update, context, run, role.key, kind, who, rest)


async def _ask(
    update: Update, context: Context, run: RunView, role_key: str, kind: str, who: int, rest: list[str]
) -> None:
    """Check the substitute is in the group, read the period, and post the request with its buttons."""
    user = update.effective_user
    assert user is not None
    await _require_member(context, run.chat_id, who)
    tz = await chat_timezone(context, run.chat_id)
    try:
        found = read_period(rest, _today(context, tz))
    except BadDate as exc:
        raise Refusal("plh_bad_date", text=esc(exc.text, 40)) from exc
    view: DelegationView = await do(
        engine(context).request_delegation, run.id, role_key, who, user.id, kind=kind,
        reason=found.reason or None, first_day=found.first_day, last_day=found.last_day,
        request_id=request_id(update),
    )
    lang = lang_of(context)
    await reply(update, dr.request_text(view, tz, lang), dr.request_markup(view, context.bot_data.bot_username, lang))


async def answer_prompt(update: Update, context: Context, prompt: Prompt) -> None:
    """The reply to 🧳's question: `@orang sampai 7 Des [alasan]` for the role the button named."""
    assert prompt.run_id is not None and prompt.role_key is not None
    message = update.effective_message
    assert message is not None
    _, who, rest = await _split(update, context)
    if who is None:
        raise Refusal("plh_usage")
    run = await run_in_chat(context, prompt.run_id, message.chat_id)
    await _ask(update, context, run, prompt.role_key, "plh", who, rest)


async def ask_button(update: Update, context: Context, data: cb.PlhAsk) -> None:
    """🧳 pressed under /peran: ask the holder (or the coordinator) who substitutes, by reply."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.message is not None and user is not None
    run = await run_in_chat(context, data.run_id, query.message.chat.id)
    views = await run_roles(context, run)
    view = next((v for v in views if v.role.key == data.role), None)
    if view is None or view.holder is None:
        raise Refusal("stale_button")
    # the reason comes with the reply; who may ask at all is decided now
    if permissions.substitute_request_refusal(False, user.id, view.holder.id, run.coordinator.id, reason_given=True):
        raise Refusal("plh_refused_not_holder", role=role_name(view.role))
    lang = lang_of(context)
    await acknowledge(query)
    markup = ForceReply(selective=True, input_field_placeholder="@orang sampai 7 Des")
    text = t(lang, "plh_prompt", user=mention(me(update)), role=role_name(view.role))
    sent = await reply(update, text, markup)
    if sent is not None:
        remember(context, (sent.chat_id, sent.message_id),
                 Prompt(kind="plh", task_id=0, user_id=user.id, run_id=run.id, role_key=view.role.key))


def _today(context: Context, tz: str) -> date:
    """Today in the group's zone, on the engine's clock (tests move it)."""
    now: datetime = engine(context).now()
    return now.astimezone(ZoneInfo(tz)).date()


async def _split(update: Update, context: Context) -> tuple[list[str], int | None, list[str]]:
    """(role words, substitute id, the words after): split at the first mention, or
    take the person from the replied-to message and split at `mulai`/`sampai`."""
    message = update.effective_message
    assert message is not None
    text = message.text or ""
    entities = sorted(message.parse_entities(_MENTIONS).items(), key=lambda item: item[0].offset)
    words_before: list[str]
    who: int | None
    if entities:
        entity, shown = entities[0]
        words_before, rest = _around(text, entity)
        who = await _mentioned(context, entity, shown)
    else:
        replied = message.reply_to_message.from_user if message.reply_to_message else None
        if replied is None or replied.is_bot:
            return [], None, []
        await do(engine(context).ensure_user, replied.id, replied.first_name, replied.username, replied.language_code)
        words = text.split()[1:]
        cut = next((i for i, w in enumerate(words) if w.lower() in FROM | UNTIL), len(words))
        words_before, rest, who = words[:cut], words[cut:], replied.id
    if words_before and number_arg(context) is not None:
        words_before = words_before[1:]
    return words_before, who, rest


def _around(text: str, entity: MessageEntity) -> tuple[list[str], list[str]]:
    """The words before a mention (without the command) and after it."""
    units = text.encode("utf-16-le")  # Telegram counts offsets in UTF-16 code units
    before = units[: 2 * entity.offset].decode("utf-16-le").split()
    before = before[1:] if before and before[0].startswith("/") else before  # without the command
    return before, units[2 * (entity.offset + entity.length) :].decode("utf-16-le").split()


async def _mentioned(context: Context, entity: MessageEntity, shown: str) -> int:
    """The person a mention names: a text mention's user (recorded), or a known @username."""
    if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
        target = entity.user
        await do(engine(context).ensure_user, target.id, target.first_name, target.username, target.language_code)
        return target.id
    known = await do(engine(context).user_by_username, shown)
    if known is None:
        raise Refusal("plh_unknown_person", who=esc(shown, 40))
    return known.id


async def _require_member(context: Context, chat_id: int, user_id: int) -> None:
    """The substitute must be in the group (Telegram's word, not ours)."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except BadRequest:
        member = None
    if member is None or member.status in _GONE:
        person = await do(engine(context).get_user, user_id)
        raise Refusal("plh_not_member", who=mention(person) if person else str(user_id))


async def _end_command(update: Update, context: Context, words: list[str]) -> None:
    """/plh selesai PERAN: hand back now (or withdraw a request not yet answered)."""
    user = update.effective_user
    assert user is not None
    if not words:
        raise Refusal("plh_end_usage")
    run = await choose_run(update, context, "roles")
    if run is None:
        return
    role = match_role([v.role for v in await run_roles(context, run)], " ".join(words))
    await _end(update, context, run, role.key, user.id)


async def _end(update: Update, context: Context, run: RunView, role_key: str, user_id: int) -> None:
    view: DelegationView = await do(engine(context).end_delegation, run.id, role_key, user_id,
                                    request_id=request_id(update))
    if view.status == "cancelled" and update.callback_query is None:
        lang = lang_of(context)
        await reply(update, t(lang, "plh_cancelled", label=dr.label(view, lang), substitute=mention(view.substitute)))
    wake_sender(context)


# -- buttons ------------------------------------------------------------------------------
async def _pressed(update: Update, context: Context, delegation_id: int) -> DelegationView:
    """The delegation a button names, only in the group it belongs to (else forged)."""
    query = update.callback_query
    assert query is not None and query.message is not None
    view: DelegationView = await do(engine(context).get_delegation, delegation_id)
    if view.chat_id != query.message.chat.id:
        raise Refusal("stale_button")
    return view


async def accept_button(update: Update, context: Context, data: cb.PlhAccept) -> None:
    """✅ pressed under a request: only the person named may accept."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    await _pressed(update, context, data.delegation_id)
    await do(engine(context).answer_delegation, data.delegation_id, user.id, True, request_id=request_id(update))
    await acknowledge(query, t(lang_of(context), "plh_accepted_ack"))
    await edit_pressed(query)
    wake_sender(context)


async def decline_button(update: Update, context: Context, data: cb.PlhDecline) -> None:
    """✖️ pressed under a request: the person named says no; nothing changes."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    await _pressed(update, context, data.delegation_id)
    view = await do(engine(context).answer_delegation, data.delegation_id, user.id, False, request_id=request_id(update))
    lang = lang_of(context)
    await acknowledge(query)
    text = t(lang, "plh_declined", substitute=mention(view.substitute), label=dr.label(view, lang))
    await edit_pressed(query, text)


async def end_button(update: Update, context: Context, data: cb.PlhEnd) -> None:
    """🔚 pressed under /peran: the holder, the substitute or the coordinator ends it now."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    view = await _pressed(update, context, data.delegation_id)
    run = await run_in_chat(context, view.run_id, view.chat_id)
    await _end(update, context, run, view.role.key, user.id)
    await acknowledge(query, t(lang_of(context), "done_ack"))
    await refresh_pressed(update, context, run)

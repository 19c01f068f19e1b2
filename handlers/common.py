"""Small helpers every handler uses: language, replies (split when long), refusals.

A handler that cannot do what was asked raises a :class:`~bot.domain.refusal.Refusal`
(its own, or an engine's let through); the one error handler in :mod:`handlers.errors` turns either into a polite
answer in the right place (a reply, or a callback-query alert). Handlers therefore read
as the happy path only.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import Bot, CallbackQuery, Chat, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.domain.refusal import Refusal
from handlers.context import Context
from handlers.ui.paging import split_html
from handlers.ui.texts import language

__all__ = ["Refusal"]  # re-exported: handlers raise it from here

logger = logging.getLogger(__name__)

#: A run number as people type it: `2` or `#2`. Only ASCII digits: "²".isdigit() is True
#: in Python but int("²") raises.
_RUN_NUMBER = re.compile(r"#?([0-9]+)")
#: Run numbers count per chat; anything longer is garbage (and would overflow an INTEGER).
MAX_RUN_NUMBER_DIGITS = 9


def lang_of(context: Context) -> str:
    """The current chat's language, cached by the pre-handler hook."""
    cached = context.chat_data.get("lang") if context.chat_data is not None else None
    return language(cached or context.bot_data.settings.default_language)


def is_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


def require_group(update: Update) -> Chat:
    """The group the command was sent in; refuse in private chats."""
    if not is_group(update):
        raise Refusal("group_only")
    assert update.effective_chat is not None
    return update.effective_chat


def args_of(context: Context) -> list[str]:
    return list(context.args or [])


def number_arg(context: Context) -> int | None:
    """A leading run number argument (`/status 2`), if any; an absurd one is refused."""
    args = args_of(context)
    match = _RUN_NUMBER.fullmatch(args[0]) if args else None
    if match is None:
        return None
    if len(match.group(1)) > MAX_RUN_NUMBER_DIGITS:
        raise Refusal("run_number_unknown", number=match.group(1)[:MAX_RUN_NUMBER_DIGITS] + "…")
    return int(match.group(1))


async def reply(
    update: Update,
    text: str,
    markup: InlineKeyboardMarkup | Any = None,
    *,
    quote: bool = False,
) -> Message | None:
    """Answer in the chat of the update, in as many messages as it takes; buttons on the last."""
    message = update.effective_message
    if message is None:
        return None
    chunks = split_html(text)
    sent: Message | None = None
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        sent = await message.get_bot().send_message(
            message.chat_id,
            chunk,
            reply_markup=markup if last else None,
            reply_parameters=ReplyParameters(message.message_id, allow_sending_without_reply=True)
            if quote and index == 0
            else None,
            message_thread_id=message.message_thread_id if message.is_topic_message else None,
        )
    return sent


async def drop_buttons(bot: Bot, chat_id: int, message_id: int) -> None:
    """Remove a message's buttons; an old, deleted or already bare message is fine too."""
    try:
        await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest:
        pass


async def acknowledge(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a press whose change is already committed.

    After a restart Telegram may hand the same press over again; by then its query has
    expired, and failing here would tell the person "nothing changed" when it did.
    """
    try:
        await query.answer(text)
    except BadRequest as exc:
        logger.info("could not answer callback query %s: %s", query.id, exc)


async def edit_pressed(query: CallbackQuery, text: str | None = None, markup: Any = None) -> None:
    """Update the message whose button was pressed, after the change is committed.

    The person may have deleted the message meanwhile, or pressed twice ("not modified");
    either way the change stands and the group hears of it from the outbox.
    """
    try:
        if text is None:
            await query.edit_message_reply_markup(markup)
        else:
            await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        logger.info("could not update the pressed message: %s", exc)

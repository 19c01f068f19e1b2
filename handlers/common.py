"""Small helpers every handler uses: language, replies (split when long), refusals.

A handler that cannot do what was asked raises :class:`Refusal` (or lets an engine error
through); the one error handler in :mod:`handlers.errors` turns either into a polite
answer in the right place (a reply, or a callback-query alert). Handlers therefore read
as the happy path only.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot, Chat, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from handlers.context import Context
from handlers.paging import split_html
from handlers.texts import language


class Refusal(Exception):
    """A request we understood but will not carry out; `key` is a catalog message id."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


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
    """A leading run number argument (`/status 2`), if any."""
    args = args_of(context)
    if args and args[0].lstrip("#").isdigit():
        return int(args[0].lstrip("#"))
    return None


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

"""Privacy mode: tell a group's admins, once, that Pandu cannot read plain messages there.

Bots start in Telegram's privacy mode: in a group they receive commands and replies to
their own messages, not "giliran siapa?" or evidence sent without replying. ``getMe``
says so (``can_read_all_group_messages``). A bot that is an admin of the group reads
everything anyway. Otherwise the first command used in the group gets one extra message
naming the group's admins with the @BotFather steps; the database records it
(:meth:`bot.engine.Engine.claim_privacy_notice`), so it is said once per group, not once
per restart.
"""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.engine.views import UserRef
from handlers.common import is_group, lang_of
from handlers.context import Context
from handlers.engine_calls import do, engine
from handlers.ui.privacy_text import privacy_notice

logger = logging.getLogger(__name__)
ADMIN_STATUSES = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
#: chat_data key: this process already knows the group needs no notice (or got it).
SETTLED = "privacy_settled"


async def notice_once(update: Update, context: Context) -> None:
    """After a group's first command: the privacy-mode steps, if the bot cannot read the group."""
    chat = update.effective_chat
    if chat is None or not is_group(update) or context.chat_data.get(SETTLED):
        return
    admins = await _admins_if_unread(context, chat.id)
    if admins is None or not await do(engine(context).claim_privacy_notice, chat.id):
        return
    people = [UserRef(a.user.id, a.user.first_name) for a in admins if not a.user.is_bot]
    text = privacy_notice(people, context.bot.username, lang_of(context))
    try:
        await context.bot.send_message(chat.id, text)
    except TelegramError:
        await do(engine(context).unclaim_privacy_notice, chat.id)  # said nothing: say it next time
        context.chat_data[SETTLED] = False
        raise


async def _admins_if_unread(context: Context, chat_id: int) -> tuple[ChatMember, ...] | None:
    """The group's admins, if the bot cannot read the group (None: it can, or ask later)."""
    if context.bot.can_read_all_group_messages:
        context.chat_data[SETTLED] = True
        return None
    try:
        admins = await context.bot.get_chat_administrators(chat_id)
    except TelegramError as exc:  # left the group, or Telegram is unwell: try on a later command
        logger.info("privacy check of chat %s postponed: %s", chat_id, exc)
        return None
    context.chat_data[SETTLED] = True
    if any(a.user.id == context.bot.id and a.status in ADMIN_STATUSES for a in admins):
        return None  # an admin bot reads every message
    return tuple(admins)


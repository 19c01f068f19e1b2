"""Commands that need no run: /start, /bantuan, /bahasa, /zona, unknown commands (/sop: :mod:`handlers.catalog`),
and the hook that runs before every update (allowed chats, chat and user records).
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.domain import permissions

from handlers.ui import formatting
from handlers.common import Refusal, args_of, is_group, lang_of, reply, require_group
from handlers.context import Context
from handlers.actor_facts import actor, run_facts
from handlers.engine_calls import do, engine, request_id, wake_sender
from handlers.tasks import send_task_list
from handlers.ui.texts import language, t

#: A chat's language and zone are re-read after this long: another worker (webhook mode
#: with several processes) may have changed them.
CHAT_CACHE_SECONDS = 60.0

logger = logging.getLogger(__name__)


def for_us(update: Update) -> bool:
    """Only people's new messages and button presses, in groups and private chats, are for us.

    Edits (an edited "/selesai" must not confirm twice), channel posts, messages posted on
    behalf of a chat, and anything sent by a bot are ignored before they can write a row.
    """
    if update.message is None and update.callback_query is None:
        return False
    chat, user = update.effective_chat, update.effective_user
    if chat is None or chat.type == "channel" or user is None or user.is_bot:
        return False
    return update.message is None or update.message.sender_chat is None


async def prepare(update: Update, context: Context) -> None:
    """Refuse chats that are not allowed; keep chat, person and language records current."""
    if not for_us(update):
        raise ApplicationHandlerStop
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None
    allowed = context.bot_data.settings.allowed_chat_ids
    if allowed and chat.type != "private" and chat.id not in allowed:
        text, message = t(lang_of(context), "chat_not_allowed"), update.effective_message
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif message is not None and (message.text or "").startswith("/"):  # commands only, not every chat line
            await message.reply_text(text)
        raise ApplicationHandlerStop
    stale = time.monotonic() - context.chat_data.get("seen_at", float("-inf")) > CHAT_CACHE_SECONDS
    if stale or context.chat_data.get("seen") != (chat.type, chat.title):
        view = await do(engine(context).ensure_chat, chat.id, chat.type, chat.title)
        context.chat_data.update(seen=(chat.type, chat.title), lang=view.language, tz=view.timezone,
                                 seen_at=time.monotonic())
    if user is not None and context.user_data.get("seen") != (user.first_name, user.username):
        await do(engine(context).ensure_user, user.id, user.first_name, user.username, user.language_code)
        context.user_data["seen"] = (user.first_name, user.username)


async def start(update: Update, context: Context) -> None:
    """Greet; in private also remember the person may be written to, and show their tasks."""
    user, lang = update.effective_user, lang_of(context)
    if is_group(update) or user is None:
        await reply(update, t(lang, "start_group"))
        return
    before = await do(engine(context).get_user, user.id)
    await do(engine(context).mark_started, user.id, request_id=request_id(update))
    await reply(update, t(lang, "start_private", name=formatting.esc(user.first_name, 64)))
    wake_sender(context)  # tasks that waited for this Start are delivered now
    if before is not None and before.reachable and args_of(context)[:1] == ["tugas"]:
        await send_task_list(update, context, chat_id=None)


async def help_command(update: Update, context: Context) -> None:
    """List the commands, in the chat's language (or the language of the alias used)."""
    words = (update.effective_message.text or "").split() if update.effective_message else []
    command = words[0].lower() if words else ""
    lang = "en" if command.startswith("/help") else "id" if command.startswith("/bantuan") else lang_of(context)
    await reply(update, t(lang, "help"))


async def language_command(update: Update, context: Context) -> None:
    """Switch this chat's language: `/bahasa en`, `/language id`."""
    args, chat, user = args_of(context), update.effective_chat, update.effective_user
    assert chat is not None
    code = args[0].lower() if args else ""
    if code not in ("id", "en"):
        raise Refusal("language_usage")
    by = user.id if user else None
    view = await do(engine(context).set_chat_language, chat.id, code, by, request_id=request_id(update))
    context.chat_data["lang"] = language(view.language)
    await reply(update, t(view.language, "language_set"))


#: The three Indonesian zones by the names offices use (and zone names people may type).
ZONES = {"wib": "Asia/Jakarta", "wita": "Asia/Makassar", "wit": "Asia/Jayapura"}


async def timezone_command(update: Update, context: Context) -> None:
    """/zona WIB|WITA|WIT (/timezone): the zone due times of this group are counted in."""
    chat, user, args, lang = require_group(update), update.effective_user, args_of(context), lang_of(context)
    current = context.chat_data.get("tz") or context.bot_data.settings.default_timezone
    wanted = ZONES.get(args[0].lower()) if args else None
    if wanted is None:
        raise Refusal("zone_usage", zone=_abbreviation(current), name=current)
    assert user is not None
    runs = await do(engine(context).active_runs, chat.id)
    coordinates = any(permissions.is_coordinator(user.id, run_facts(r)) for r in runs)
    permissions.require_group_settings(await actor(context, chat.id, user.id, ask_admin=not coordinates), coordinates)
    view = await do(engine(context).set_chat_timezone, chat.id, wanted, user.id, request_id=request_id(update))
    context.chat_data["tz"] = view.timezone
    await reply(update, t(lang, "zone_set", zone=_abbreviation(view.timezone), name=view.timezone))


def _abbreviation(zone: str) -> str:
    """WIB, WITA or WIT (the zone's own abbreviation today)."""
    return datetime.now(ZoneInfo(zone)).tzname() or zone


async def unknown_command(update: Update, context: Context) -> None:
    """Say so when a command addressed to us is not one we know."""
    message = update.effective_message
    if message is None or not message.text:
        return
    word = message.text.split()[0]
    target = word.partition("@")[2]
    if target and target.lower() != context.bot.username.lower():
        return  # meant for another bot in the group
    await reply(update, t(lang_of(context), "unknown_command", command=formatting.esc(word.partition("@")[0], 40)))

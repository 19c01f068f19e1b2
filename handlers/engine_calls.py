"""How a handler calls the engine: off the event loop, as the person, once per update.

The engine is synchronous (SQLAlchemy); every call goes through :func:`do`, which runs it
in a worker thread so the event loop keeps serving other chats. Each engine command is
one transaction of its own, and its notifications sit in the outbox until the background
sender delivers them; handlers :func:`wake_sender` right after the change, so the next
actor hears at once, and never wait for that sending themselves.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from telegram import Update

from bot.domain.permissions import PressScope
from bot.engine.views import UserRef
from handlers.common import is_group
from handlers.context import Context

P = ParamSpec("P")
T = TypeVar("T")


async def do(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a synchronous engine call off the event loop."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def engine(context: Context) -> Any:
    """The run engine of this bot."""
    return context.bot_data.engine


def me(update: Update) -> UserRef:
    """The person behind the update, as the engine names people."""
    user = update.effective_user
    assert user is not None
    return UserRef(user.id, user.first_name, user.username)


def request_id(update: Update) -> str:
    """Idempotency key: a redelivered update (after a crash) replays instead of acting twice.

    Built from what Telegram keeps unique (callback query ids; a message's chat and id),
    not from update ids, which restart at random after a quiet week.
    """
    if update.callback_query is not None:
        return f"cq:{update.callback_query.id}"
    message = update.effective_message
    if message is not None:
        return f"msg:{message.chat_id}:{message.message_id}"
    return f"up:{update.update_id}"


def press_scope(update: Update) -> PressScope:
    """Where a button was pressed (or a prompt answered): the press checks its task is in scope."""
    chat = update.effective_chat
    assert chat is not None
    return PressScope(chat_id=chat.id, in_group=is_group(update))


def wake_sender(context: Context) -> None:
    """Tell the outbox sender the last change put something in the outbox (returns at once)."""
    context.bot_data.notifier.wake()

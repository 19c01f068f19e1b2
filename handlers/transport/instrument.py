"""Where the bot's own work is measured: each update it handles, each Bot API request.

Kept apart from :mod:`bot.ops.metrics` (which imports no Telegram) so the deadline
scheduler can count nags without pulling PTB in.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.ops.metrics import FAILED, PRESS_SECONDS, RATE_LIMITED, SENT, UPDATE_ERRORS, UPDATES

UPDATE_KINDS = ("message", "edited_message", "callback_query", "channel_post", "my_chat_member", "chat_member",
                "inline_query", "poll", "poll_answer")


def update_kind(update: object) -> str:
    if not isinstance(update, Update):
        return type(update).__name__
    for kind in UPDATE_KINDS:
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


class MeasuredApplication(Application):  # type: ignore[type-arg]
    """PTB's Application, counting each update by kind and timing button presses.

    ``ApplicationBuilder().application_class(...)`` is PTB's documented way to extend it;
    both long polling and the webhook server end up in ``process_update``.
    """

    async def process_update(self, update: object) -> None:
        kind = update_kind(update)
        started = time.perf_counter()
        try:
            await super().process_update(update)
        except BaseException:
            UPDATE_ERRORS.labels(kind).inc()
            raise
        finally:
            UPDATES.labels(kind).inc()
            if kind == "callback_query":
                PRESS_SECONDS.observe(time.perf_counter() - started)


def counted(callback: Callable[..., Coroutine[Any, Any, Any]], endpoint: str) -> Callable[..., Coroutine[Any, Any, Any]]:
    """Wrap one Bot API request so its outcome is counted (every retry counts on its own)."""
    from handlers.outbox.delivery import classify

    async def request(*args: Any, **kwargs: Any) -> Any:
        try:
            result = await callback(*args, **kwargs)
        except TelegramError as exc:
            reason = classify(exc)
            FAILED.labels(reason, endpoint).inc()
            if reason == "wait":
                RATE_LIMITED.inc()
            raise
        if endpoint.startswith(("send", "edit", "copy", "forward")):
            SENT.labels(endpoint).inc()
        return result

    return request

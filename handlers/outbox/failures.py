"""What a failed send means for its outbox row, by what Telegram answered.

:func:`handlers.outbox.delivery.classify` names the failure: a timeout or 5xx is retried later with
exponential backoff and jitter (stored in the row), a 429 pauses the row's chat for
``retry_after``, a 400 (or a rendering bug) is given up, and a private message refused
with 403 marks the person unreachable and becomes a mention in the run's group.
:class:`handlers.outbox.sender.Notifier` sends; this mixin decides.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import datetime, timedelta

from telegram.error import RetryAfter, TelegramError

from handlers.outbox.delivery import backoff, classify, retry_after_seconds
from bot.engine.views import NotificationView
from handlers.outbox.notices import NoticeSender, Skip

logger = logging.getLogger("handlers.outbox.sender")


class FailurePolicy(NoticeSender):
    """Records failures; needs ``retry_delay``, ``max_retry_delay``, ``rng`` and ``_paused``."""

    retry_delay: timedelta
    max_retry_delay: timedelta
    rng: random.Random
    _paused: dict[int, float]

    async def failed(self, row: NotificationView, exc: Exception) -> str:
        """Decide what a failure means for the row, by what Telegram said."""
        kind = classify(exc)
        if kind == "forbidden" and row.user_id is not None:
            return await self.unreachable(row)
        if kind == "wait":
            assert isinstance(exc, RetryAfter)
            seconds = retry_after_seconds(exc)
            target = row.user_id if row.user_id is not None else row.chat_id
            if target is not None:  # only this chat waits; the others go on
                self._paused[target] = asyncio.get_running_loop().time() + seconds
            await self._fail(row, exc, self.engine.now() + timedelta(seconds=seconds))
            return "paused"
        if kind == "retry":
            return await self._fail(row, exc, self.retry_at(row.attempts))
        if not isinstance(exc, TelegramError):  # a rendering bug must not block the queue behind it
            logger.error("notification %s (%s) could not be rendered", row.id, row.kind, exc_info=exc)
        return await self._fail(row, exc, None)  # a 400, a 403 from a group, a rendering bug: give up

    async def unreachable(self, row: NotificationView) -> str:
        """A private message refused (blocked, never started): remember it, tell the group instead."""
        assert row.user_id is not None
        try:
            await asyncio.to_thread(self.engine.mark_unreachable, row.user_id)
            await self.fallback_to_group(row)
        except Skip:
            pass
        except Exception as exc:  # the fallback failed too: try the whole row again later
            if classify(exc) in ("retry", "wait"):
                return await self._fail(row, exc, self.retry_at(row.attempts))
            return await self._fail(row, exc, None)
        return "sent"

    def retry_at(self, attempts: int) -> datetime:
        """Exponential backoff with jitter, from the attempts the row has already had."""
        seconds = backoff(attempts, self.retry_delay.total_seconds(), self.max_retry_delay.total_seconds(), self.rng.random)
        return self.engine.now() + timedelta(seconds=seconds)  # the engine's clock decides what is due

    async def _fail(self, row: NotificationView, exc: Exception, retry_at: datetime | None) -> str:
        """Record the failure: retried at `retry_at`, or abandoned when it is None."""
        logger.warning("notification %s (%s) not sent: %s", row.id, row.kind, exc)
        await asyncio.to_thread(self.engine.mark_failed, row.id, f"{type(exc).__name__}: {exc}", retry_at)
        return "failed"

"""The outbox sender: delivers each notification the engine decided on, at least once.

The engine writes a notification in the same transaction as the change that caused it
(payload = ids only), so a crash between the commit and the send loses nothing: the row
waits in the database. Handlers call :meth:`Notifier.flush` right after their change, so
the next actor hears at once; a JobQueue job drains whatever is left (a failed send, a
restart), starting right after the bot comes up.

Rows are *claimed* before they are sent (:meth:`bot.engine.Engine.claim_notifications`),
so two sender processes never send the same row; in one process a lock keeps the
handlers' flushes and the drain job apart. A claimed batch is rendered from one read of
everything it names (:meth:`bot.engine.Engine.notice_snapshot`) and marked delivered in
one commit. What Telegram answers decides what happens next
(:func:`bot.delivery.classify`): a transient failure (timeout, 5xx) is retried later
with exponential backoff and jitter, a 429 waits exactly ``retry_after`` and pauses this
flush, a permanent refusal (400) is given up, and a private message refused with 403
becomes a mention in the run's group. Rendering lives in :mod:`bot.notices`.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import datetime, timedelta

from telegram.error import RetryAfter, TelegramError
from telegram.ext import Application

from bot.delivery import backoff, classify, is_dead, retry_after_seconds, sender_id
from bot.engine.views import NotificationView
from bot.notices import ROLE_NOTICES, NoticeSender, Rendered, Skip

__all__ = ["ROLE_NOTICES", "Notifier", "Rendered", "Skip"]

logger = logging.getLogger(__name__)

BATCH = 20
#: First pause before a failed row is tried again; doubles per attempt, up to MAX_RETRY_DELAY.
RETRY_DELAY = timedelta(seconds=2)
MAX_RETRY_DELAY = timedelta(minutes=10)
#: How long a claim holds if this process dies while sending.
LEASE = timedelta(seconds=60)
#: A batch slowed down by rate limits records what it delivered at least this often
#: (seconds), so no delivered row outlives its claim unmarked.
MARK_EVERY = 5.0


class Notifier(NoticeSender):
    """Sends pending outbox rows for one Application."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        retry_delay: timedelta = RETRY_DELAY,
        max_retry_delay: timedelta = MAX_RETRY_DELAY,
        lease: timedelta = LEASE,
        sender: str | None = None,
    ) -> None:
        self.application = application
        self.retry_delay, self.max_retry_delay, self.lease = retry_delay, max_retry_delay, lease
        self.sender = sender or sender_id()
        self.mark_every = min(MARK_EVERY, lease.total_seconds() / 4)
        self.rng = random.Random()
        self._lock = asyncio.Lock()
        self._checked_senders = False

    async def flush(self) -> int:
        """Send everything due now; returns how many rows were delivered."""
        sent = 0
        async with self._lock:
            if not self._checked_senders:
                await self.release_dead_senders()
            for _ in range(100):  # failed rows wait for their retry time, so this ends
                rows = await self.call("claim_notifications", self.sender, limit=BATCH, lease=self.lease)
                if not rows:
                    break
                delivered, paused = await self.deliver_batch(rows)
                sent += delivered
                if paused or len(rows) < BATCH:
                    break
        return sent

    async def deliver_batch(self, rows: list[NotificationView]) -> tuple[int, bool]:
        """Send claimed rows in order, from one read of what they name; mark them in one commit.

        Returns (delivered, paused). A crash before the marks are written re-sends this
        batch once the lease ends (at least once, as always); a 429 marks what went out
        and hands the rest back.
        """
        loop = asyncio.get_running_loop()
        delivered = 0
        unmarked: list[int] = []
        paused = False
        marked_at = loop.time()
        async with self.snapshot_of(rows):
            for index, row in enumerate(rows):
                outcome = await self.deliver(row)
                if outcome == "sent":
                    delivered += 1
                    unmarked.append(row.id)
                elif outcome == "paused":  # Telegram asked us to slow down: hand back the rest
                    await self.call("release_claims", self.sender, [r.id for r in rows[index + 1 :]])
                    paused = True
                    break
                if unmarked and loop.time() - marked_at > self.mark_every:  # a slow batch: well inside the lease
                    await self.call("mark_sent_many", unmarked)
                    unmarked, marked_at = [], loop.time()
        await self.call("mark_sent_many", unmarked)
        return delivered, paused

    async def release_dead_senders(self) -> None:
        """Claims of a sender that died on this host (a crash, SIGKILL) need not wait for their lease."""
        self._checked_senders = True
        for other in await self.call("claiming_senders"):
            if other != self.sender and is_dead(other):
                released = await self.call("release_claims", other)
                logger.info("released %d outbox rows claimed by %s, which is gone", released, other)

    async def deliver(self, row: NotificationView) -> str:
        """One row: render and send it: "sent" (for the caller to mark), "failed" (recorded) or "paused"."""
        try:
            await self.send(row)
        except Skip:
            pass
        except Exception as exc:
            return await self.failed(row, exc)
        return "sent"

    async def failed(self, row: NotificationView, exc: Exception) -> str:
        """Decide what a failure means for the row, by what Telegram said."""
        kind = classify(exc)
        if kind == "forbidden" and row.user_id is not None:
            return await self.unreachable(row)
        if kind == "wait":
            assert isinstance(exc, RetryAfter)
            await self._fail(row, exc, self.engine.now() + timedelta(seconds=retry_after_seconds(exc)))
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
            await self.call("mark_unreachable", row.user_id)
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
        await self.call("mark_failed", row.id, f"{type(exc).__name__}: {exc}", retry_at)
        return "failed"


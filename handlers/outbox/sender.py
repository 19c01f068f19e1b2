"""The outbox sender: one background task that delivers each notification at least once,
with a queue per chat so a throttled group never delays anyone else.

The engine writes a notification in the same transaction as the change that caused it
(payload = ids only), so a crash between the commit and the send loses nothing: the row
waits in the database. Handlers never send it themselves: they :meth:`Notifier.wake` the
sender, which is started in ``post_init`` and stopped in ``post_stop``, and which also
looks for due rows every few seconds (failed sends, rows a crashed process left).

One worker per chat with due rows (at most ``max_workers``, private chats first): it
waits until its chat may receive a message (:meth:`handlers.transport.pacing.TelegramPacer.ready`),
then *claims* that chat's due rows (:meth:`bot.engine.Engine.claim_notifications`, so two
sender processes never send the same row), renders them from one read
(:meth:`bot.engine.Engine.notice_snapshot`), sends them in order and marks them
delivered. A group's rows that waited together are merged into as few messages as fit
(:mod:`handlers.outbox.merging`). What Telegram answers decides what happens next
(:func:`handlers.outbox.delivery.classify`): a timeout or 5xx is retried later with exponential
backoff and jitter, a 429 pauses that chat for ``retry_after``, a 400 is given up, and a
private message refused with 403 becomes a mention in the run's group. Rendering lives
in :mod:`handlers.outbox.notices`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from datetime import timedelta

from telegram.ext import Application

from handlers.outbox.card_sweep import close_stale_cards
from handlers.outbox.delivery import is_dead, sender_id
from bot.engine.views import NotificationView
from handlers.outbox.merging import merge_parts
from handlers.outbox.failures import FailurePolicy
from handlers.outbox.notices import ROLE_NOTICES, Rendered, Skip, collecting
from bot.ops.metrics import sender_alive

__all__ = ["ROLE_NOTICES", "Notifier", "Rendered", "Skip"]

logger = logging.getLogger(__name__)

#: Rows one worker claims at a time (a private chat), and a group's rows merged at most.
BATCH = 20
GROUP_BATCH = 30
#: Chats served at once.
MAX_WORKERS = 32
#: Seconds between looks at the outbox when nobody wakes the sender.
POLL = 5.0
#: Seconds a stopping sender lets its workers finish what they are sending.
STOP_GRACE = 5.0
#: First pause before a failed row is tried again; doubles per attempt, up to MAX_RETRY_DELAY.
RETRY_DELAY = timedelta(seconds=2)
MAX_RETRY_DELAY = timedelta(minutes=10)
#: How long a claim holds if this process dies while sending.
LEASE = timedelta(seconds=60)
#: A batch slowed down by rate limits records what it delivered at least this often
#: (seconds), so no delivered row outlives its claim unmarked.
MARK_EVERY = 5.0


class Notifier(FailurePolicy):
    """Sends pending outbox rows for one Application, one queue per chat."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        retry_delay: timedelta = RETRY_DELAY,
        max_retry_delay: timedelta = MAX_RETRY_DELAY,
        lease: timedelta = LEASE,
        sender: str | None = None,
        poll: float = POLL,
        max_workers: int = MAX_WORKERS,
    ) -> None:
        self.application = application
        self.retry_delay, self.max_retry_delay, self.lease = retry_delay, max_retry_delay, lease
        self.sender = sender or sender_id()
        self.poll, self.max_workers = poll, max_workers
        self.mark_every = min(MARK_EVERY, lease.total_seconds() / 4)
        self.rng = random.Random()
        self._checked_senders = False
        self._workers: dict[int, asyncio.Task[int]] = {}
        self._paused: dict[int, float] = {}  # chat -> loop time its 429 pause ends
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.Task[None] | None = None

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        """Run the sender in the background (post_init); it delivers what a crash left at once."""
        if self._loop is None:
            self._wake = asyncio.Event()
            self._loop = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Stop looking; let workers finish their sends for `grace` seconds; hand back our claims."""
        loop, self._loop = self._loop, None
        if loop is not None:
            loop.cancel()
            await asyncio.wait([loop], timeout=grace)
        workers = list(self._workers.values())
        if workers:
            _, late = await asyncio.wait(workers, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        with contextlib.suppress(Exception):
            await asyncio.to_thread(self.engine.release_claims, self.sender)

    def wake(self) -> None:
        """Something new is in the outbox: look now (never waits for the sending)."""
        if self._wake is not None:
            self._wake.set()

    async def nudge(self) -> None:
        """:meth:`wake` for callers that await a hook (the deadline scheduler)."""
        self.wake()

    async def _run(self) -> None:
        assert self._wake is not None
        while self._loop is not None:  # stop() clears it, besides cancelling
            self._wake.clear()
            sender_alive()  # /healthz: the sender's loop turns (at least every `poll` seconds)
            try:
                await self.dispatch()
            except Exception:
                logger.warning("outbox sender could not look for due rows", exc_info=True)
            # asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow a cancellation
            # that arrives as the event is set (a wake during stop), and the loop ran on.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll):
                    await self._wake.wait()

    # -- dispatching -----------------------------------------------------------------------
    async def dispatch(self) -> None:
        """Start a worker for each chat with due rows that has none (private chats first)."""
        if not self._checked_senders:
            await self.release_dead_senders()
        now = asyncio.get_running_loop().time()
        self._paused = {chat: until for chat, until in self._paused.items() if until > now}
        free = self.max_workers - len(self._workers)
        if free <= 0:
            return
        busy = [*self._workers, *self._paused]
        for target in await asyncio.to_thread(self.engine.due_targets, busy, limit=free):
            if target not in self._workers:
                self._workers[target] = asyncio.create_task(self._serve(target), name=f"outbox-{target}")

    async def flush(self) -> int:
        """Send everything due now, in every chat, and wait until it is out; rows delivered."""
        sent = 0
        for _ in range(100):  # failed rows wait for their retry time, so this ends
            await self.dispatch()
            running = list(self._workers.values())
            if not running:
                break
            sent += sum(r for r in await asyncio.gather(*running, return_exceptions=True) if isinstance(r, int))
        return sent

    async def _serve(self, target: int) -> int:
        """One chat's queue: wait for its slot, claim its due rows, send them; until none are left."""
        delivered = 0
        try:
            for _ in range(1000):
                await self.wait_turn(target)
                limit = GROUP_BATCH if target < 0 else BATCH
                rows = await asyncio.to_thread(
                    self.engine.claim_notifications, self.sender, limit=limit, lease=self.lease, target=target
                )
                if not rows:
                    break
                sent, paused = await self.deliver_batch(rows, merge=target < 0)
                delivered += sent
                if target < 0:  # the group heard that tasks moved on: their private cards follow
                    await self.sweep_cards({r.run_id for r in rows if r.run_id is not None})
                if paused:
                    break
        except Exception:
            logger.warning("outbox worker for chat %s failed; the rows come back with their lease", target, exc_info=True)
        finally:
            self._workers.pop(target, None)
            self.wake()  # rows that arrived while we finished
        return delivered

    async def sweep_cards(self, run_ids: set[int]) -> None:
        """No card keeps the buttons of a task that ended (:mod:`handlers.outbox.card_sweep`)."""
        for run_id in sorted(run_ids):
            try:
                await close_stale_cards(self, run_id)
            except Exception:  # tried again after the run's next notice
                logger.warning("could not close the stale cards of run %s", run_id, exc_info=True)

    async def wait_turn(self, target: int) -> None:
        """Until `target` may receive a message: its 429 pause, and the pacer's view of its limit."""
        until = self._paused.get(target, 0.0) - asyncio.get_running_loop().time()
        if until > 0:
            await asyncio.sleep(until)
        pacer = getattr(getattr(self.application, "bot", None), "rate_limiter", None)
        ready = getattr(pacer, "ready", None)
        if ready is not None:
            await ready(target)

    # -- one batch -------------------------------------------------------------------------
    async def deliver_batch(self, rows: list[NotificationView], merge: bool = False) -> tuple[int, bool]:
        """Send claimed rows in order, from one read of what they name; mark them as they go.

        Returns (delivered, paused). A crash before the marks are written re-sends this
        batch once the lease ends (at least once, as always); a 429 marks what went out
        and hands the rest back.
        """
        async with self.snapshot_of(rows):
            if merge:
                return await self._deliver_merged(rows)
            loop = asyncio.get_running_loop()
            delivered, unmarked, marked_at = 0, list[int](), loop.time()
            try:
                for index, row in enumerate(rows):
                    outcome = await self.deliver(row)
                    if outcome == "sent":
                        delivered += 1
                        unmarked.append(row.id)
                    elif outcome == "paused":  # Telegram asked us to slow down: hand back the rest
                        await asyncio.to_thread(self.engine.release_claims, self.sender, [r.id for r in rows[index + 1 :]])
                        return delivered, True
                    if unmarked and loop.time() - marked_at > self.mark_every:  # well inside the lease
                        await asyncio.to_thread(self.engine.mark_sent_many, unmarked)
                        unmarked, marked_at = [], loop.time()
            finally:
                await asyncio.to_thread(self.engine.mark_sent_many, unmarked)
        return delivered, False

    async def _deliver_merged(self, rows: list[NotificationView]) -> tuple[int, bool]:
        """A group's rows: render all, send the parts merged into as few messages as fit."""
        parts: list[tuple[int, int, str, object]] = []
        done: list[int] = []  # rendered to nothing (Skip): delivered as they are
        paused = False
        token = collecting.set([])
        try:
            for index, row in enumerate(rows):
                before = len(collecting.get() or [])
                outcome = await self.deliver(row)
                found = (collecting.get() or [])[before:]
                if outcome == "paused":
                    await asyncio.to_thread(self.engine.release_claims, self.sender, [r.id for r in rows[index + 1 :]])
                    rows, paused = rows[:index], True
                    break
                if outcome == "sent" and not found:
                    done.append(row.id)
                parts += [(index, chat, text, markup) for chat, text, markup in found] if outcome == "sent" else []
        finally:
            collecting.reset(token)
        await asyncio.to_thread(self.engine.mark_sent_many, done)
        failed: set[int] = set()
        halted = False  # a 429 while sending: what is left waits for the chat's pause
        for message in merge_parts(parts):  # type: ignore[arg-type]
            if halted or failed & set(message.owners):
                failed.update(message.owners)
                continue
            try:
                await self.post(message.chat_id, (message.text, message.markup))
            except Exception as exc:
                failed.update(message.owners)
                for owner in message.owners:
                    halted = await self.failed(rows[owner], exc) == "paused" or halted
        owners = sorted({owner for owner, *_ in parts})
        sent = [rows[i].id for i in owners if i not in failed]
        await asyncio.to_thread(self.engine.mark_sent_many, sent)
        await asyncio.to_thread(self.engine.release_claims, self.sender, [rows[i].id for i in owners if i in failed])
        return len(done) + len(sent), paused or halted

    async def release_dead_senders(self) -> None:
        """Claims of a sender that died on this host (a crash, SIGKILL) need not wait for their lease."""
        self._checked_senders = True
        for other in await asyncio.to_thread(self.engine.claiming_senders):
            if other != self.sender and is_dead(other):
                released = await asyncio.to_thread(self.engine.release_claims, other)
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

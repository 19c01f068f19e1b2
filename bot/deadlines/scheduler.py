"""The deadline scheduler: one APScheduler job, armed at the earliest pending nag.

APScheduler does the timing; the database is the truth. There is never more than one job,
whatever the number of open tasks: on start (and after every tick, and whenever the engine
arms or disarms a task) the scheduler asks the database for ``MIN(next_nag_at)`` — one
indexed query, so rebuilding the schedule for 100,000 open runs loads nothing into memory —
and moves the job there. When it fires, :class:`~bot.deadlines.service.NagService` claims
what is due and the outbox sender delivers it.

The logic runs on the engine's clock, which tests replace; the job runs on real time. The
distance between the engine's "now" and the nag is what is kept, so a job armed under a
test clock fires as far ahead as the nag is. The sleep is capped (``max_sleep``) so that a
second bot process on the same database, which cannot wake this one, is noticed anyway.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.deadlines.service import NagService, TickResult
from bot.ops.metrics import nags_sent

logger = logging.getLogger(__name__)

JOB_ID = "pandu-deadline-nags"
MAX_SLEEP = timedelta(minutes=15)
RETRY_AFTER_ERROR = timedelta(seconds=30)
#: After a tick that found its due rows locked by another process (PostgreSQL's SKIP
#: LOCKED), wait this long rather than spin until that process commits.
IDLE_BACKOFF = timedelta(seconds=1)


class NagScheduler:
    """Keeps the single deadline job armed; ``fire`` is what it runs."""

    def __init__(
        self,
        service: NagService,
        after_tick: Callable[[], Awaitable[Any]] | None = None,
        *,
        scheduler: AsyncIOScheduler | None = None,
        max_sleep: timedelta | None = MAX_SLEEP,
        retry_after: timedelta = RETRY_AFTER_ERROR,
    ) -> None:
        self.service = service
        self.after_tick = after_tick
        self.scheduler = scheduler or AsyncIOScheduler(timezone=UTC)
        self.max_sleep = max_sleep
        self.retry_after = retry_after
        #: The nag (engine time) the job is armed for; None when nothing is pending.
        self.armed_for: datetime | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped = True
        self._firing = False
        self._rearming = False
        self._dirty = False
        self._listening = False
        self._tick_task: asyncio.Task[TickResult] | None = None

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        """Start APScheduler, listen to the engine's changes, arm at the earliest nag."""
        self._loop = asyncio.get_running_loop()
        self._stopped = False
        if not self._listening:
            self.service.engine.on_schedule_change(self.poke)
            self._listening = True
        if not self.scheduler.running:
            self.scheduler.start()
        await self.rearm()

    async def stop(self) -> None:
        """Stop firing; nothing is lost, the next start re-reads the database."""
        self._stopped = True
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._tick_task is not None and not self._tick_task.done():
            await asyncio.wait([self._tick_task], timeout=10)

    @property
    def job(self) -> Job | None:
        """The APScheduler job (its ``next_run_time`` is when it fires, in real time)."""
        return self.scheduler.get_job(JOB_ID) if self.scheduler.running else None

    # -- arming --------------------------------------------------------------------------
    def poke(self) -> None:
        """From any thread: a task was armed or disarmed, re-read the earliest nag soon."""
        loop = self._loop
        if loop is None or self._stopped or loop.is_closed():
            return
        loop.call_soon_threadsafe(self._request_rearm)

    def _request_rearm(self) -> None:
        """Coalesce pokes: one MIN query in flight at a time, and one more if poked meanwhile.

        During a tick nothing is queried: the tick re-arms when it ends.
        """
        if self._firing or self._rearming:
            self._dirty = True
            return
        self._rearming = True
        asyncio.ensure_future(self._rearm_until_clean())

    async def _rearm_until_clean(self) -> None:
        try:
            while True:
                self._dirty = False
                await self.rearm()
                if not self._dirty or self._firing:
                    return
        finally:
            self._rearming = False

    async def rearm(self, at_least: timedelta = timedelta(0)) -> datetime | None:
        """Arm the job at the earliest pending nag (or the capped sleep when there is none)."""
        try:
            earliest = await asyncio.to_thread(self.service.next_due)
        except Exception:
            logger.exception("could not read the earliest nag; retrying")
            self._arm_in(self.retry_after)
            return self.armed_for
        self.armed_for = earliest
        delay = earliest - self.service.engine.now() if earliest is not None else None
        if delay is None or (self.max_sleep is not None and delay > self.max_sleep):
            delay = self.max_sleep
        if delay is None:
            self._remove_job()
        else:
            self._arm_in(max(delay, at_least))
        return earliest

    def _arm_in(self, delay: timedelta) -> None:
        if self._stopped or not self.scheduler.running:
            return
        self.scheduler.add_job(
            self._on_job,
            DateTrigger(run_date=datetime.now(UTC) + delay, timezone=UTC),
            id=JOB_ID,
            replace_existing=True,
            misfire_grace_time=None,  # late is better than never: run whenever the loop can
            coalesce=True,
            max_instances=1,
        )

    def _remove_job(self) -> None:
        if self.job is not None:
            self.scheduler.remove_job(JOB_ID)

    # -- firing --------------------------------------------------------------------------
    async def _on_job(self) -> None:
        """APScheduler's job: hand the tick to a task of its own and return at once.

        ``fire`` re-arms this one-shot job when it ends. Were ``fire`` the job itself, a
        nag already due by then would find the job still "running": APScheduler skips it
        (max_instances) and drops the one-shot job, and no nag would come until something
        poked the scheduler. A tick still running answers a new firing by re-arming when it
        ends, so nothing is missed.
        """
        if self._tick_task is not None and not self._tick_task.done():
            self._dirty = True
            return
        self._tick_task = asyncio.ensure_future(self.fire())

    async def fire(self) -> TickResult:
        """Claim everything due now, batch by batch, deliver it, and re-arm."""
        total = TickResult()
        self._firing = True
        try:
            while not self._stopped:
                result = await asyncio.to_thread(self.service.tick)
                nags_sent(result.claimed, result.messages)  # /metrics
                total = TickResult(
                    total.claimed + result.claimed, total.messages + result.messages, total.moved + result.moved
                )
                if result.messages and self.after_tick is not None:
                    await self.after_tick()
                if not result.more:
                    break
        except Exception:
            logger.exception("deadline tick failed; retrying in %s", self.retry_after)
            self._arm_in(self.retry_after)
            return total
        finally:
            self._firing = False
        self._dirty = False
        idle = total.claimed == 0 and total.moved == 0
        await self.rearm(IDLE_BACKOFF if idle else timedelta(0))
        return total

"""The APScheduler side: one job, armed at the earliest next_nag_at in the database on
start, re-armed when a confirmation changes the earliest one, and firing for real."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from deadline_fixtures import NagOrg, nag_engine, nag_org, sop_with, wib  # noqa: F401
from sqlalchemy import text

from bot.deadlines.scheduler import NagScheduler
from bot.deadlines.service import NagService
from bot.engine import SopEngine, continuous_calendar
from db_fixtures import FakeClock
from storage.types import utcnow


def fires_in(scheduler: NagScheduler) -> timedelta:
    """How far ahead of real now the job will fire."""
    assert scheduler.job is not None and scheduler.job.next_run_time is not None
    return scheduler.job.next_run_time - datetime.now(UTC)


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for something the event loop does in the background (a poke's re-arm)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_start_arms_the_job_at_the_earliest_nag_and_a_confirm_rearms_it(
    nag_org: Callable[..., NagOrg], clock: FakeClock
) -> None:
    org = nag_org()
    first = org.active(org.start_run("Pertama").id)  # due 09:00
    clock.now = wib(2026, 3, 2, 8, 30)
    second = org.active(org.start_run("Kedua").id)  # due 09:30
    scheduler = NagScheduler(NagService(org.engine), max_sleep=None)
    await scheduler.start()
    try:
        assert scheduler.armed_for == first.due_at == wib(2026, 3, 2, 9)
        assert abs(fires_in(scheduler) - timedelta(minutes=30)) < timedelta(seconds=5)
        await asyncio.to_thread(org.engine.confirm, first.id, org.holder(first))
        # The confirm armed step 2 of the first run at 09:30 too; the earliest is now 09:30.
        await until(lambda: scheduler.armed_for == second.due_at)
        assert abs(fires_in(scheduler) - timedelta(minutes=60)) < timedelta(seconds=5)
        await asyncio.to_thread(org.engine.cancel_run, second.run_id, org.coordinator)
        await asyncio.to_thread(org.engine.cancel_run, first.run_id, org.coordinator)
        await until(lambda: scheduler.armed_for is None)
        assert scheduler.job is None
    finally:
        await scheduler.stop()


async def test_the_sleep_is_capped_so_other_processes_are_noticed(
    nag_org: Callable[..., NagOrg], clock: FakeClock
) -> None:
    org = nag_org(sop=sop_with("2 hari"))
    org.start_run()
    scheduler = NagScheduler(NagService(org.engine), max_sleep=timedelta(minutes=15))
    await scheduler.start()
    try:
        assert scheduler.armed_for == wib(2026, 3, 4, 8)
        assert abs(fires_in(scheduler) - timedelta(minutes=15)) < timedelta(seconds=5)
    finally:
        await scheduler.stop()


async def test_the_job_fires_for_real_and_the_nag_goes_to_the_outbox(nag_engine: Callable[..., SopEngine]) -> None:
    engine = nag_engine(clock=utcnow, calendar_for=continuous_calendar)
    org = NagOrg(engine, FakeClock())
    task = org.active(org.start_run().id)
    fired = asyncio.Event()

    async def after_tick() -> None:
        fired.set()

    scheduler = NagScheduler(NagService(engine), after_tick=after_tick, max_sleep=None)
    await scheduler.start()
    try:
        soon = utcnow() + timedelta(seconds=1)  # far enough ahead that a slow commit cannot pass it
        with engine.db.transaction() as s:
            s.execute(text("UPDATE tasks SET due_at = :t, next_nag_at = :t WHERE id = :id"),
                      {"t": soon.replace(tzinfo=None) if engine.db.dialect == "sqlite" else soon, "id": task.id})
        await scheduler.rearm()
        assert scheduler.job is not None and scheduler.job.next_run_time is not None
        assert abs(scheduler.job.next_run_time - soon) < timedelta(seconds=0.2)  # armed for the nag itself
        await asyncio.wait_for(fired.wait(), timeout=5)
        with engine.db.transaction(readonly=True) as s:
            assert s.execute(text("SELECT task_id, round FROM nag_log")).all() == [(task.id, 1)]
        await until(lambda: scheduler.armed_for is not None and scheduler.armed_for > soon)
    finally:
        await scheduler.stop()


async def test_a_nag_falling_due_while_the_last_tick_is_delivered_still_fires(
    nag_engine: Callable[..., SopEngine],
) -> None:
    """Regression: re-arming from inside the running job let APScheduler skip and drop it.

    The second nag is made due *during* the first delivery, by a plain UPDATE that pokes
    nobody, so only the tick's own re-arm can find it: nothing here depends on how fast
    the machine is.
    """
    engine = nag_engine(clock=utcnow, calendar_for=continuous_calendar)
    org = NagOrg(engine, FakeClock())
    first, second = (org.active(org.start_run().id) for _ in range(2))
    delivered: list[int] = []

    def make_due(task_id: int, at: datetime) -> None:
        value = at.replace(tzinfo=None) if engine.db.dialect == "sqlite" else at
        with engine.db.transaction() as s:
            s.execute(text("UPDATE tasks SET due_at = :t, next_nag_at = :t WHERE id = :id"),
                      {"t": value, "id": task_id})

    async def slow_delivery() -> None:
        delivered.append(len(delivered) + 1)
        if len(delivered) == 1:
            await asyncio.to_thread(make_due, second.id, utcnow())
        await asyncio.sleep(0.2)  # the second nag is due while this one is still going out

    def claimed() -> set[int]:
        with engine.db.transaction(readonly=True) as s:
            return {row[0] for row in s.execute(text("SELECT task_id FROM nag_log WHERE round = 1"))}

    scheduler = NagScheduler(NagService(engine), after_tick=slow_delivery, max_sleep=None)
    await scheduler.start()
    try:
        await asyncio.to_thread(make_due, first.id, utcnow() + timedelta(seconds=0.2))
        await scheduler.rearm()
        await until(lambda: len(delivered) == 2, timeout=5)
        assert claimed() == {first.id, second.id}
    finally:
        await scheduler.stop()


async def test_a_failing_tick_is_retried_not_lost(nag_org: Callable[..., NagOrg], clock: FakeClock) -> None:
    org = nag_org()
    org.start_run()
    service = NagService(org.engine)
    scheduler = NagScheduler(service, max_sleep=None, retry_after=timedelta(seconds=42))
    await scheduler.start()
    try:
        def broken() -> Any:
            raise RuntimeError("database went away")

        service.tick = broken  # type: ignore[method-assign]
        result = await scheduler.fire()
        assert result.claimed == 0
        assert abs(fires_in(scheduler) - timedelta(seconds=42)) < timedelta(seconds=5)
    finally:
        await scheduler.stop()

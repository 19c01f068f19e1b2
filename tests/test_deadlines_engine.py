"""Due times and nag arming on real tasks through the engine: the chat's zone, office hours
and holidays decide when a step is due, and every task that becomes active is armed for
its first nag (and disarmed when it stops being active)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

from deadline_fixtures import SOP_ID, nag_engine, nag_org, sop_with, wib  # noqa: F401
from bot.config import Settings
from bot.engine import SopEngine
from db_fixtures import GROUP, FakeClock
from storage.db import Database
from storage.models import Task


def _next(engine: SopEngine, task_id: int) -> Any:
    """The task's next_nag_at as stored."""
    with engine.db.transaction(readonly=True) as s:
        task = s.get(Task, task_id)
        assert task is not None
        return task.next_nag_at


def test_thirty_minute_step_started_friday_1550_is_due_monday_0820(nag_org: Callable[..., Any], clock: FakeClock) -> None:
    clock.now = wib(2026, 3, 6, 15, 50)
    org = nag_org(sop=sop_with("30 menit"))
    task = org.active(org.start_run().id)
    assert task.due_at == wib(2026, 3, 9, 8, 20)
    assert _next(org.engine, task.id) == wib(2026, 3, 9, 8, 20)


def test_two_hari_step_started_tuesday_1000_is_due_thursday_1000(nag_org: Callable[..., Any], clock: FakeClock) -> None:
    clock.now = wib(2026, 3, 3, 10)
    org = nag_org(sop=sop_with("2 hari"))
    assert org.active(org.start_run().id).due_at == wib(2026, 3, 5, 10)


def test_a_holiday_in_between_pushes_the_due_time_a_day(
    db: Database, clock: FakeClock
) -> None:
    """EXTRA_HOLIDAYS and OFFICE_HOURS come from the settings the bot is built from."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, extra_holidays=[date(2026, 3, 4)], office_hours_start=time(8), office_hours_end=time(16),
        ramadan_hours="off",  # March 2026 is Ramadan 1447; its hours are tested in test_office_hours.py
    )
    engine = SopEngine.from_settings(settings, db=db, sops={SOP_ID: sop_with("2 hari")}, clock=clock)
    clock.now = wib(2026, 3, 3, 10)
    engine.ensure_chat(GROUP, "supergroup", "Sekretariat")
    run = engine.start_run(GROUP, SOP_ID, "Renja", 1000)
    assert engine.current_tasks(run.id)[0].due_at == wib(2026, 3, 6, 10)
    assert engine.nag_policy.interval_minutes == settings.nag_interval_minutes == 120


def test_due_times_follow_the_chat_time_zone(nag_org: Callable[..., Any], clock: FakeClock) -> None:
    org = nag_org(sop=sop_with("30 menit"))
    org.engine.ensure_chat(GROUP, "supergroup", "Kantor Makassar")
    org.engine.set_chat_timezone(GROUP, "Asia/Makassar")
    clock.now = wib(2026, 3, 6, 14, 50)  # 15:50 WITA on a Friday
    task = org.active(org.start_run().id)
    assert task.due_at.astimezone(ZoneInfo("Asia/Makassar")).strftime("%a %H:%M") == "Mon 08:20"


def test_confirming_disarms_the_task_and_arms_the_next_one(nag_org: Callable[..., Any], clock: FakeClock) -> None:
    org = nag_org(early=20)
    run = org.start_run()
    first = org.active(run.id)
    assert _next(org.engine, first.id) == wib(2026, 3, 2, 8, 40)  # 20 minutes before 09:00
    org.act(run.id)  # at 08:07
    second = org.active(run.id)
    assert _next(org.engine, first.id) is None
    assert second.due_at == wib(2026, 3, 2, 9, 7) and _next(org.engine, second.id) == wib(2026, 3, 2, 8, 47)


def test_undo_rearms_and_cancel_disarms(nag_org: Callable[..., Any], clock: FakeClock) -> None:
    org = nag_org()
    run = org.start_run()
    first = org.active(run.id)
    result = org.act(run.id)
    org.engine.undo(first.id, org.holder(first))
    assert _next(org.engine, result.next_tasks[0].id) is None
    assert _next(org.engine, first.id) == first.due_at
    org.engine.cancel_run(run.id, org.coordinator)
    assert _next(org.engine, first.id) is None


def test_engine_tells_listeners_after_a_change_that_moves_the_schedule(nag_org: Callable[..., Any]) -> None:
    org = nag_org()
    calls: list[str] = []
    org.engine.on_schedule_change(lambda: calls.append("changed"))
    run = org.start_run()  # the start arms; the claims do not
    assert calls == ["changed"]
    org.act(run.id)
    assert calls == ["changed", "changed"]


def test_status_and_task_views_show_elapsed_and_lateness_in_working_time(
    nag_org: Callable[..., Any], clock: FakeClock
) -> None:
    org = nag_org()
    run = org.start_run()
    clock.now = wib(2026, 3, 2, 17)  # after closing: 8 working hours in, 7 past due
    status = org.engine.status(run.id)
    assert status.overdue and status.late_minutes == 7 * 60 and status.elapsed_minutes == 8 * 60
    (task,) = org.engine.tasks_for_user(org.people["staf"])
    assert task.late_minutes == 7 * 60 and task.elapsed_minutes == 8 * 60

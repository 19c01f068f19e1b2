"""Office hours as offices keep them: a longer Friday, a lunch break, Ramadan's short days,
a regional decree, and the old OFFICE_HOURS_START/END still meaning what they meant."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from deadline_fixtures import PEOPLE, WIB, nag_engine, nag_items, nag_org, sop_with, wib  # noqa: F401
from pydantic import ValidationError

from bot.config import Settings
from bot.domain.office_hours import DayHours, OfficeSchedule, WeekHours, parse_extra_hours, parse_week
from bot.domain.ramadan import is_ramadan
from bot.domain.working_calendar import WorkCalendar, calendar_for

FRIDAY_SETTING = "mon-thu 07:30-16:00, fri 07:30-16:30"
#: Ramadan 1448 AH by Umm al-Qura: 2027-02-08 .. 2027-03-08 (1 Syawal is 03-09).
RAMADAN_MONDAY = date(2027, 2, 15)


def schedule(**env: str) -> OfficeSchedule:
    return Settings(_env_file=None, **env).office_schedule()  # type: ignore[arg-type, call-arg]


def test_the_issue_example_gives_a_longer_friday() -> None:
    week = parse_week(FRIDAY_SETTING)
    assert week.on(0) == week.on(3) == DayHours(time(7, 30), time(16, 0))
    assert week.on(4) == DayHours(time(7, 30), time(16, 30))
    assert week.on(5) is None and week.on(6) is None


def test_indonesian_day_names_dotted_times_and_a_break() -> None:
    week = parse_week("Senin-Kamis 07.30-16.00 istirahat 12.00-13.00, Jumat 07.30-16.30, sabtu libur")
    assert week.on(2) == DayHours(time(7, 30), time(16), (time(12), time(13)))
    assert week.on(2).periods == ((time(7, 30), time(12)), (time(13), time(16)))  # type: ignore[union-attr]
    assert week.on(5) is None and 5 in week.named


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mon-thu 16:00-07:30", "buka sebelum tutup"),
        ("mon-fri 08:00-16:00 break 07:00-09:00", "di dalam jam kerja"),
        ("fri-mon 08:00-16:00", "terbalik"),
        ("funday 08:00-16:00", "nama hari tidak dikenal"),
        ("mon-fri 8-16", "rentang jam tidak terbaca"),
        ("mon-fri 08:00-16:00, fri 08:00-11:00", "dua kali"),
        ("mon-fri 25:00-26:00", "jam tidak valid"),
        ("sat off", "tanpa satu hari kerja"),
    ],
)
def test_unreadable_hours_are_refused_in_indonesian_naming_the_entry(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_week(text)
    with pytest.raises(ValidationError, match=message):
        Settings(office_hours=text)


def test_friday_work_runs_until_1630_and_the_thursday_until_1600() -> None:
    cal = WorkCalendar(hours=schedule(office_hours=FRIDAY_SETTING, ramadan_hours="off"))
    assert date(2026, 7, 3).weekday() == 4
    assert cal.add_working_minutes(wib(2026, 7, 3, 16, 0), 30) == wib(2026, 7, 3, 16, 30)
    assert cal.add_working_minutes(wib(2026, 7, 2, 15, 50), 30) == wib(2026, 7, 3, 7, 50)
    assert cal.add_working_minutes(wib(2026, 7, 3, 16, 20), 30) == wib(2026, 7, 6, 7, 50)
    assert cal.working_minutes_between(wib(2026, 7, 3, 0), wib(2026, 7, 4, 0)) == 540


def test_the_break_is_not_working_time() -> None:
    cal = WorkCalendar(hours=schedule(office_hours="mon-fri 08:00-16:00 break 12:00-13:00", ramadan_hours="off"))
    assert cal.add_working_minutes(wib(2026, 7, 7, 11, 30), 60) == wib(2026, 7, 7, 13, 30)
    assert cal.add_working_minutes(wib(2026, 7, 7, 11, 0), 60) == wib(2026, 7, 7, 12, 0)  # due at the break
    assert not cal.is_working_time(wib(2026, 7, 7, 12, 30))
    assert cal.next_working_moment(wib(2026, 7, 7, 12, 30)) == wib(2026, 7, 7, 13, 0)
    assert cal.working_minutes_between(wib(2026, 7, 7, 8), wib(2026, 7, 7, 16)) == 420


def test_ramadan_dates_come_from_the_hijri_calendar() -> None:
    assert not is_ramadan(date(2027, 2, 7)) and is_ramadan(date(2027, 2, 8))
    assert is_ramadan(date(2027, 3, 8)) and not is_ramadan(date(2027, 3, 9))
    assert is_ramadan(date(2026, 3, 2)) and not is_ramadan(date(2026, 7, 3))
    assert not is_ramadan(date(2090, 1, 1))  # outside the converter's range: regular hours


def test_a_ramadan_day_closes_at_1500_with_the_circulars_break() -> None:
    cal = WorkCalendar(hours=schedule())  # defaults: 08:00-16:00, Ramadan hours on
    assert cal.working_minutes_between(wib(2027, 2, 15, 0), wib(2027, 2, 16, 0)) == 390
    assert cal.add_working_minutes(wib(2027, 2, 15, 14, 30), 60) == wib(2027, 2, 16, 8, 30)
    assert cal.add_working_minutes(wib(2027, 2, 19, 11, 0), 60) == wib(2027, 2, 19, 13, 0)  # Friday, 11:30-12:30 off
    assert cal.working_minutes_between(wib(2027, 2, 19, 0), wib(2027, 2, 20, 0)) == 390
    # The week before Ramadan keeps the regular eight hours.
    assert cal.working_minutes_between(wib(2027, 2, 1, 0), wib(2027, 2, 2, 0)) == 480


def test_extra_hours_for_a_regional_decree_win_over_ramadan_and_the_week() -> None:
    # Indonesia expects Idul Fitri on 2027-03-10 (the holidays package), a day after Umm al-Qura.
    decree = "2027-02-09..2027-03-09 mon-thu 08:00-14:00, fri 08:00-14:30; 2027-03-16 08:00-12:00"
    cal = WorkCalendar(hours=schedule(extra_hours=decree))
    assert cal.working_minutes_between(wib(2027, 2, 8, 0), wib(2027, 2, 9, 0)) == 390  # Umm al-Qura's day 1
    assert cal.working_minutes_between(wib(2027, 2, 9, 0), wib(2027, 2, 10, 0)) == 360  # the decree's
    assert cal.working_minutes_between(wib(2027, 3, 5, 0), wib(2027, 3, 6, 0)) == 390  # a decree Friday
    assert cal.working_minutes_between(wib(2027, 3, 16, 0), wib(2027, 3, 17, 0)) == 240
    assert not cal.is_working_day(date(2027, 2, 13))  # the decree names no Saturday: still closed


def test_extra_hours_can_close_a_range_or_open_a_saturday() -> None:
    extra = parse_extra_hours("2026-07-06..2026-07-07 off; 2026-07-11 08:00-12:00 break 10:00-10:30")
    cal = WorkCalendar(hours=OfficeSchedule(WeekHours.uniform(time(8), time(16), [0, 1, 2, 3, 4]), None, extra))
    assert not cal.is_working_day(date(2026, 7, 6)) and cal.is_working_day(date(2026, 7, 8))
    assert cal.working_minutes_between(wib(2026, 7, 11, 0), wib(2026, 7, 12, 0)) == 210
    with pytest.raises(ValueError, match="EXTRA_HOURS tidak terbaca"):
        parse_extra_hours("next monday 08:00-12:00")
    with pytest.raises(ValueError, match="terbalik"):
        parse_extra_hours("2026-07-07..2026-07-06 off")


def test_the_old_start_end_and_days_settings_still_make_the_week() -> None:
    old = schedule(office_hours_start="07:30", office_hours_end="15:30", office_days="0,1,2,3,4,5", ramadan_hours="off")
    cal = WorkCalendar(hours=old)
    assert cal.add_working_minutes(wib(2026, 7, 3, 15, 20), 30) == wib(2026, 7, 4, 7, 50)
    assert calendar_for("Asia/Jakarta", hours=old) is calendar_for("Asia/Jakarta", hours=schedule(
        office_hours_start="07:30", office_hours_end="15:30", office_days="0,1,2,3,4,5", ramadan_hours="off"))


def test_a_nag_on_a_friday_falls_after_1600_when_friday_runs_to_1630(
    nag_org, clock  # type: ignore[no-untyped-def]
) -> None:
    """End to end through the engine's due time and the deadline service's nag."""
    hours = schedule(office_hours=FRIDAY_SETTING, ramadan_hours="off")
    org = nag_org(sop=sop_with("60 menit", "60 menit"), calendar_for=lambda tz: calendar_for(tz, hours=hours))
    clock.now = wib(2026, 7, 3, 15, 20)
    task = org.active(org.start_run().id)
    assert task.due_at == wib(2026, 7, 3, 16, 20)  # a Monday-Thursday calendar would say Monday 07:50
    service = org.service()
    clock.now = wib(2026, 7, 3, 16, 19)
    assert service.tick().claimed == 0
    clock.now = wib(2026, 7, 3, 16, 20)
    assert service.tick().claimed == 1
    assert (PEOPLE["staf"], task.id, 1, "actor") in nag_items(org.engine)
    assert service.next_due() == wib(2026, 7, 6, 9, 20)  # 10 min on Friday + 110 on Monday from 07:30


def test_a_nag_on_a_ramadan_day_waits_for_the_break_and_the_next_morning(nag_org, clock) -> None:  # type: ignore[no-untyped-def]
    hours = schedule()
    org = nag_org(sop=sop_with("60 menit", "60 menit"), interval=120, calendar_for=lambda tz: calendar_for(tz, hours=hours))
    clock.now = wib(2027, 2, 15, 11, 30)
    task = org.active(org.start_run().id)
    assert task.due_at == wib(2027, 2, 15, 13, 0)  # 12:00-12:30 is the break
    service = org.service()
    clock.now = wib(2027, 2, 15, 13, 0)
    assert service.tick().claimed == 1
    assert service.next_due() == wib(2027, 2, 16, 8, 0)  # 15:00 is closing in Ramadan: next morning
    clock.now = wib(2027, 2, 15, 14, 59)
    assert service.tick().claimed == 0
    clock.now = wib(2027, 2, 16, 8, 0)
    assert service.tick().claimed == 1
    assert [i[2] for i in nag_items(org.engine) if i[0] == PEOPLE["staf"]] == [1, 2]


def test_production_wiring_uses_the_schedule(tmp_path, db, clock) -> None:  # type: ignore[no-untyped-def]
    from bot.engine import SopEngine

    settings = Settings(office_hours=FRIDAY_SETTING, data_dir=tmp_path)
    engine = SopEngine.from_settings(settings, db=db, sops={"x": sop_with("30 menit")}, clock=clock)
    cal = engine.calendar("Asia/Jakarta")
    assert cal.add_working_minutes(wib(2026, 7, 3, 16, 10), 30) == wib(2026, 7, 6, 7, 40)
    assert cal.working_minutes_between(wib(2027, 2, 15, 0), wib(2027, 2, 16, 0)) == 390  # Ramadan


SCHEDULES = {
    "friday and breaks, Ramadan on": schedule(
        office_hours="mon-thu 07:30-16:00 break 12:00-13:00, fri 07:30-16:30 break 11:30-13:00, sat 08:00-12:00"),
    "decree over Ramadan": schedule(extra_hours="2027-02-09..2027-03-09 mon-thu 08:00-14:00, fri 08:00-14:30"),
}
moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(WIB))


@pytest.mark.parametrize("name", sorted(SCHEDULES))
@settings(max_examples=150, deadline=None)
@given(start=moments, minutes=st.integers(min_value=0, max_value=20 * 480))
def test_the_arithmetic_holds_on_any_schedule(name: str, start: datetime, minutes: int) -> None:
    """Minutes added are the minutes counted back, and a due time is never in a break or at night."""
    cal = calendar_for("Asia/Jakarta", hours=SCHEDULES[name])
    due = cal.add_working_minutes(start, minutes)
    assert cal.working_minutes_between(start, due) == minutes
    if minutes:
        assert cal.is_working_time(due - timedelta(microseconds=1))  # the last instant worked was office time (starts carry microseconds)
    opening = cal.next_working_moment(start)
    assert cal.is_working_time(opening) and cal.working_minutes_between(start, opening) == 0

"""Working-time calendar: due times count only office hours on Indonesian working days."""

from __future__ import annotations

import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.working_calendar import OfficeHours, WorkCalendar, calendar_for

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
HARI = 480


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


# -- the basic rules -----------------------------------------------------------------------


def test_thirty_minutes_from_friday_1550_is_due_monday_0820(cal: WorkCalendar) -> None:
    assert wib(2026, 7, 3).weekday() == 4
    due = cal.add_working_minutes(wib(2026, 7, 3, 15, 50), 30)
    assert due == wib(2026, 7, 6, 8, 20)
    assert due.tzinfo is UTC


def test_two_hari_from_tuesday_1000_is_due_thursday_1000(cal: WorkCalendar) -> None:
    assert wib(2026, 7, 7).weekday() == 1
    assert cal.add_working_minutes(wib(2026, 7, 7, 10), 2 * HARI) == wib(2026, 7, 9, 10)


def test_start_before_opening_counts_from_opening(cal: WorkCalendar) -> None:
    assert cal.add_working_minutes(wib(2026, 7, 7, 6, 0), 60) == wib(2026, 7, 7, 9, 0)


def test_start_after_closing_counts_from_next_opening(cal: WorkCalendar) -> None:
    assert cal.add_working_minutes(wib(2026, 7, 7, 17, 0), 60) == wib(2026, 7, 8, 9, 0)
    assert cal.add_working_minutes(wib(2026, 7, 7, 16, 0), 60) == wib(2026, 7, 8, 9, 0)


def test_start_on_weekend_counts_from_monday_opening(cal: WorkCalendar) -> None:
    assert cal.add_working_minutes(wib(2026, 7, 4, 10, 0), 60) == wib(2026, 7, 6, 9, 0)
    assert cal.add_working_minutes(wib(2026, 7, 5, 23, 59), 60) == wib(2026, 7, 6, 9, 0)


def test_time_running_out_exactly_at_closing_is_due_at_closing(cal: WorkCalendar) -> None:
    assert cal.add_working_minutes(wib(2026, 7, 7, 8, 0), HARI) == wib(2026, 7, 7, 16, 0)
    assert cal.add_working_minutes(wib(2026, 7, 7, 15, 0), 60) == wib(2026, 7, 7, 16, 0)
    assert cal.add_working_minutes(wib(2026, 7, 7, 6, 0), 3 * HARI) == wib(2026, 7, 9, 16, 0)


def test_zero_minutes_is_the_next_working_moment(cal: WorkCalendar) -> None:
    assert cal.add_working_minutes(wib(2026, 7, 7, 10, 0), 0) == wib(2026, 7, 7, 10, 0)
    assert cal.add_working_minutes(wib(2026, 7, 3, 16, 0), 0) == wib(2026, 7, 6, 8, 0)
    assert cal.next_working_moment(wib(2026, 7, 4, 12)) == wib(2026, 7, 6, 8, 0)
    assert cal.next_working_moment(wib(2026, 7, 7, 12)) == wib(2026, 7, 7, 12)
    assert cal.next_working_moment(wib(2026, 7, 7, 12)).tzinfo is UTC


def test_working_time_is_opening_inclusive_closing_exclusive(cal: WorkCalendar) -> None:
    assert cal.is_working_time(wib(2026, 7, 7, 8, 0))
    assert cal.is_working_time(wib(2026, 7, 7, 15, 59, 59))
    assert not cal.is_working_time(wib(2026, 7, 7, 16, 0))
    assert not cal.is_working_time(wib(2026, 7, 7, 7, 59))
    assert not cal.is_working_time(wib(2026, 7, 4, 10, 0))  # Saturday


def test_fractional_minutes_are_allowed(cal: WorkCalendar) -> None:
    assert cal.add_working_minutes(wib(2026, 7, 7, 10), 0.5) == wib(2026, 7, 7, 10, 0, 30)


# -- holidays ------------------------------------------------------------------------------


def test_independence_day_pushes_the_due_time_a_day(cal: WorkCalendar) -> None:
    assert date(2027, 8, 17).weekday() == 1  # Tuesday
    assert cal.holiday_name(date(2027, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert not cal.is_working_day(date(2027, 8, 17))
    # Monday 10:00 + 2 hari would be Wednesday 10:00; the holiday makes it Thursday.
    assert cal.add_working_minutes(wib(2027, 8, 16, 10), 2 * HARI) == wib(2027, 8, 19, 10)
    plain = WorkCalendar(national_holidays=False)
    assert plain.add_working_minutes(wib(2027, 8, 16, 10), 2 * HARI) == wib(2027, 8, 18, 10)


def test_cuti_bersama_is_not_a_working_day(cal: WorkCalendar) -> None:
    christmas_eve = date(2027, 12, 24)  # Friday, cuti bersama Natal
    assert christmas_eve.weekday() == 4
    assert "Cuti Bersama" in (cal.holiday_name(christmas_eve) or "")
    assert not cal.is_working_day(christmas_eve)
    # Thursday 15:00 + 2 jam: one hour on Thursday, the rest on Monday 27 December.
    assert cal.add_working_minutes(wib(2027, 12, 23, 15), 120) == wib(2027, 12, 27, 9)


def test_configured_extra_holiday_counts_too() -> None:
    regional = date(2026, 7, 8)  # a Wednesday
    cal = WorkCalendar(extra_holidays=[regional])
    assert not cal.is_working_day(regional)
    assert cal.holiday_name(regional) == "Hari libur tambahan"
    assert cal.add_working_minutes(wib(2026, 7, 7, 10), 2 * HARI) == wib(2026, 7, 10, 10)
    named = WorkCalendar(extra_holidays={regional: "HUT Kabupaten"})
    assert named.holiday_name(regional) == "HUT Kabupaten"


def test_ordinary_weekday_has_no_holiday_name(cal: WorkCalendar) -> None:
    assert cal.holiday_name(date(2026, 7, 7)) is None
    assert cal.is_working_day(date(2026, 7, 7))
    assert not cal.is_working_day(date(2026, 7, 4))


# -- time zones ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "due_utc"),
    [
        (WIB, datetime(2026, 7, 6, 1, 20, tzinfo=UTC)),
        (WITA, datetime(2026, 7, 6, 0, 20, tzinfo=UTC)),
        (WIT, datetime(2026, 7, 5, 23, 20, tzinfo=UTC)),
    ],
)
def test_wib_wita_wit_follow_local_office_hours(zone: ZoneInfo, due_utc: datetime) -> None:
    cal = WorkCalendar(zone.key)
    due = cal.add_working_minutes(datetime(2026, 7, 3, 15, 50, tzinfo=zone), 30)
    assert due == due_utc
    assert due.astimezone(zone).replace(tzinfo=None) == datetime(2026, 7, 6, 8, 20)


def test_input_in_another_zone_is_read_in_the_chats_zone() -> None:
    cal = WorkCalendar("Asia/Makassar")
    # 07:30 UTC on a Tuesday is 15:30 WITA: 30 minutes left that day.
    due = cal.add_working_minutes(datetime(2026, 7, 7, 7, 30, tzinfo=UTC), 60)
    assert due == datetime(2026, 7, 8, 8, 30, tzinfo=WITA)


def test_rules_hold_across_a_dst_change_in_zones_that_have_one() -> None:
    cal = WorkCalendar("Europe/Berlin", national_holidays=False)
    berlin = ZoneInfo("Europe/Berlin")
    # Clocks go forward on Sunday 29 March 2026; Monday opens at 06:00 UTC, not 07:00.
    due = cal.add_working_minutes(datetime(2026, 3, 27, 15, 50, tzinfo=berlin), 30)
    assert due == datetime(2026, 3, 30, 6, 20, tzinfo=UTC)
    assert cal.working_minutes_between(datetime(2026, 3, 27, 8, tzinfo=berlin), due) == 500


# -- measuring elapsed working time --------------------------------------------------------


def test_minutes_between_skip_weekend_and_holiday(cal: WorkCalendar) -> None:
    # Friday 13 Aug 15:00 -> Wednesday 18 Aug 09:00 2027: 60 + Monday 480 + 0 (17 Aug) + 60.
    a, b = wib(2027, 8, 13, 15), wib(2027, 8, 18, 9)
    assert cal.working_minutes_between(a, b) == 600
    assert cal.working_minutes_between(b, a) == -600
    assert cal.working_minutes_between(a, a) == 0
    assert cal.working_minutes_between(wib(2026, 7, 4, 9), wib(2026, 7, 5, 20)) == 0


def test_hundred_hari_round_trips(cal: WorkCalendar) -> None:
    start = wib(2026, 1, 2, 9)
    due = cal.add_working_minutes(start, 100 * HARI)
    assert cal.working_minutes_between(start, due) == 100 * HARI
    assert due - start > timedelta(days=140)  # weekends and holidays in between


def test_many_due_times_are_cheap() -> None:
    cal = WorkCalendar()
    starts = [wib(2026, 1, 1) + timedelta(minutes=37 * i) for i in range(20_000)]
    began = clock.perf_counter()
    for i, s in enumerate(starts):
        cal.add_working_minutes(s, (i % 10) * 60)
    assert clock.perf_counter() - began < 2.0


starts = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(WIB)
)


@settings(max_examples=200, deadline=None)
@given(start=starts, minutes=st.integers(min_value=0, max_value=60 * HARI))
def test_minutes_between_undoes_add_working_minutes(start: datetime, minutes: int) -> None:
    cal = calendar_for("Asia/Jakarta")
    s = cal.next_working_moment(start)
    assert cal.is_working_time(s)
    due = cal.add_working_minutes(s, minutes)
    assert cal.working_minutes_between(s, due) == minutes
    assert cal.working_minutes_between(start, due) == minutes  # any start, working or not


@settings(max_examples=100, deadline=None)
@given(a=starts, b=starts)
def test_add_working_minutes_undoes_minutes_between(a: datetime, b: datetime) -> None:
    cal = calendar_for("Asia/Jakarta")
    a, b = cal.next_working_moment(min(a, b)), cal.next_working_moment(max(a, b))
    due = cal.add_working_minutes(a, cal.working_minutes_between(a, b))
    # Equal to b, except that time running out at an opening is due at the previous closing.
    assert due == b or (cal.next_working_moment(due) == b and not cal.is_working_time(due))


# -- configuration -------------------------------------------------------------------------


def test_custom_office_hours_0730_to_1530_monday_to_saturday() -> None:
    hours = OfficeHours(time(7, 30), time(15, 30), frozenset(range(6)))
    assert hours.minutes_per_day == 480
    cal = WorkCalendar(hours=hours)
    assert cal.is_working_day(date(2026, 7, 4))  # Saturday
    assert cal.add_working_minutes(wib(2026, 7, 3, 15, 20), 30) == wib(2026, 7, 4, 7, 50)
    assert cal.add_working_minutes(wib(2026, 7, 4, 15, 0), 60) == wib(2026, 7, 6, 8, 0)
    assert cal.add_working_minutes(wib(2026, 7, 6, 7, 0), HARI) == wib(2026, 7, 6, 15, 30)


def test_default_office_day_is_480_minutes() -> None:
    assert OfficeHours().minutes_per_day == 480
    assert OfficeHours(workdays={0, 1}).workdays == frozenset({0, 1})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": time(16), "end": time(8)},
        {"start": time(8), "end": time(8)},
        {"workdays": frozenset()},
        {"workdays": frozenset({7})},
    ],
)
def test_invalid_office_hours_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        OfficeHours(**kwargs)  # type: ignore[arg-type]


def test_naive_datetimes_are_rejected(cal: WorkCalendar) -> None:
    naive = datetime(2026, 7, 7, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.add_working_minutes(naive, 30)
    with pytest.raises(ValueError):
        cal.is_working_time(naive)
    with pytest.raises(ValueError):
        cal.next_working_moment(naive)
    with pytest.raises(ValueError):
        cal.working_minutes_between(naive, wib(2026, 7, 8))
    with pytest.raises(ValueError):
        cal.working_minutes_between(wib(2026, 7, 8), naive)


@pytest.mark.parametrize("minutes", [-1, float("nan"), float("inf")])
def test_negative_or_non_finite_minutes_are_rejected(cal: WorkCalendar, minutes: float) -> None:
    with pytest.raises(ValueError):
        cal.add_working_minutes(wib(2026, 7, 7, 10), minutes)


def test_calendar_for_reuses_one_calendar_per_settings() -> None:
    assert calendar_for("Asia/Jakarta") is calendar_for("Asia/Jakarta")
    assert calendar_for("Asia/Jakarta") is not calendar_for("Asia/Makassar")
    extra = calendar_for("Asia/Jakarta", extra_holidays=[date(2026, 7, 8)])
    assert extra is calendar_for("Asia/Jakarta", extra_holidays=(date(2026, 7, 8),))
    assert extra is not calendar_for("Asia/Jakarta")
    assert calendar_for("Asia/Jayapura").tz == WIT


def test_calendar_without_any_working_time_fails_loudly() -> None:
    every_day = [date(2026, 1, 1) + timedelta(days=i) for i in range(4000)]
    cal = WorkCalendar(extra_holidays=every_day, national_holidays=False)
    with pytest.raises(RuntimeError):
        cal.add_working_minutes(wib(2026, 1, 1), 1)

"""Working-time calendar: turns SOP standard times (working minutes) into due times.

SOP AP documents state each step's Mutu Baku waktu in *working* time: one hari is one
office day of 8 hours (480 minutes). A step started on Friday at 15:50 with 30 minutes to
go is therefore due on Monday at 08:20, not at 16:20 the same day. This module owns that
arithmetic so that reminders, overdue checks and reports all agree on it.

Rules:
* office hours are local wall-clock times of the chat's zone (WIB, WITA or WIT): one
  opening and closing for the workdays (:class:`OfficeHours`), or a schedule per weekday
  with a break, Ramadan hours and dated exceptions (:class:`bot.domain.office_hours.OfficeSchedule`);
  a working day is a day with office hours that is not a holiday; a break is not working time;
* holidays are Indonesia's national holidays *and* cuti bersama (the ``holidays`` package
  files cuti bersama under its GOVERNMENT category, national ones under PUBLIC), plus any
  extra dates configured (e.g. a regional holiday);
* a start outside office hours begins counting at the next opening; a step whose time
  runs out exactly at closing is due at closing, not the next morning;
* every datetime in must be timezone-aware (naive ones raise ValueError); every datetime
  out is in UTC. Day boundaries are computed per day in the zone, so the code stays
  correct in zones with DST even though the Indonesian ones have none.

Cost is at most one cheap, cached step per calendar day, so 100 hari takes ~140 steps and
100,000 typical due times take well under a second.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import holidays as holidays_lib
from holidays.constants import GOVERNMENT, PUBLIC

__all__ = ["HOLIDAY_CATEGORIES", "HoursSource", "OfficeHours", "WorkCalendar", "calendar_for"]

#: PUBLIC = national holidays (libur nasional); GOVERNMENT = cuti bersama.
HOLIDAY_CATEGORIES: tuple[str, ...] = (PUBLIC, GOVERNMENT)
EXTRA_HOLIDAY_NAME = "Hari libur tambahan"
_ONE_DAY = timedelta(days=1)
_MAX_IDLE_DAYS = 3660  # a calendar without a working day in ten years is misconfigured

Interval = tuple[datetime, datetime]


class HoursSource(Protocol):
    """Office hours of a date as local (opening, closing) periods; () when closed. Hashable."""

    def periods(self, day: date) -> tuple[tuple[time, time], ...]: ...


@dataclass(frozen=True)
class OfficeHours:
    """Daily opening hours (local wall-clock) and the weekdays they apply to (Monday=0)."""

    start: time = time(8, 0)
    end: time = time(16, 0)
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})

    def __post_init__(self) -> None:
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("office hours are local wall-clock times; give naive times")
        if not self.start < self.end:
            raise ValueError(f"office hours must open before they close: {self.start}–{self.end}")
        if not self.workdays or not self.workdays <= set(range(7)):
            raise ValueError(f"workdays must be a non-empty subset of 0..6: {sorted(self.workdays)}")

    def periods(self, day: date) -> tuple[tuple[time, time], ...]:
        return ((self.start, self.end),) if day.weekday() in self.workdays else ()

    @property
    def minutes_per_day(self) -> int:
        """Length of one office day in whole minutes (480 for 08:00–16:00)."""
        return (_seconds(self.end) - _seconds(self.start)) // 60


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


@lru_cache(maxsize=None)
def _national_holidays(year: int) -> dict[date, str]:
    """Indonesian national holidays and cuti bersama of one year, names in Indonesian."""
    found = holidays_lib.country_holidays(
        "ID", years=year, categories=HOLIDAY_CATEGORIES, language="id"
    )
    return dict(found.items())


def _aware(moment: datetime, what: str = "moment") -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError(f"{what} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware: {moment!r}")
    return moment.astimezone(UTC)


class WorkCalendar:
    """Office hours and holidays of one chat's zone, with working-time arithmetic."""

    tz: ZoneInfo

    def __init__(
        self,
        tz: str | ZoneInfo = "Asia/Jakarta",
        hours: HoursSource = OfficeHours(),
        extra_holidays: Iterable[date] = (),
        national_holidays: bool = True,
    ) -> None:
        self.tz = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        self.hours = hours
        self.national_holidays = national_holidays
        if isinstance(extra_holidays, Mapping):
            extras = {_as_date(d): str(n) for d, n in extra_holidays.items()}
        else:
            extras = {_as_date(d): EXTRA_HOLIDAY_NAME for d in extra_holidays}
        self.extra_holidays: Mapping[date, str] = extras
        self._days: dict[date, tuple[Interval, ...]] = {}

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(tz={self.tz.key!r}, hours={self.hours!r}, "
            f"extra_holidays={sorted(self.extra_holidays)!r}, "
            f"national_holidays={self.national_holidays!r})"
        )

    # -- days ---------------------------------------------------------------------------
    def holiday_name(self, day: date) -> str | None:
        """Name of the holiday on ``day`` (national, cuti bersama or extra), else None."""
        day = self._day(day)
        if self.national_holidays and (name := _national_holidays(day.year).get(day)):
            return name
        return self.extra_holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        """A configured workday that is not a holiday. An aware datetime counts by its local date."""
        return bool(self._intervals(self._day(day)))

    def _day(self, day: date) -> date:
        if isinstance(day, datetime):
            return _aware(day, "day").astimezone(self.tz).date()
        return day

    def _intervals(self, day: date) -> tuple[Interval, ...]:
        """Cached [opening, closing) periods of ``day`` in UTC, in order; () on a non-working day."""
        try:
            return self._days[day]
        except KeyError:
            pass
        found: list[Interval] = []
        if self.holiday_name(day) is None:
            for start, end in self.hours.periods(day):
                opening = datetime.combine(day, start, tzinfo=self.tz).astimezone(UTC)
                closing = datetime.combine(day, end, tzinfo=self.tz).astimezone(UTC)
                if opening < closing:
                    found.append((opening, closing))
        self._days[day] = intervals = tuple(found)
        return intervals

    def _local_date(self, moment_utc: datetime) -> date:
        return moment_utc.astimezone(self.tz).date()

    # -- moments ------------------------------------------------------------------------
    def is_working_time(self, moment: datetime) -> bool:
        """True inside [opening, closing) of a working day."""
        moment = _aware(moment)
        return any(low <= moment < high for low, high in self._intervals(self._local_date(moment)))

    def next_working_moment(self, moment: datetime) -> datetime:
        """``moment`` itself (in UTC) if it is working time, else the next opening."""
        return self.add_working_minutes(moment, 0)

    def add_working_minutes(self, start: datetime, minutes: int | float) -> datetime:
        """Due time (UTC) of work of ``minutes`` working minutes begun at ``start``."""
        if isinstance(minutes, bool) or not isinstance(minutes, (int, float)):
            raise TypeError(f"minutes must be a number, not {type(minutes).__name__}")
        if not minutes >= 0 or math.isinf(minutes):
            raise ValueError(f"minutes must be a finite number >= 0: {minutes!r}")
        moment = _aware(start, "start")
        remaining = timedelta(minutes=minutes)
        day, idle = self._local_date(moment), 0
        while idle < _MAX_IDLE_DAYS:
            for opening, closing in self._intervals(day):
                if moment < closing:
                    moment, idle = max(moment, opening), 0
                    available = closing - moment
                    if remaining <= available:
                        return moment + remaining
                    remaining -= available
                    moment = closing
            day, idle = day + _ONE_DAY, idle + 1
        raise RuntimeError(f"no working time found after {start.isoformat()} in {self!r}")

    def working_minutes_between(self, a: datetime, b: datetime) -> float:
        """Working minutes in [a, b); negative when b is before a."""
        begin, finish = _aware(a, "a"), _aware(b, "b")
        if finish < begin:
            return -self.working_minutes_between(b, a)
        total = timedelta(0)
        day, last = self._local_date(begin), self._local_date(finish)
        while day <= last:
            for opening, closing in self._intervals(day):
                low, high = max(begin, opening), min(finish, closing)
                if low < high:
                    total += high - low
            day += _ONE_DAY
        return total.total_seconds() / 60


def _as_date(value: date) -> date:
    if isinstance(value, datetime):
        raise TypeError(f"extra holidays are dates, not datetimes: {value!r}")
    if not isinstance(value, date):
        raise TypeError(f"extra holidays are dates, not {type(value).__name__}")
    return value


@lru_cache(maxsize=64)
def _cached_calendar(
    tz: str | ZoneInfo, hours: HoursSource, extra: frozenset[tuple[date, str]], national: bool
) -> WorkCalendar:
    return WorkCalendar(tz, hours, dict(extra), national)


def calendar_for(
    tz: str | ZoneInfo = "Asia/Jakarta",
    hours: HoursSource = OfficeHours(),
    extra_holidays: Iterable[date] | Mapping[date, str] = (),
    national_holidays: bool = True,
) -> WorkCalendar:
    """Shared calendar for these settings; equal settings give the same (cached) object."""
    if isinstance(extra_holidays, Mapping):
        extra = frozenset((_as_date(d), str(n)) for d, n in extra_holidays.items())
    else:
        extra = frozenset((_as_date(d), EXTRA_HOLIDAY_NAME) for d in extra_holidays)
    return _cached_calendar(tz, hours, extra, national_holidays)

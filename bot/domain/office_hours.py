"""Office hours as offices keep them: per weekday, with a break, shorter in Ramadan.

Government offices do not work one fixed day: Friday runs longer (or shorter) because of
Friday prayers, some offices open on Saturday, a lunch break may not count as working
time, and during Ramadan a ministerial circular shortens every day. This module turns the
settings into an :class:`OfficeSchedule` that answers one question for
:class:`bot.domain.working_calendar.WorkCalendar`: *which periods of this date are office hours?*

The text format (``OFFICE_HOURS``, ``RAMADAN_HOURS``), entries separated by commas::

    mon-thu 07:30-16:00 break 12:00-13:00, fri 07:30-16:30 break 11:30-13:00
    senin-kamis 07.30-16.00 istirahat 12.00-13.00, jumat 07.30-16.30, sabtu libur

Days are English or Indonesian names (three letters or in full), alone or as a range;
a day no entry names is closed. ``EXTRA_HOURS`` gives hours for dates, entries separated
by semicolons: ``2027-02-08..2027-03-09 mon-thu 08:00-14:30, fri 08:00-15:00; 2027-03-15
08:00-12:00`` (without day names the hours apply to every date of the range). Precedence,
per date: ``EXTRA_HOURS``, then Ramadan hours (on Ramadan's dates), then the regular week;
in the first two a weekday that the entry does not name keeps the regular hours.

Pure: no Telegram, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from bot.domain.ramadan import is_ramadan

__all__ = [
    "DEFAULT_RAMADAN_HOURS",
    "DatedHours",
    "DayHours",
    "OfficeSchedule",
    "WeekHours",
    "parse_extra_hours",
    "parse_week",
    "schedule_from_settings",
]

Period = tuple[time, time]

#: Hours of the Minister's Ramadan circulars for a five-day office (32.5 hours a week).
DEFAULT_RAMADAN_HOURS = "mon-thu 08:00-15:00 break 12:00-12:30, fri 08:00-15:30 break 11:30-12:30"

_DAY_NAMES: dict[str, int] = {}
for _no, _names in enumerate(
    (
        ("mon", "monday", "sen", "senin"),
        ("tue", "tuesday", "sel", "selasa"),
        ("wed", "wednesday", "rab", "rabu"),
        ("thu", "thursday", "kam", "kamis"),
        ("fri", "friday", "jum", "jumat", "jum'at"),
        ("sat", "saturday", "sab", "sabtu"),
        ("sun", "sunday", "min", "minggu", "ahad"),
    )
):
    _DAY_NAMES.update(dict.fromkeys(_names, _no))

_TIME = r"(\d{1,2})[:.](\d{2})"
_SPAN = re.compile(rf"^{_TIME}\s*-\s*{_TIME}$")
_ENTRY = re.compile(
    r"^(?P<days>[a-z'\-]+)\s+(?:(?P<off>off|libur|tutup)|(?P<hours>\S+\s*-\s*\S+)"
    r"(?:\s+(?:break|istirahat)\s+(?P<brk>\S+\s*-\s*\S+))?)$"
)
_PLAIN = re.compile(r"(?P<hours>\S+\s*-\s*\S+)(?:\s+(?:break|istirahat)\s+(?P<brk>\S+\s*-\s*\S+))?")
_DATES = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s*\.\.\s*(\d{4}-\d{2}-\d{2}))?\s*:?\s+(.+)$")


@dataclass(frozen=True)
class DayHours:
    """One day's opening and closing (local wall-clock) and an optional break."""

    opens: time
    closes: time
    pause: Period | None = None

    def __post_init__(self) -> None:
        if not self.opens < self.closes:
            raise ValueError(f"jam kerja harus buka sebelum tutup: {self.opens:%H:%M}-{self.closes:%H:%M}")
        if self.pause is not None and not self.opens < self.pause[0] < self.pause[1] < self.closes:
            raise ValueError(f"istirahat {self.pause[0]:%H:%M}-{self.pause[1]:%H:%M} harus di dalam jam kerja")

    @property
    def periods(self) -> tuple[Period, ...]:
        if self.pause is None:
            return ((self.opens, self.closes),)
        return ((self.opens, self.pause[0]), (self.pause[1], self.closes))


@dataclass(frozen=True)
class WeekHours:
    """Hours per weekday (Monday = 0); ``named`` holds the weekdays the text mentioned."""

    days: tuple[tuple[int, DayHours | None], ...]

    @property
    def named(self) -> frozenset[int]:
        return frozenset(no for no, _ in self.days)

    def on(self, weekday: int) -> DayHours | None:
        return dict(self.days).get(weekday)

    @classmethod
    def uniform(cls, opens: time, closes: time, workdays: frozenset[int] | list[int]) -> WeekHours:
        """The old setting: one opening and closing for the given workdays."""
        return cls(tuple((no, DayHours(opens, closes)) for no in sorted(set(workdays))))


@dataclass(frozen=True)
class DatedHours:
    """Hours for a range of dates (a regional decree, a special day)."""

    first: date
    last: date
    week: WeekHours | None  # None: the same hours every date of the range
    every_day: DayHours | None = None
    closed: bool = False

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last

    def hours_on(self, day: date) -> tuple[bool, DayHours | None]:
        """(whether this entry decides the date, its hours then)."""
        if self.week is None:
            return True, None if self.closed else self.every_day
        if day.weekday() in self.week.named:
            return True, self.week.on(day.weekday())
        return False, None


@dataclass(frozen=True)
class OfficeSchedule:
    """The regular week, Ramadan's week (None: no Ramadan hours) and dated exceptions."""

    regular: WeekHours
    ramadan: WeekHours | None = None
    extra: tuple[DatedHours, ...] = ()

    def day_hours(self, day: date) -> DayHours | None:
        """The hours that hold on ``day`` (holidays are the calendar's business)."""
        for entry in self.extra:
            if entry.covers(day):
                decided, hours = entry.hours_on(day)
                if decided:
                    return hours
        weekday = day.weekday()
        if self.ramadan is not None and weekday in self.ramadan.named and is_ramadan(day):
            return self.ramadan.on(weekday)
        return self.regular.on(weekday)

    def periods(self, day: date) -> tuple[Period, ...]:
        hours = self.day_hours(day)
        return hours.periods if hours is not None else ()


def _time(hour: str, minute: str) -> time:
    try:
        return time(int(hour), int(minute))
    except ValueError:
        raise ValueError(f"jam tidak valid: {hour}:{minute}") from None


def _span(text: str) -> Period:
    found = _SPAN.match(text.strip())
    if not found:
        raise ValueError(f"rentang jam tidak terbaca: {text!r} (contoh 07:30-16:00)")
    return _time(found[1], found[2]), _time(found[3], found[4])


def _day_hours(hours: str, pause: str | None) -> DayHours:
    opens, closes = _span(hours)
    return DayHours(opens, closes, _span(pause) if pause else None)


def _weekdays(text: str) -> list[int]:
    first, _, last = text.partition("-")
    try:
        a = _DAY_NAMES[first]
        b = _DAY_NAMES[last] if last else a
    except KeyError as exc:
        raise ValueError(f"nama hari tidak dikenal: {exc.args[0]!r} (mon..sun atau senin..minggu)") from None
    if b < a:
        raise ValueError(f"rentang hari terbalik: {text!r}")
    return list(range(a, b + 1))


def parse_week(text: str) -> WeekHours:
    """``mon-thu 07:30-16:00 break 12:00-13:00, fri 07:30-16:30, sat off`` → WeekHours."""
    days: dict[int, DayHours | None] = {}
    for raw in text.split(","):
        entry = " ".join(raw.lower().split())
        if not entry:
            continue
        found = _ENTRY.match(entry)
        if not found:
            raise ValueError(f"jam kerja tidak terbaca: {raw.strip()!r} (contoh: mon-thu 07:30-16:00)")
        hours = None if found["off"] else _day_hours(found["hours"], found["brk"])
        for no in _weekdays(found["days"]):
            if no in days:
                raise ValueError(f"hari disebut dua kali: {raw.strip()!r}")
            days[no] = hours
    if not any(h is not None for h in days.values()):
        raise ValueError("jam kerja tanpa satu hari kerja pun")
    return WeekHours(tuple(sorted(days.items())))


def parse_extra_hours(text: str) -> tuple[DatedHours, ...]:
    """``2027-02-08..2027-03-09 mon-thu 08:00-14:30, fri 08:00-15:00; 2027-03-15 08:00-12:00``."""
    entries: list[DatedHours] = []
    for raw in text.split(";"):
        entry = " ".join(raw.split())
        if not entry:
            continue
        found = _DATES.match(entry)
        if not found:
            raise ValueError(f"EXTRA_HOURS tidak terbaca: {entry!r} (contoh: 2027-03-15 08:00-12:00)")
        try:
            first = date.fromisoformat(found[1])
            last = date.fromisoformat(found[2]) if found[2] else first
        except ValueError:
            raise ValueError(f"tanggal tidak valid: {entry!r}") from None
        if last < first:
            raise ValueError(f"rentang tanggal terbalik: {entry!r}")
        rest = found[3].strip().lower()
        if rest in ("off", "libur", "tutup"):
            entries.append(DatedHours(first, last, None, closed=True))
        elif (plain := _PLAIN.fullmatch(rest)) and _SPAN.match(plain["hours"]):
            entries.append(DatedHours(first, last, None, _day_hours(plain["hours"], plain["brk"])))
        else:
            entries.append(DatedHours(first, last, parse_week(rest)))
    return tuple(entries)


def schedule_from_settings(
    office_hours: str | None,
    start: time,
    end: time,
    workdays: list[int] | frozenset[int],
    ramadan_hours: str | None,
    extra_hours: str | None,
) -> OfficeSchedule:
    """``OFFICE_HOURS`` (else the old ``OFFICE_HOURS_START/END`` and ``OFFICE_DAYS``), Ramadan, extras."""
    regular = parse_week(office_hours) if office_hours else WeekHours.uniform(start, end, frozenset(workdays))
    off = ramadan_hours is None or ramadan_hours.strip().lower() in ("", "off", "none", "tidak")
    ramadan = None if off else parse_week(ramadan_hours or "")
    return OfficeSchedule(regular, ramadan, parse_extra_hours(extra_hours) if extra_hours else ())

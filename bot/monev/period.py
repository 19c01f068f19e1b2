"""Which stretch of time a monev form covers: a half-year, or two dates.

The regulation asks for monitoring "setiap 6 (enam) bulan sekali", so the natural unit is
the semester: ``2026-1`` is January–June 2026, ``2026-2`` July–December. Any other
stretch is written as two dates (``2026-07-01 2026-09-30``). Dates are calendar days of
the group's zone; a run belongs to the period in which it *started*.

Pure: no clock is read here, "today" is handed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_SEMESTER = re.compile(r"(\d{4})-([12])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_SPAN_DAYS = 366 * 2


class PeriodError(ValueError):
    """A period nobody can report on: `code` is "unknown" (not a period), "future"
    (it has not begun) or "reversed" (the end before the start)."""

    def __init__(self, code: str, text: str = "") -> None:
        super().__init__(f"{code}: {text!r}")
        self.code, self.text = code, text


@dataclass(frozen=True)
class Period:
    """From `first` to `last`, both days included; `key` names it in files and the database."""

    first: date
    last: date
    key: str

    @property
    def is_semester(self) -> bool:
        return _SEMESTER.fullmatch(self.key) is not None

    def start_utc(self, zone: str) -> datetime:
        """The first moment of the period in the zone, as UTC."""
        return datetime.combine(self.first, time(0), ZoneInfo(zone)).astimezone(UTC)

    def end_utc(self, zone: str) -> datetime:
        """The first moment *after* the period in the zone, as UTC (exclusive bound)."""
        return datetime.combine(self.last + timedelta(days=1), time(0), ZoneInfo(zone)).astimezone(UTC)

    def contains(self, moment: datetime, zone: str) -> bool:
        return self.start_utc(zone) <= moment < self.end_utc(zone)


def semester(year: int, half: int) -> Period:
    """``2026-1`` (1 January – 30 June) or ``2026-2`` (1 July – 31 December)."""
    if half == 1:
        return Period(date(year, 1, 1), date(year, 6, 30), f"{year}-1")
    return Period(date(year, 7, 1), date(year, 12, 31), f"{year}-2")


def semester_of(day: date) -> Period:
    return semester(day.year, 1 if day.month <= 6 else 2)


def parse_period(words: list[str] | str, today: date) -> Period:
    """The period the person typed: nothing (this semester), ``2026-2``, or two dates.

    Raises :class:`PeriodError` for anything else, for a period that starts after
    `today`, and for a range that ends before it starts or spans more than two years.
    """
    parts = words.split() if isinstance(words, str) else [w for w in words if w]
    if not parts:
        return semester_of(today)
    text = " ".join(parts)
    if len(parts) == 1 and (match := _SEMESTER.fullmatch(parts[0])):
        year = int(match.group(1))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise PeriodError("unknown", text)
        found = semester(year, int(match.group(2)))
    elif len(parts) == 2 and all(_DATE.fullmatch(p) for p in parts):
        try:
            first, last = (date.fromisoformat(p) for p in parts)
        except ValueError:
            raise PeriodError("unknown", text) from None
        if last < first:
            raise PeriodError("reversed", text)
        if (last - first).days > MAX_SPAN_DAYS or not MIN_YEAR <= first.year <= MAX_YEAR:
            raise PeriodError("unknown", text)
        found = Period(first, last, f"{first.isoformat()}_{last.isoformat()}")
    else:
        raise PeriodError("unknown", text)
    if found.first > today:
        raise PeriodError("future", text)
    return found


def period_from_key(key: str) -> Period:
    """The period a stored key names (``2026-2`` or ``2026-07-01_2026-09-30``)."""
    if match := _SEMESTER.fullmatch(key):
        return semester(int(match.group(1)), int(match.group(2)))
    first, _, last = key.partition("_")
    return Period(date.fromisoformat(first), date.fromisoformat(last), key)

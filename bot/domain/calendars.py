"""What the domain asks of a working-time calendar, and the calendar with no off-hours.

Due times and nags are computed through this protocol, so the run machine and the nag
policy are tested with a 24/7 calendar while the bot uses office hours and holidays
(:class:`bot.domain.working_calendar.WorkCalendar`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable
class WorkingCalendar(Protocol):
    """The two operations of :class:`bot.domain.working_calendar.WorkCalendar` the engine uses."""

    def add_working_minutes(self, start: datetime, minutes: int | float) -> datetime: ...

    def working_minutes_between(self, a: datetime, b: datetime) -> float: ...


#: A chat's time zone -> its calendar.
CalendarFactory = Callable[[str], WorkingCalendar]


class ContinuousCalendar:
    """Every minute is a working minute: handy in tests and as a last-resort default."""

    def add_working_minutes(self, start: datetime, minutes: int | float) -> datetime:
        return start.astimezone(UTC) + timedelta(minutes=minutes)

    def working_minutes_between(self, a: datetime, b: datetime) -> float:
        return max(0.0, (b - a).total_seconds() / 60)


def continuous_calendar(_tz: str) -> WorkingCalendar:
    return ContinuousCalendar()

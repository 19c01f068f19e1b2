"""The working-time calendar as the domain sees it: two operations, nothing else.

Defined here rather than next to the engine so the run state machine (pure) can take a
calendar without importing the engine; :mod:`bot.engine.ports` re-exports both names.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable
class WorkingCalendar(Protocol):
    """The two operations of :class:`bot.domain.working_calendar.WorkCalendar` the engine uses."""

    def add_working_minutes(self, start: datetime, minutes: float) -> datetime: ...

    def working_minutes_between(self, a: datetime, b: datetime) -> float: ...


class ContinuousCalendar:
    """Every minute is a working minute: handy in tests and as a last-resort default."""

    def add_working_minutes(self, start: datetime, minutes: float) -> datetime:
        return start.astimezone(UTC) + timedelta(minutes=minutes)

    def working_minutes_between(self, a: datetime, b: datetime) -> float:
        return max(0.0, (b - a).total_seconds() / 60)

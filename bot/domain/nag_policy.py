"""When a task's nags fall: the early reminder, the due-time nag and its repeats.

All of it is working-time arithmetic on the chat's calendar, so the answer never depends
on when the question is asked or by which process:

* round 0 is the optional early reminder, ``early_minutes`` of working time before the
  due time (only when the task still has more than that to go when it becomes active);
* round 1 falls at the due time, round *k* ``(k-1) × interval_minutes`` of working time
  after it. Every moment is moved to the next opening when it is not working time, so
  nothing is sent at night, at the weekend or on a holiday: a nag that would fall in the
  evening waits for the next working morning;
* a tick at any moment belongs to exactly one round (the last one whose time has come),
  which is what makes a catch-up after downtime send one nag, not one per missed interval.

Pure: no database, no Telegram; the engine arms tasks with :meth:`NagPolicy.first_at`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the engine imports this module; no import back at run time
    from bot.domain.calendar_port import WorkingCalendar

#: Working minutes below this count as zero: float minutes from second arithmetic.
_EPSILON = 1e-6


@dataclass(frozen=True)
class NagRound:
    """The round a tick at some moment belongs to, and when the next one falls."""

    number: int
    #: Working minutes past the due time (negative before it, for the early reminder).
    late_minutes: float
    next_at: datetime

    @property
    def early(self) -> bool:
        return self.number == 0


def opening(calendar: WorkingCalendar, moment: datetime) -> datetime:
    """``moment`` if it is working time, else the next opening (closing time is not working)."""
    return calendar.add_working_minutes(moment, 0)


@dataclass(frozen=True)
class NagPolicy:
    """NAG_INTERVAL_MINUTES and EARLY_REMINDER_MINUTES (0 = no early reminder)."""

    interval_minutes: int = 120
    early_minutes: int = 0

    def __post_init__(self) -> None:
        if self.interval_minutes < 1:
            raise ValueError(f"the nag interval must be at least one minute: {self.interval_minutes}")
        if self.early_minutes < 0:
            raise ValueError(f"the early reminder cannot be negative: {self.early_minutes}")

    def first_at(self, calendar: WorkingCalendar, now: datetime, due: datetime) -> datetime:
        """The first nag of a task that becomes active at ``now`` and is due at ``due``.

        A task that becomes active already past its due time (the later actors of a
        chain share the step's due time) was just told by its task card; its first nag
        waits one interval instead of arriving together with the card.
        """
        remaining = calendar.working_minutes_between(now, due)
        if remaining <= _EPSILON:
            return opening(calendar, calendar.add_working_minutes(now, self.interval_minutes))
        if self.early_minutes and remaining > self.early_minutes:
            return opening(calendar, calendar.add_working_minutes(now, remaining - self.early_minutes))
        return opening(calendar, due)

    def round_at(self, calendar: WorkingCalendar, due: datetime, now: datetime) -> NagRound:
        """The round a nag sent at ``now`` belongs to, and the moment of the next round."""
        due_nag = opening(calendar, due)
        if now < due_nag:
            return NagRound(0, -calendar.working_minutes_between(now, due), due_nag)
        late = max(0.0, calendar.working_minutes_between(due, now))
        passed = math.floor(late / self.interval_minutes + _EPSILON)
        number = passed + 1
        next_at = opening(calendar, calendar.add_working_minutes(due, number * self.interval_minutes))
        while next_at <= now:  # float rounding at an exact boundary: never re-arm in the past
            number += 1
            next_at = opening(calendar, calendar.add_working_minutes(due, number * self.interval_minutes))
        return NagRound(number, late, next_at)

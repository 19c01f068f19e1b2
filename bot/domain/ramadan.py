"""Which Gregorian dates fall in Ramadan, for the shorter office hours of the fasting month.

Indonesian government offices work shorter days during Ramadan (a circular of the
Minister of State Apparatus each year). The dates come from ``hijridate``, the maintained
successor of ``hijri-converter`` (which is deprecated in its favour): it converts with the
Umm al-Qura calendar over 1343–1500 AH (1924–2077 CE). Indonesia fixes the first of
Ramadan by its own sighting (rukyat) and reckoning (hisab), which can differ from Umm
al-Qura by a day; ``EXTRA_HOURS`` lets an office enter the decree's exact dates.
"""

from __future__ import annotations

import logging
from datetime import date
from functools import lru_cache

from hijridate import Gregorian

__all__ = ["RAMADAN_MONTH", "is_ramadan"]

logger = logging.getLogger(__name__)

#: Ramadan is the ninth month of the Hijri year.
RAMADAN_MONTH = 9


@lru_cache(maxsize=4096)
def is_ramadan(day: date) -> bool:
    """True on the days of Ramadan; False outside the converter's range (logged once a day)."""
    try:
        return Gregorian(day.year, day.month, day.day).to_hijri().month == RAMADAN_MONTH
    except OverflowError:
        logger.warning("Ramadan dates are unknown for %s (outside 1924–2077): regular hours apply", day)
        return False

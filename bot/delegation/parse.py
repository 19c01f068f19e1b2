"""Reading `/plh PERAN @orang [mulai 3 Des] sampai 7 Des [alasan]` as people type it.

Dates are day-month with Indonesian or English month names ("7 Des", "7 Desember",
"7 Dec 2026"), numeric ("7/12", "7/12/2026", "7-12-2026") or ISO ("2026-12-07"). A date
without a year is the next such day from today on (in December, "5 Jan" is next January).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "jan": 1, "januari": 1, "january": 1,
    "feb": 2, "februari": 2, "pebruari": 2, "february": 2,
    "mar": 3, "maret": 3, "march": 3,
    "apr": 4, "april": 4,
    "mei": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7,
    "agu": 8, "agt": 8, "ags": 8, "agustus": 8, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "oct": 10, "october": 10,
    "nov": 11, "nopember": 11, "november": 11,
    "des": 12, "desember": 12, "dec": 12, "december": 12,
}
UNTIL = frozenset({"sampai", "s.d.", "s/d", "sd", "hingga", "until", "to"})
FROM = frozenset({"mulai", "dari", "from"})
_NUMERIC = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})(?:[/.-]([0-9]{4}))?")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DAY = re.compile(r"[0-9]{1,2}")
_YEAR = re.compile(r"[0-9]{4}")


class BadDate(ValueError):
    """Words that were meant as a date but are not one (``text`` says which)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _resolve(day: int, month: int, year: int | None, today: date, text: str) -> date:
    try:
        if year is not None:
            return date(year, month, day)
        found = date(today.year, month, day)
        return found if found >= today else date(today.year + 1, month, day)
    except ValueError as exc:
        raise BadDate(text) from exc


def read_day(words: list[str], today: date) -> tuple[date, int]:
    """The date at the start of `words` and how many words it took."""
    if not words:
        raise BadDate("")
    first = words[0].lower().rstrip(",")
    if m := _ISO.fullmatch(first):
        return _resolve(int(m[3]), int(m[2]), int(m[1]), today, first), 1
    if m := _NUMERIC.fullmatch(first):
        return _resolve(int(m[1]), int(m[2]), int(m[3]) if m[3] else None, today, first), 1
    if _DAY.fullmatch(first) and len(words) > 1 and words[1].lower().rstrip(".,") in MONTHS:
        month = MONTHS[words[1].lower().rstrip(".,")]
        if len(words) > 2 and _YEAR.fullmatch(words[2].rstrip(",")):
            text = " ".join(words[:3])
            return _resolve(int(first), month, int(words[2].rstrip(",")), today, text), 3
        return _resolve(int(first), month, None, today, " ".join(words[:2])), 2
    raise BadDate(" ".join(words[:2]))


@dataclass(frozen=True)
class Period:
    """The optional start day, the end day, and the words left (the reason)."""

    first_day: date | None
    last_day: date | None
    reason: str


def read_period(words: list[str], today: date) -> Period:
    """`[mulai DAY] [sampai DAY] [reason…]`, in either order of the two markers."""
    first = last = None
    rest = list(words)
    while rest and rest[0].lower() in FROM | UNTIL:
        marker = rest.pop(0).lower()
        day, used = read_day(rest, today)
        rest = rest[used:]
        if marker in FROM:
            first = day
        else:
            last = day
    return Period(first, last, " ".join(rest).strip())

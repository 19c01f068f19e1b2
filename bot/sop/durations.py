"""Parse the standard times (Mutu Baku · Waktu) written in SOP AP documents.

Documents write times as "2 hari", "0,5 hari", "10 Menit", "7 hr 5 Menit", or split a
value over two table cells ("10" | "Menit"). Everything becomes *working minutes*; one
hari is one office day of 8 hours, which is what makes the documents' own stated totals
add up (seed 001: 6 hari + 485 menit = "7 hr 5 Menit" = 3365 minutes).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

MINUTES_PER_HARI = 8 * 60
MINUTES_PER_JAM = 60

_UNITS: dict[str, int] = {
    "hari": MINUTES_PER_HARI,
    "hr": MINUTES_PER_HARI,
    "h": MINUTES_PER_HARI,
    "day": MINUTES_PER_HARI,
    "days": MINUTES_PER_HARI,
    "jam": MINUTES_PER_JAM,
    "j": MINUTES_PER_JAM,
    "hour": MINUTES_PER_JAM,
    "hours": MINUTES_PER_JAM,
    "menit": 1,
    "mnt": 1,
    "m": 1,
    "min": 1,
    "minute": 1,
    "minutes": 1,
}

_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([a-zA-Z]+)\.?")


class DurationError(ValueError):
    """A standard time that cannot be read; the message quotes the offending text."""


def parse_duration(value: str | Sequence[str] | int) -> int:
    """Return the working minutes of a Waktu cell (or of its cells, when split).

    An int is taken as minutes already. Fractions must land on whole minutes.
    """
    if isinstance(value, bool):
        raise DurationError(f"waktu tidak dapat dibaca: {value!r}")
    if isinstance(value, int):
        if value <= 0:
            raise DurationError(f"waktu harus lebih dari nol: {value!r}")
        return value
    cells = [value] if isinstance(value, str) else value if isinstance(value, (list, tuple)) else None
    if cells is None or not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in cells):
        raise DurationError(f"waktu tidak dapat dibaca: {value!r}")  # a float, a nested list, None…
    text = " ".join(str(v) for v in cells)
    cleaned = " ".join(text.replace("|", " ").split())
    if not cleaned:
        raise DurationError("waktu kosong")
    pos = 0
    total = Decimal(0)
    found = False
    for match in _PART.finditer(cleaned):
        if cleaned[pos : match.start()].strip():
            raise DurationError(f"waktu tidak dapat dibaca: {text!r}")
        number, unit = match.groups()
        factor = _UNITS.get(unit.lower())
        if factor is None:
            raise DurationError(f"satuan waktu tidak dikenal {unit!r} dalam {text!r}")
        try:
            total += Decimal(number.replace(",", ".")) * factor
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
            raise DurationError(f"angka tidak dapat dibaca dalam {text!r}") from exc
        pos = match.end()
        found = True
    if not found or cleaned[pos:].strip():
        raise DurationError(f"waktu tidak dapat dibaca: {text!r}")
    if total <= 0:
        raise DurationError(f"waktu harus lebih dari nol: {text!r}")
    if total != total.to_integral_value():
        raise DurationError(f"waktu bukan menit bulat: {text!r}")
    return int(total)


def format_minutes(minutes: int, lang: str = "id") -> str:
    """Render working minutes the way the documents write them ("1 hari 2 jam 5 menit")."""
    if minutes < 0:
        return "-" + format_minutes(-minutes, lang)
    days, rest = divmod(minutes, MINUTES_PER_HARI)
    hours, mins = divmod(rest, MINUTES_PER_JAM)
    names = ("hari", "jam", "menit") if lang == "id" else ("d", "h", "min")
    parts = [f"{n} {u}" for n, u in zip((days, hours, mins), names) if n]
    return " ".join(parts) if parts else f"0 {names[2]}"

"""Parse the standard times (Mutu Baku · Waktu) written in SOP AP documents.

Documents write times as "2 hari", "0,5 hari", "10 Menit", "7 hr 5 Menit", or split a
value over two table cells ("10" | "Menit"). Everything becomes *working minutes*; one
hari is one office day of 8 hours, which is what makes the documents' own stated totals
add up (seed 001: 6 hari + 485 menit = "7 hr 5 Menit" = 3365 minutes).

Published SOPs also write "1 Hari Kerja", "2 Minggu", "3 Bulan", "1 Semester",
"1 x 24 jam", ranges ("2-3 hari") and "Paling lambat 17 hari kerja". A minggu is 5 hari
kerja, a bulan 20 hari kerja (4 minggu), a semester 6 bulan, a tahun 12 bulan; "N x 24
jam" is N hari (a day's turnaround, counted in office days). A range stands for its upper
bound (the standard is the latest acceptable time) and keeps its lower bound in
:class:`Duration`. "Setiap Saat", "Sesuai jadwal", "Sesuai kebutuhan" state no standard
time at all: :func:`read_duration` gives ``minutes=None`` and :func:`parse_duration`
refuses them with :class:`NoStandardTimeError`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MINUTES_PER_HARI = 8 * 60
MINUTES_PER_JAM = 60
MINUTES_PER_MINGGU = 5 * MINUTES_PER_HARI
MINUTES_PER_BULAN = 20 * MINUTES_PER_HARI

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
    "minggu": MINUTES_PER_MINGGU,
    "mgg": MINUTES_PER_MINGGU,
    "pekan": MINUTES_PER_MINGGU,
    "week": MINUTES_PER_MINGGU,
    "weeks": MINUTES_PER_MINGGU,
    "bulan": MINUTES_PER_BULAN,
    "bln": MINUTES_PER_BULAN,
    "month": MINUTES_PER_BULAN,
    "months": MINUTES_PER_BULAN,
    "semester": 6 * MINUTES_PER_BULAN,
    "tahun": 12 * MINUTES_PER_BULAN,
    "thn": 12 * MINUTES_PER_BULAN,
    "year": 12 * MINUTES_PER_BULAN,
    "menit": 1,
    "mnt": 1,
    "m": 1,
    "min": 1,
    "minute": 1,
    "minutes": 1,
}

_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([a-zA-Z]+)\.?")
_NUM = r"\d+(?:[.,]\d+)?"
_RANGE = re.compile(rf"({_NUM})\s*(?:-|–|—|s/d|s\.d\.?|sampai|hingga|sd)\s*({_NUM})\s*(?=[a-zA-Z])", re.IGNORECASE)
_TIMES_24 = re.compile(rf"({_NUM})\s*[x×]\s*24\s*jam", re.IGNORECASE)
_PREFIX = re.compile(r"^(?:paling lambat|paling lama|maksimal|maksimum|maks\.?|max\.?|selambat-lambatnya|"
                     r"selama|kurang lebih|lebih kurang|±|\+/-|sekitar)\s*", re.IGNORECASE)
_KERJA = re.compile(r"\b(hari|hr|minggu|bulan)\s+kerja\b", re.IGNORECASE)
NO_STANDARD_TIME = ("setiap saat", "sesuai jadwal", "sesuai kebutuhan", "menyesuaikan", "tentatif",
                    "sewaktu-waktu", "insidental", "tidak tentu")
"""Phrases that state no standard time: such a step is never overdue."""


class DurationError(ValueError):
    """A standard time that cannot be read; the message quotes the offending text."""


class NoStandardTimeError(DurationError):
    """The text says there is no standard time ("Setiap Saat"); see :func:`read_duration`."""


@dataclass(frozen=True)
class Duration:
    """A Waktu cell read: `minutes` None means no standard time; `low` the lower bound of a range."""

    minutes: int | None
    low: int | None = None
    text: str = ""


def _no_standard(text: str) -> bool:
    cleaned = " ".join(text.lower().split()).strip(" .")
    return any(cleaned.startswith(p) for p in NO_STANDARD_TIME)


def read_duration(value: str | Sequence[str] | int) -> Duration:
    """Like :func:`parse_duration`, but a "no standard time" phrase gives ``minutes=None``."""
    try:
        minutes = parse_duration(value)
    except NoStandardTimeError:
        return Duration(None, text=str(value))
    text = value if isinstance(value, str) else ""
    match = _RANGE.search(text)
    low = None
    if match:
        low = parse_duration(_RANGE.sub(lambda m: f"{m.group(1)} ", text, count=1))
    return Duration(minutes, low, str(value))


def _normalise(text: str) -> str:
    """Rewrite the published forms ("1 Hari Kerja", "2-3 hari", "1 x 24 jam") to plain parts."""
    text = _PREFIX.sub("", text.strip())
    text = _TIMES_24.sub(lambda m: f"{m.group(1)} hari", text)
    text = _RANGE.sub(lambda m: f"{m.group(2)} ", text)
    return _KERJA.sub(lambda m: m.group(1), text)


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
    if _no_standard(text):
        raise NoStandardTimeError(f"tanpa waktu baku: {text!r}")
    cleaned = _normalise(" ".join(text.replace("|", " ").split()))
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

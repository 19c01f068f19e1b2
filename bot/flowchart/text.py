"""Text measuring, wrapping and the flowchart's labels in Indonesian and English.

The layout is computed before anything is drawn (so tests can check it), which means the
height of every wrapped cell must be known up front. Widths are measured with the same
font matplotlib draws with (the bundled DejaVu Sans), so a wrapped line never spills
over its cell in the PNG.
"""

from __future__ import annotations

from functools import lru_cache

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

FONT_FAMILY = "DejaVu Sans"
BODY_PT = 9.0  # smallest text on the page: the floor for legibility on a phone
TITLE_PT = 12.5
LINE_FACTOR = 1.22  # line pitch as a multiple of the font size
CONNECTOR_LABEL_W = 80.0  # "ke langkah 3 (hlm. 2)" wraps instead of running over the table

_MEASURER = TextToPath()

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "no": "No",
        "aktivitas": "Aktivitas",
        "pelaksana": "Pelaksana",
        "mutu_baku": "Mutu Baku",
        "kelengkapan": "Kelengkapan",
        "waktu": "Waktu",
        "output": "Output",
        "keterangan": "Keterangan",
        "yes": "Ya",
        "no_branch": "Tidak",
        "back_to": "Kembali ke langkah {step}",
        "skip_to": "Lanjut ke langkah {step}",
        "to_page": "ke hlm. {page}",
        "from_page": "dari hlm. {page}",
        "to_step_page": "ke langkah {step} (hlm. {page})",
        "from_step_page": "dari langkah {step} (hlm. {page})",
        "page": "Halaman {page} dari {pages}",
        "done": "Selesai",
        "current": "Sedang berjalan",
        "pending": "Belum",
        "current_actor": "Pelaksana saat ini",
        "inferred_actor": "Pelaksana disimpulkan",
        "total": "Jumlah waktu: {time}",
        "decision_note": "{no} → langkah {step}",
    },
    "en": {
        "no": "No",
        "aktivitas": "Activity",
        "pelaksana": "Actors",
        "mutu_baku": "Quality standard",
        "kelengkapan": "Requirements",
        "waktu": "Time",
        "output": "Output",
        "keterangan": "Notes",
        "yes": "Yes",
        "no_branch": "No",
        "back_to": "Back to step {step}",
        "skip_to": "Skip to step {step}",
        "to_page": "to p. {page}",
        "from_page": "from p. {page}",
        "to_step_page": "to step {step} (p. {page})",
        "from_step_page": "from step {step} (p. {page})",
        "page": "Page {page} of {pages}",
        "done": "Done",
        "current": "In progress",
        "pending": "Pending",
        "current_actor": "Current actor",
        "inferred_actor": "Actor inferred",
        "total": "Total time: {time}",
        "decision_note": "{no} → step {step}",
    },
}


def label(lang: str, key: str, **values: object) -> str:
    """A UI string in `lang`; unknown languages fall back to Indonesian, the documents' own."""
    table = LABELS.get(lang, LABELS["id"])
    return table[key].format(**values)


@lru_cache(maxsize=8192)
def text_width(text: str, size: float = BODY_PT, bold: bool = False) -> float:
    """Width of `text` in points when drawn in the flowchart font."""
    if not text:
        return 0.0
    prop = FontProperties(family=FONT_FAMILY, size=size, weight="bold" if bold else "normal")
    width, _, _ = _MEASURER.get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def line_height(size: float = BODY_PT) -> float:
    """Distance between the baselines of two wrapped lines."""
    return size * LINE_FACTOR


def block_height(lines: int, size: float = BODY_PT) -> float:
    """Height taken by `lines` wrapped lines (0 for an empty cell)."""
    return lines * line_height(size)


def _split_long_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    """Break a word wider than the cell: after a slash if possible, else by characters."""
    if "/" in word.strip("/"):
        chunks = [c + "/" for c in word.split("/")]
        chunks[-1] = chunks[-1][:-1]
        pieces: list[str] = []
        for chunk in chunks:
            if pieces and text_width(pieces[-1] + chunk, size, bold) <= width:
                pieces[-1] += chunk
            else:
                pieces.append(chunk)
        if all(text_width(p, size, bold) <= width for p in pieces if p):
            return [p for p in pieces if p]
    parts: list[str] = []
    current = ""
    for char in word:
        if current and text_width(current + char + "-", size, bold) > width:
            parts.append(current + "-")
            current = char
        else:
            current += char
    if current:
        parts.append(current)
    return parts


def wrap(text: str | None, width: float, size: float = BODY_PT, bold: bool = False) -> tuple[str, ...]:
    """Greedy word wrap to `width` points; explicit newlines are kept as line breaks."""
    if not text:
        return ()
    lines: list[str] = []
    for paragraph in text.splitlines():
        words = paragraph.split()
        current = ""
        for word in words:
            pieces = [word] if text_width(word, size, bold) <= width else _split_long_word(word, width, size, bold)
            for piece in pieces:
                candidate = f"{current} {piece}" if current else piece
                if current and text_width(candidate, size, bold) > width:
                    lines.append(current)
                    current = piece
                else:
                    current = candidate
        if current:
            lines.append(current)
    return tuple(lines)


def widest_word(text: str, size: float = BODY_PT, bold: bool = False) -> float:
    """Width of the longest word: the narrowest a column can be without breaking words."""
    return max((text_width(w, size, bold) for w in text.split()), default=0.0)

"""Small SOP AP PDFs drawn in the test with reportlab, one layout feature each.

The layout follows the published documents: a cover table on page 1; on page 2 the step
table with "Pelaksana" and "Mutu Baku" merged over their columns, a column-number row
"(1) … (8)" and vector flowchart symbols; on page 3 the table continues without its header.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen.canvas import Canvas

H = 612.0  # page height: reportlab measures from the bottom, pdfplumber from the top
COLS = [30, 60, 220, 300, 380, 460, 560, 640, 760]  # No | Aktivitas | A | B | C | Kelengkapan | Waktu | Output
ROLES = ["Kepala Sub Bagian Umum", "Staf Pelaksana", "Pihak Ketiga"]


def _center(col: int) -> float:
    return (COLS[col + 2] + COLS[col + 3]) / 2  # role column `col` (0 = A)


def _box(c: Canvas, col: int, y_mid: float) -> tuple[float, float, float, float]:
    x = _center(col)
    c.rect(x - 20, y_mid - 9, 40, 18, stroke=1, fill=0)
    return x - 20, y_mid - 9, x + 20, y_mid + 9


def _diamond(c: Canvas, col: int, y_mid: float) -> None:
    x = _center(col)
    path = c.beginPath()
    path.moveTo(x, y_mid + 14)
    path.lineTo(x + 18, y_mid)
    path.lineTo(x, y_mid - 14)
    path.lineTo(x - 18, y_mid)
    path.close()
    c.drawPath(path, stroke=1, fill=0)


def _arrow(c: Canvas, x: float, y: float, direction: str) -> None:
    """A filled triangle whose tip is at (x, y)."""
    path = c.beginPath()
    path.moveTo(x, y)
    if direction == "down":
        path.lineTo(x - 3, y + 5)
        path.lineTo(x + 3, y + 5)
    elif direction == "right":
        path.lineTo(x - 5, y + 3)
        path.lineTo(x - 5, y - 3)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


def _text(c: Canvas, x: float, y: float, text: str, size: float = 7) -> None:
    c.setFont("Helvetica", size)
    c.drawString(x, y, text)


def _row(c: Canvas, top: float, bottom: float, no: str, aktivitas: str, kel: str, waktu: str, out: str) -> None:
    c.line(COLS[0], bottom, COLS[-1], bottom)
    mid = (top + bottom) / 2
    _text(c, COLS[0] + 4, mid, no)
    _text(c, COLS[1] + 4, mid, aktivitas)
    _text(c, COLS[5] + 4, mid, kel)
    _text(c, COLS[6] + 4, mid, waktu)
    _text(c, COLS[7] + 4, mid, out)


def _verticals(c: Canvas, top: float, bottom: float) -> None:
    for x in COLS:
        c.line(x, top, x, bottom)


def _cover(c: Canvas, nama: str) -> None:
    rows = [("Nomor SOP", "SOP-7/UJI/2026"), ("Tanggal Pembuatan", "2 Januari 2026"), ("Disahkan oleh", "Kepala Dinas Uji"),
            ("NAMA SOP", nama)]
    top = 560.0
    for i, (label, value) in enumerate(rows):
        y = top - 20 * (i + 1)
        _text(c, 404, y + 6, label, 8)
        _text(c, 554, y + 6, value, 8)
        c.line(400, y, 760, y)
    c.line(30, top, 760, top)
    _text(c, 40, top - 30, "DINAS UJI COBA", 9)
    _text(c, 40, top - 45, "SUBBAGIAN UMUM", 9)
    for x in (30, 400, 550, 760):
        c.line(x, top, x, top - 80)
    c.line(30, top - 80, 400, top - 80)
    _text(c, 40, top - 100, "DASAR HUKUM :", 8)
    _text(c, 40, top - 112, "1. Peraturan Uji Nomor 1 Tahun 2026", 8)
    _text(c, 404, top - 100, "KUALIFIKASI PELAKSANA :", 8)
    _text(c, 404, top - 112, "1. Memahami tata naskah", 8)


def _header(c: Canvas, top: float) -> float:
    """Two header rows (merged Pelaksana / Mutu Baku) and the column-number row; returns its bottom."""
    mid, low, numbers = top - 20, top - 50, top - 65
    c.line(COLS[0], top, COLS[-1], top)
    c.line(COLS[2], mid, COLS[5], mid)
    c.line(COLS[5], mid, COLS[8], mid)
    c.line(COLS[0], low, COLS[-1], low)
    c.line(COLS[0], numbers, COLS[-1], numbers)
    for x in (COLS[0], COLS[1], COLS[2], COLS[5], COLS[8]):
        c.line(x, top, x, numbers)
    for x in (COLS[3], COLS[4], COLS[6], COLS[7]):
        c.line(x, mid, x, numbers)
    _text(c, COLS[0] + 4, low + 12, "No")
    _text(c, COLS[1] + 4, low + 12, "Kegiatan")
    _text(c, 320, mid + 7, "Pelaksana")
    _text(c, 590, mid + 7, "Mutu Baku")
    for i, role in enumerate(ROLES):
        words = role.split()
        _text(c, COLS[2 + i] + 3, low + 18, " ".join(words[:2]), 6)
        _text(c, COLS[2 + i] + 3, low + 10, " ".join(words[2:]), 6)
    for col, name in ((5, "Kelengkapan"), (6, "Waktu"), (7, "Output")):
        _text(c, COLS[col] + 4, low + 12, name)
    for i in range(8):
        _text(c, COLS[i] + 4, numbers + 4, f"({i + 1})", 6)
    return numbers


def write_sop_pdf(path: Path, nama: str = "Uji Impor Surat") -> Path:
    """Three pages: cover; steps 1–4 with a chain A→B (step 2) and a decision (step 3) whose
    "Tidak" goes back to step 1; step 5 on a page of its own without the header."""
    return write_bound_pdf(path, [nama])


def write_bound_pdf(path: Path, names: list[str]) -> Path:
    """Several SOPs bound in one PDF, three pages each (see :func:`write_sop_pdf`)."""
    c = Canvas(str(path), pagesize=landscape(letter))
    for nama in names:
        _draw_sop(c, nama)
    c.save()
    return path


def _draw_sop(c: Canvas, nama: str) -> None:
    c.setLineWidth(0.8)
    _cover(c, nama)
    c.showPage()
    c.setLineWidth(0.8)
    top = _header(c, 560.0)
    heights = [(top - 70 * i, top - 70 * (i + 1)) for i in range(4)]
    steps = [("1", "Menerima surat masuk", "Surat", "10 Menit", "Surat diterima"),
             ("2", "Mencatat dan meneruskan surat", "Buku agenda", "2 Minggu", "Surat tercatat"),
             ("3", "Memeriksa kelengkapan surat", "Surat", "1 x 24 jam", "Surat diperiksa"),
             ("4", "Mengarsipkan surat", "Map arsip", "1 - 2 hari kerja", "Arsip")]
    for (t, b), step in zip(heights, steps):
        _row(c, t, b, *step)
    _verticals(c, top, heights[-1][1])
    mids = [(t + b) / 2 for t, b in heights]
    _, b1, _, _ = _box(c, 0, mids[0])  # step 1 in A
    x_a = _center(0)
    c.line(x_a, b1, x_a, mids[1] + 9 + 1)
    _arrow(c, x_a, mids[1] + 9, "down")
    _box(c, 0, mids[1])  # step 2: A then B
    c.line(x_a + 20, mids[1], _center(1) - 20 - 5, mids[1])
    _arrow(c, _center(1) - 20, mids[1], "right")
    _box(c, 1, mids[1])
    x_b = _center(1)
    c.line(x_b, mids[1] - 9, x_b, mids[2] + 14 + 5)
    _arrow(c, x_b, mids[2] + 14, "down")
    _diamond(c, 1, mids[2])  # step 3 in B: decision
    c.line(x_b, mids[2] - 14, x_b, mids[3] + 9 + 5)  # "Ya" down to step 4
    _arrow(c, x_b, mids[3] + 9, "down")
    _text(c, x_b + 4, mids[2] - 24, "Ya", 6)
    back_x = COLS[2] + 8  # "Tidak": left, up the A column's edge, into step 1's box
    c.line(x_b - 18, mids[2], back_x, mids[2])
    c.line(back_x, mids[2], back_x, mids[0])
    c.line(back_x, mids[0], x_a - 20 - 5, mids[0])
    _arrow(c, x_a - 20, mids[0], "right")
    _text(c, x_b - 36, mids[2] + 4, "Tidak", 6)
    _box(c, 1, mids[3])  # step 4 in B
    c.showPage()
    c.setLineWidth(0.8)
    top2, bottom2 = 560.0, 480.0
    c.line(COLS[0], top2, COLS[-1], top2)
    _row(c, top2, bottom2, "5", "Melaporkan surat yang diarsipkan", "Arsip", "Sesuai jadwal", "Laporan")
    _verticals(c, top2, bottom2)
    _box(c, 2, (top2 + bottom2) / 2)  # step 5 in C
    c.showPage()


def write_prose_pdf(path: Path) -> Path:
    """A regulation-like PDF: paragraphs, no step table."""
    c = Canvas(str(path), pagesize=landscape(letter))
    lines = ["PERATURAN KEPALA DINAS UJI NOMOR 1 TAHUN 2026", "TENTANG TATA NASKAH DINAS",
             "Pasal 1: Dalam peraturan ini yang dimaksud dengan naskah dinas adalah komunikasi tertulis.",
             "Pasal 2: Naskah dinas disusun oleh unit kerja sesuai kewenangannya masing-masing."] * 4
    for i, line in enumerate(lines):
        _text(c, 40, 560 - 16 * i, line, 9)
    c.showPage()
    c.save()
    return path

"""The part of an SOP AP document above the procedure table: identity block and sections.

The identity block is a label/value table (Nomor SOP, Tgl. Pembuatan, ..., Disahkan oleh,
Nama SOP) with the government, agency and unit written in the left-hand cells without
labels. The sections (Dasar hukum, Kualifikasi pelaksana, ...) come as title rows with
two titles side by side and their lists in the cells below them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.sop_import.cells import MARKUP, clean, norm_label, parse_signer, split_items
from bot.sop_import.common import Rows

IDENTITY_LABELS: dict[str, str] = {
    "nomor sop": "nomor", "nomor": "nomor", "no sop": "nomor", "nomor pos": "nomor",
    "tgl pembuatan": "tanggal_pembuatan", "tanggal pembuatan": "tanggal_pembuatan",
    "tgl revisi": "tanggal_revisi", "tanggal revisi": "tanggal_revisi",
    "tgl efektif": "tanggal_efektif", "tanggal efektif": "tanggal_efektif",
    "disahkan oleh": "disahkan_oleh", "nama sop": "nama", "judul sop": "nama", "nama pos": "nama",
    "pemerintah": "pemerintah", "instansi": "instansi", "unit": "unit", "unit kerja": "unit",
}

SECTION_TITLES: tuple[tuple[str, str], ...] = (
    ("dasar hukum", "dasar_hukum"),
    ("kualifikasi pelaksana", "kualifikasi_pelaksana"),
    ("kualitas pelaksana", "kualifikasi_pelaksana"),
    ("keterkaitan", "keterkaitan"),
    ("peralatan", "peralatan"),
    ("perlengkapan", "peralatan"),
    ("peringatan", "peringatan"),
    ("pencatatan", "pencatatan"),
)
_TITLES = ("sop ", "standar operasional prosedur", "standard operating procedure")
SECTION_KEYS = ("dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan", "peringatan", "pencatatan")


@dataclass
class Front:
    """What was read above the procedure table; `identitas` holds raw strings per field."""

    nama: str | None = None
    identitas: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in SECTION_KEYS})
    bad_nip: str | None = None


def _label_key(cell: str) -> tuple[str | None, str]:
    """(identity field, value written in the same cell) for a label cell, else (None, "")."""
    text = clean(cell)
    head, sep, rest = text.partition(":")
    for candidate, inline in ((text, ""), (head, rest) if sep else (None, "")):
        if candidate is None:
            continue
        key = re.sub(r"[.\s]+", " ", norm_label(candidate)).strip()
        if key in IDENTITY_LABELS:
            return IDENTITY_LABELS[key], inline.strip()
    return None, ""


def section_of(cell: str) -> str | None:
    label = re.sub(r"\s+", " ", norm_label(cell).replace("/", " / "))
    for title, key in SECTION_TITLES:
        if label.startswith(title):
            return key
    return None


def _chunks(cell: str) -> list[str]:
    return [c for c in (clean(p) for p in MARKUP.sub("\n", cell).split("\n")) if c]


def _assign_free_cell(front: Front, cell: str) -> None:
    """Unlabelled identity cells: "PEMERINTAH ..." then the agency, then the unit."""
    rest = []
    for chunk in _chunks(cell):
        if chunk.lower().startswith("pemerintah") and "pemerintah" not in front.identitas:
            front.identitas["pemerintah"] = chunk
        elif chunk.lower().startswith(_TITLES) or chunk.lower() == "logo":
            continue
        else:
            rest.append(chunk)
    if not rest:
        return
    text = " ".join(rest)
    if "instansi" not in front.identitas:
        front.identitas["instansi"] = text
    elif "unit" not in front.identitas:
        front.identitas["unit"] = text


def _set_identity(front: Front, key: str, value: str) -> None:
    if key == "disahkan_oleh":
        signer, bad = parse_signer(value)
        if signer:
            front.identitas["disahkan_oleh"] = signer
        front.bad_nip = bad
    elif key == "nama":
        front.nama = clean(value).lstrip(": ").strip() or None
    else:
        text = clean(value).lstrip(": ").strip()
        if text:
            front.identitas[key] = text


def read_front(rows: Rows) -> Front:
    """Identity fields and section lists from the rows above the procedure header."""
    front = Front()
    in_identity = True
    columns: dict[int, str] = {}
    pending_nama = False
    free_cells: list[str] = []
    for row in rows:
        cells = [(i, c) for i, c in enumerate(row) if clean(c).strip(":")]  # a lone ":" cell is layout
        if not cells:
            continue
        titles = {i: section_of(c) for i, c in cells}
        if all(titles.values()):
            in_identity = False
            columns = {i: key for i, key in titles.items() if key}
            continue
        if pending_nama and front.nama is None:
            front.nama = clean(cells[0][1])
            pending_nama = False
            continue
        if in_identity:
            consumed: set[int] = set()
            for pos, (i, cell) in enumerate(cells):
                if i in consumed:
                    continue
                key, inline = _label_key(cell)
                if key is None:
                    continue
                consumed.add(i)
                value = inline
                if not value and pos + 1 < len(cells) and _label_key(cells[pos + 1][1])[0] is None:
                    value = cells[pos + 1][1]
                    consumed.add(cells[pos + 1][0])
                if value.strip(" :"):
                    _set_identity(front, key, value)
                elif key == "nama":
                    pending_nama = True
            free_cells.extend(c for i, c in cells if i not in consumed)
            continue
        for i, cell in cells:
            target = columns.get(i)
            if target is None and columns:
                left = [c for c in columns if c <= i]
                target = columns[max(left)] if left else columns[min(columns)]
            if target:
                front.sections[target].extend(split_items(cell))
    for cell in free_cells:
        _assign_free_cell(front, cell)
    return front

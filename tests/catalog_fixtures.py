"""SOP documents for the catalogue tests, made with the project's own exporter.

`marked_docx` is the renja-bappeda-kalbar seed written as Word by
:func:`bot.sop_import.export_layout.write_docx`, then spoiled the way real documents are:
the Kasubbag column lost its header (so the importer cannot name it, nor find the
supervisor), step 2 lost its actor mark, step 3's time says "segera".
"""

from __future__ import annotations

import io
from pathlib import Path

import docx

from bot.sop.loader import load_file
from bot.domain.sop import SopDefinition
from bot.sop_import.export_layout import write_docx

SOP_DATA = Path(__file__).resolve().parents[1] / "sop_data"
KALBAR = "renja-bappeda-kalbar"


def seed(sop_id: str = KALBAR) -> SopDefinition:
    return load_file(SOP_DATA / f"{sop_id}.yaml").definition


def docx_bytes(sop: SopDefinition, tmp: Path) -> bytes:
    path = tmp / f"{sop.id}.docx"
    write_docx(sop, path)
    return path.read_bytes()


def marked_docx(tmp: Path, sop: SopDefinition | None = None) -> bytes:
    """The seed as Word with three gaps a person must fill in (see the module docstring)."""
    sop = sop or seed()
    document = docx.Document(io.BytesIO(docx_bytes(sop, tmp)))
    table = document.tables[2]
    roles = len(sop.roles)
    table.cell(1, 2).text = ""  # the first role's column header (Kasubbag …)
    for column in range(2, 2 + roles):  # step 2's actor marks
        table.cell(3, column).text = ""
    table.cell(4, 2 + roles + 1).text = "segera"  # step 3's waktu
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

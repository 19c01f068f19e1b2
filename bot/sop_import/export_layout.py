"""Write an SOP definition back out as a Word or Excel document in the SOP AP layout.

Offices keep their SOPs as Word/Excel files; this produces one from a definition (the
identity table, the six sections, the procedure table with "Pelaksana" and "Mutu Baku"
spanning their sub-columns and flowchart symbol numbers in the role columns). It is also
what the import tests feed back into `import_document`, so the two stay in step.
Decisions have no place in the table: a decision step is written as a plain row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.domain.sop import SopDefinition, Step

SECTION_TITLES = (
    (("DASAR HUKUM", "dasar_hukum"), ("KUALIFIKASI PELAKSANA", "kualifikasi_pelaksana")),
    (("KETERKAITAN", "keterkaitan"), ("PERALATAN/PERLENGKAPAN", "peralatan")),
    (("PERINGATAN", "peringatan"), ("PENCATATAN DAN PENDATAAN", "pencatatan")),
)


@dataclass
class Block:
    """One table: cell texts ("\\n" separates paragraphs) and merges (row0, col0, row1, col1)."""

    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    header_rows: int = 0


def _waktu_text(value: str | list[str] | int) -> str:
    if isinstance(value, int):
        return f"{value} menit"
    return value if isinstance(value, str) else " ".join(value)


def symbol_numbers(sop: SopDefinition) -> list[list[int]]:
    """The symbol number of every actor: the paper's own where it has increasing ones, else counted on."""
    counter = 0
    result = []
    for step in sop.steps:
        given = [a.simbol for a in step.actors]
        usable = all(n is not None for n in given) and all(
            b > a for a, b in zip(given, given[1:])  # type: ignore[operator]
        ) and given[0] > counter  # type: ignore[operator]
        numbers = [int(n) for n in given] if usable else list(range(counter + 1, counter + 1 + len(given)))  # type: ignore[arg-type]
        counter = numbers[-1]
        result.append(numbers)
    return result


def identity_block(sop: SopDefinition) -> Block:
    ident = sop.identitas
    signer = ident.disahkan_oleh
    signer_lines = []
    if signer is not None:
        signer_lines = [signer.jabatan, signer.nama or "", signer.pangkat or "", f"NIP. {signer.nip}" if signer.nip else ""]
    left = "\n".join(x for x in (ident.pemerintah, ident.instansi) if x)
    rows = [
        [left, "Nomor SOP", ident.nomor or ""],
        ["", "Tgl. Pembuatan", ident.tanggal_pembuatan or ""],
        ["", "Tgl. Revisi", ident.tanggal_revisi or ""],
        ["", "Tgl. Efektif", ident.tanggal_efektif or ""],
        [ident.unit or "", "Disahkan oleh", "\n".join(x for x in signer_lines if x)],
        ["", "Nama SOP", sop.nama],
    ]
    return Block(rows, merges=[(0, 0, 3, 0), (4, 0, 5, 0)])


def sections_block(sop: SopDefinition) -> Block:
    rows = []
    for pair in SECTION_TITLES:
        rows.append([title for title, _key in pair])
        rows.append(["\n".join(f"{n}. {item}" for n, item in enumerate(getattr(sop, key), 1)) for _t, key in pair])
    return Block(rows)


def procedure_block(sop: SopDefinition) -> Block:
    """The procedure table: two header rows, one row per step, the stated total last."""
    n_roles = len(sop.roles)
    mutu = 2 + n_roles
    width = mutu + 4
    top = ["No", "Aktivitas", "Pelaksana"] + [""] * (n_roles - 1) + ["Mutu Baku", "", "", "Keterangan"]
    sub = ["", ""] + [r.nama for r in sop.roles] + ["Kelengkapan", "Waktu", "Output", ""]
    merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, mutu - 1), (0, mutu, 0, mutu + 2), (0, width - 1, 1, width - 1)]
    if n_roles == 1:
        merges.remove((0, 2, 0, mutu - 1))
    rows = [top, sub]
    index = {r.key: i for i, r in enumerate(sop.roles)}
    for step, numbers in zip(sop.steps, symbol_numbers(sop)):
        rows.append(_step_row(step, numbers, index, n_roles))
    if sop.jumlah_waktu is not None:
        total = ["Jumlah waktu"] + [""] * (width - 1)
        total[mutu + 1] = _waktu_text(sop.jumlah_waktu)
        rows.append(total)
        merges.append((len(rows) - 1, 0, len(rows) - 1, mutu))
    return Block(rows, merges, header_rows=2)


def _step_row(step: Step, numbers: list[int], index: dict[str, int], n_roles: int) -> list[str]:
    marks: list[list[str]] = [[] for _ in range(n_roles)]
    for actor, number in zip(step.actors, numbers):
        marks[index[actor.role]].append(str(number))
    return (
        [str(step.no), step.aktivitas]
        + [", ".join(m) for m in marks]
        + [step.kelengkapan or "", _waktu_text(step.waktu), step.output or "", step.keterangan or ""]
    )


def layout(sop: SopDefinition) -> list[Block]:
    return [identity_block(sop), sections_block(sop), procedure_block(sop)]


def write_docx(sop: SopDefinition, path: Path) -> None:
    """A landscape Word document: title, identity table, sections table, procedure table."""
    import docx
    from docx.enum.section import WD_ORIENT

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_paragraph().add_run("STANDAR OPERASIONAL PROSEDUR").bold = True
    for block in layout(sop):
        width = max(len(r) for r in block.rows)
        table = document.add_table(rows=len(block.rows), cols=width)
        table.style = "Table Grid"
        for r0, c0, r1, c1 in block.merges:
            table.cell(r0, c0).merge(table.cell(r1, c1))
        covered = {(r, c) for r0, c0, r1, c1 in block.merges for r in range(r0, r1 + 1)
                   for c in range(c0, c1 + 1) if (r, c) != (r0, c0)}
        for r, row in enumerate(block.rows):
            for c, text in enumerate(row):
                if (r, c) in covered or not text:
                    continue
                cell = table.cell(r, c)
                first, *rest = text.split("\n")
                cell.paragraphs[0].text = first
                for line in rest:
                    cell.add_paragraph(line)
                if r < block.header_rows:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        document.add_paragraph()
    document.save(str(path))


def write_xlsx(sop: SopDefinition, path: Path) -> None:
    """One sheet: the same three tables stacked, merged cells as in the Word layout."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "SOP"
    sheet.cell(row=1, column=1, value="STANDAR OPERASIONAL PROSEDUR").font = Font(bold=True)
    offset = 2
    for block in layout(sop):
        for r, row in enumerate(block.rows):
            for c, text in enumerate(row):
                if not text:
                    continue
                value: str | int = int(text) if text.isdigit() else text
                cell = sheet.cell(row=offset + r + 1, column=c + 1, value=value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if r < block.header_rows:
                    cell.font = Font(bold=True)
        for r0, c0, r1, c1 in block.merges:
            sheet.merge_cells(start_row=offset + r0 + 1, start_column=c0 + 1,
                              end_row=offset + r1 + 1, end_column=c1 + 1)
        offset += len(block.rows) + 1
    sheet.column_dimensions["B"].width = 60
    workbook.save(str(path))

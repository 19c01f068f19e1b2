"""``monev-<periode>.docx`` in the regulation's layout, and the on-time chart.

The Word file is landscape (A4) with the two tables of Permenpan RB 35/2012 BAB IV, one
row per SOP: "Monitoring Pelaksanaan SOP AP" (No. | Prosedur | Penilaian Terhadap
Penerapan | Catatan Hasil Penilaian | Tindakan yang Harus Diambil | Paraf Penilai, with
the regulation's column-number row 1–6 under the header; the assessment cell shows both
choices with the one that applies ticked) and "Evaluasi Penerapan SOP AP" (the seven
criteria with the share of Ya, the actors' notes, and the Tindakan). The chart draws the
share of step passes within the Mutu Baku per SOP against the assessment threshold.
"""

from __future__ import annotations

import io
import textwrap

from bot.monev.labels import label, local_time
from bot.monev.model import EvaluationRow, MonevForm, MonitoringRow
from bot.monev.rules import CRITERIA, criterion_text
from bot.monev.sentences import assessment_text, catatan, tindakan

TICK, BOX = "☑", "☐"


def procedure(row: MonitoringRow | EvaluationRow, form: MonevForm) -> str:
    """The SOP's name, with its group when the form covers several groups."""
    several = len({r.chat_id for r in form.monitoring}) > 1
    return f"{row.nama} ({row.chat_title})" if several else row.nama


def assessment_cell(value: bool | None, lang: str) -> str:
    """Both of the regulation's choices, the one that applies ticked (none: not assessable)."""
    good, bad = assessment_text(True, lang), assessment_text(False, lang)
    lines = [f"{TICK if value is True else BOX} {good}", f"{TICK if value is False else BOX} {bad}"]
    if value is None:
        lines.append(assessment_text(None, lang))
    return "\n".join(lines)


def paraf_cell(form: MonevForm, chat_id: int, lang: str) -> str:
    paraf = form.paraf_for(chat_id)
    if paraf is None:
        return label(lang, "not_signed")
    return label(lang, "paraf_by", name=paraf.name, when=local_time(paraf.signed_at, form.timezone))


def criterion_cell(row: EvaluationRow, index: int, lang: str) -> str:
    tally = row.criteria[index]
    if not tally.answered:
        return "–"
    return f"{label(lang, 'yes')} {round(100 * tally.yes / tally.answered)}% ({tally.yes}/{tally.answered})"


def monev_docx(form: MonevForm, lang: str) -> bytes:
    """The two tables as a landscape Word document."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    document.styles["Normal"].font.size = Pt(9)
    heading = label(lang, "period", first=form.first, last=form.last, key=form.period)

    document.add_heading(label(lang, "monitoring_title"), level=1)
    document.add_paragraph(heading)
    headers = [label(lang, k) for k in ("no", "procedure", "assessment", "notes", "action", "paraf")]
    rows = [[f"{i}.", procedure(r, form), assessment_cell(r.assessment, lang), catatan(r, lang),
             tindakan(r, lang), paraf_cell(form, r.chat_id, lang)] for i, r in enumerate(form.monitoring, 1)]
    _table(document, headers, rows, [Cm(1.0), Cm(4.2), Cm(4.0), Cm(8.5), Cm(5.5), Cm(3.5)], numbered=True)
    document.add_paragraph(form.rule.describe(lang))

    document.add_page_break()
    document.add_heading(label(lang, "evaluation_title"), level=1)
    document.add_paragraph(heading)
    headers = [label(lang, "no"), label(lang, "procedure"), *(criterion_text(i, lang) for i in range(len(CRITERIA))),
               label(lang, "quoted"), label(lang, "action")]
    actions = {(r.chat_id, r.sop_id): tindakan(r, lang) for r in form.monitoring}
    rows = [[f"{i}.", procedure(e, form) + "\n" + label(lang, "invited", responded=e.responded, invited=e.invited),
             *(criterion_cell(e, c, lang) for c in range(len(CRITERIA))),
             "\n".join(f"“{n}”" for n in e.notes) or "–", actions.get((e.chat_id, e.sop_id), "")]
            for i, e in enumerate(form.evaluation, 1)]
    _table(document, headers, rows, [Cm(0.9), Cm(3.6), *([Cm(2.0)] * len(CRITERIA)), Cm(4.6), Cm(3.6)],
           numbered=True)
    document.add_paragraph(label(lang, "generated", when=local_time(form.generated_at, form.timezone)))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document: object, headers: list[str], rows: list[list[str]], widths: list[object],
           numbered: bool) -> None:
    """A bordered table: bold header, the regulation's column numbers, then the rows."""
    table = document.add_table(rows=1, cols=len(headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    if numbered:
        for cell, number in zip(table.add_row().cells, range(1, len(headers) + 1)):
            cell.text = f"({number})"
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = text
    for column, width in zip(table.columns, widths):
        for cell in column.cells:
            cell.width = width


def monev_chart(form: MonevForm, lang: str) -> bytes:
    """Horizontal bars: share of step passes on time per SOP, the threshold as a line."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = list(form.monitoring)
    names = ["\n".join(textwrap.wrap(procedure(r, form), 30, max_lines=2, placeholder="…")) for r in rows]
    values = [100 * (r.on_time_rate or 0.0) for r in rows]
    threshold = 100 * form.min_on_time
    figure = Figure(figsize=(6.4, 1.4 + 0.6 * len(rows)), dpi=170)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    colours = ["#2f9e44" if r.assessment else "#adb5bd" if r.assessment is None else "#e03131" for r in rows]
    positions = list(range(len(rows)))[::-1]
    axes.barh(positions, values, color=colours, height=0.5)
    axes.set_yticks(positions, names, fontsize=8)
    axes.set_xlim(0, 115)
    axes.set_ylim(-0.7, len(rows) - 0.4)
    axes.axvline(threshold, color="#212529", linestyle="--", linewidth=1,
                 label=label(lang, "chart_threshold", percent=round(threshold)))
    for y, value, row in zip(positions, values, rows):
        text = "–" if row.on_time_rate is None else f"{round(value)}% ({row.on_time_passes}/{row.finished_passes})"
        axes.text(min(value, 100) + 1, y + 0.08, text, va="bottom", fontsize=7.5)
        axes.text(1, y - 0.42, assessment_text(row.assessment, lang), va="bottom", fontsize=7, color="#212529")
    axes.set_xlabel(label(lang, "chart_axis"), fontsize=8)
    axes.set_title(label(lang, "chart_title", key=form.period), fontsize=10)
    axes.legend(fontsize=7, loc="lower right")
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()

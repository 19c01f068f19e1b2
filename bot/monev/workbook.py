"""``monev-<periode>.xlsx``: the same figures as the Word file, in three sheets.

* **Monitoring** — one row per SOP: the regulation's six columns, then the facts behind
  them as numbers (runs, finished, cancelled, passes, on-time share, returns, on-behalf
  confirmations, nags, the late steps).
* **Evaluasi** — one row per SOP: respondents, then per criterion Ya and answered counts
  and the Ya share, the notes, the Tindakan.
* **Rincian** — one row per run of the period.

Sheet names stay the same in English chats; only the headers are translated.
"""

from __future__ import annotations

import io

from bot.monev.documents import paraf_cell, procedure
from bot.monev.labels import SHEET_DETAILS, SHEET_EVALUATION, SHEET_MONITORING, label
from bot.monev.model import MonevForm
from bot.monev.rules import CRITERIA, criterion_text
from bot.monev.sentences import assessment_text, catatan, tindakan
from bot.reports.labels import duration


def monev_workbook(form: MonevForm, lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_MONITORING
    sheet.append([label(lang, "monitoring_title"), label(lang, "period", first=form.first, last=form.last,
                                                        key=form.period)])
    sheet.append([label(lang, k) for k in ("no", "procedure", "assessment", "notes", "action", "paraf", "group",
                                           "sop_id", "started", "finished", "cancelled", "running",
                                           "finished_passes", "on_time_passes", "on_time", "returns",
                                           "on_behalf", "nags", "late_steps")])
    for i, r in enumerate(form.monitoring, 1):
        rate = round(100 * r.on_time_rate) if r.on_time_rate is not None else None
        late = "; ".join(f"{s.no}: {s.late_passes}× +{duration(s.average_overrun_minutes, lang)}" for s in r.late_steps)
        sheet.append([i, procedure(r, form), assessment_text(r.assessment, lang), catatan(r, lang), tindakan(r, lang),
                      paraf_cell(form, r.chat_id, lang), r.chat_title, r.sop_id, r.started, r.finished, r.cancelled,
                      r.running, r.finished_passes, r.on_time_passes, rate, r.returns_total,
                      sum(o.count for o in r.on_behalf), r.nags, late])

    evaluation = book.create_sheet(SHEET_EVALUATION)
    evaluation.append([label(lang, "evaluation_title"), label(lang, "period", first=form.first, last=form.last,
                                                              key=form.period)])
    header = [label(lang, "no"), label(lang, "procedure"), label(lang, "respondents")]
    for index in range(len(CRITERIA)):
        name = criterion_text(index, lang)
        header += [f"{name}: {label(lang, 'yes')}", f"{name}: n", f"{name}: {label(lang, 'yes')} (%)"]
    evaluation.append([*header, label(lang, "quoted"), label(lang, "action")])
    actions = {(r.chat_id, r.sop_id): tindakan(r, lang) for r in form.monitoring}
    for i, e in enumerate(form.evaluation, 1):
        cells: list[object] = [i, procedure(e, form), e.responded]
        for tally in e.criteria:
            cells += [tally.yes, tally.answered, round(100 * tally.yes_rate) if tally.yes_rate is not None else None]
        evaluation.append([*cells, "\n".join(e.notes), actions.get((e.chat_id, e.sop_id), "")])

    details = book.create_sheet(SHEET_DETAILS)
    details.append([label(lang, k) for k in ("group", "run", "title", "sop_id", "status", "start", "end")])
    for group, number, title, sop_id, status, start, end in form.details:
        details.append([group, number, title, sop_id, label(lang, f"status_{status}"), start, end])

    for ws in (sheet, evaluation, details):
        for cell in ws[2 if ws is not details else 1]:
            cell.font = Font(bold=True)
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

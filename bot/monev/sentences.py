"""The monitoring table's words: "Catatan hasil penilaian" as one factual sentence, and a
proposed "Tindakan yang harus diambil", both written from a row's facts.

Pure. The Catatan only restates counts and times (no judgement); the Tindakan follows
fixed, documented triggers (README "Monev"), and the supervisor may replace it from chat
before signing off:

* a step late in two or more passes -> review that step's standard time;
* a decision that sent the run back two or more times -> make that step's criteria clear;
* an internal role confirmed on its holder's behalf -> add a holder for that role;
* a cancelled run -> look into why it was cancelled;
* none of these -> keep applying the SOP as it is.
"""

from __future__ import annotations

from bot.monev.model import MonitoringRow
from bot.reports.labels import duration

#: How many reasons of one kind a Catatan quotes, and how long each may be.
REASONS_QUOTED, REASON_CHARS = 2, 80
REVIEW_LATE_FROM, CLARIFY_RETURNS_FROM = 2, 2

_ID = {
    "runs": "{started} kali dilaksanakan ({finished} selesai, {cancelled} dibatalkan, {running} berjalan)",
    "on_time": "{on_time} dari {passes} putaran langkah tepat waktu ({rate}%)",
    "no_passes": "belum ada langkah yang selesai",
    "late": "langkah {no} terlambat {count}, rata-rata lewat {over}",
    "returns": "{count} dikembalikan di langkah {no} ke langkah {goto}{reasons}",
    "on_behalf": "{count} dikonfirmasi atas nama {role} di langkah {no}{reasons}",
    "nags": "{count} pengingat keterlambatan dikirim",
    "act_late": "tinjau waktu baku langkah {no}",
    "act_returns": "perjelas kriteria pemeriksaan di langkah {no}",
    "act_holder": "tambah pemegang peran {role}",
    "act_cancel": "telusuri penyebab {count} kali pembatalan",
    "act_keep": "pertahankan penerapan SOP",
    "good": "Berjalan dengan baik",
    "bad": "Tidak berjalan dengan baik",
    "none": "Belum dapat dinilai",
}
_EN = {
    "runs": "run {started} times ({finished} finished, {cancelled} cancelled, {running} running)",
    "on_time": "{on_time} of {passes} step passes on time ({rate}%)",
    "no_passes": "no step finished yet",
    "late": "step {no} late {count}, on average {over} over",
    "returns": "returned {count} at step {no} to step {goto}{reasons}",
    "on_behalf": "confirmed {count} on behalf of {role} at step {no}{reasons}",
    "nags": "{count} overdue reminders sent",
    "act_late": "review the standard time of step {no}",
    "act_returns": "make the review criteria of step {no} clear",
    "act_holder": "add a holder for the role {role}",
    "act_cancel": "look into why it was cancelled ({count})",
    "act_keep": "keep applying the SOP",
    "good": "Running well",
    "bad": "Not running well",
    "none": "Not assessable yet",
}


def _w(lang: str, key: str, **params: object) -> str:
    return (_EN if lang == "en" else _ID)[key].format(**params)


def assessment_text(value: bool | None, lang: str) -> str:
    return _w(lang, "good" if value else "none" if value is None else "bad")


def times(count: int, lang: str) -> str:
    """"2 kali" / "twice"-style counts; Indonesian puts "kali" after the number."""
    if lang == "en":
        return "once" if count == 1 else "twice" if count == 2 else f"{count} times"
    return f"{count} kali"


def _quoted(reasons: tuple[str, ...]) -> str:
    if not reasons:
        return ""
    shown = [r if len(r) <= REASON_CHARS else r[: REASON_CHARS - 1] + "…" for r in reasons[:REASONS_QUOTED]]
    more = " …" if len(reasons) > REASONS_QUOTED else ""
    return " (" + "; ".join(f"“{r}”" for r in shown) + more + ")"


def catatan(row: MonitoringRow, lang: str) -> str:
    """The facts of a row in one sentence, in `lang`."""
    parts = [_w(lang, "runs", started=row.started, finished=row.finished, cancelled=row.cancelled,
                running=row.running)]
    if row.finished_passes:
        rate = round(100 * row.on_time_passes / row.finished_passes)
        parts.append(_w(lang, "on_time", on_time=row.on_time_passes, passes=row.finished_passes, rate=rate))
    else:
        parts.append(_w(lang, "no_passes"))
    parts += [_w(lang, "late", no=s.no, count=times(s.late_passes, lang),
                 over=duration(s.average_overrun_minutes, lang)) for s in row.late_steps]
    parts += [_w(lang, "returns", count=times(r.count, lang), no=r.step_no, goto=r.goto, reasons=_quoted(r.reasons))
              for r in row.returns]
    parts += [_w(lang, "on_behalf", count=times(o.count, lang), role=o.role, no=o.step_no,
                 reasons=_quoted(o.reasons)) for o in row.on_behalf]
    if row.nags:
        parts.append(_w(lang, "nags", count=row.nags))
    sentence = "; ".join(parts) + "."
    return sentence[0].upper() + sentence[1:]


def proposed_actions(row: MonitoringRow, lang: str) -> list[str]:
    """What the facts suggest, most pressing first (see the module's triggers)."""
    found = [_w(lang, "act_late", no=s.no) for s in row.late_steps if s.late_passes >= REVIEW_LATE_FROM]
    found += [_w(lang, "act_returns", no=r.step_no) for r in row.returns if r.count >= CLARIFY_RETURNS_FROM]
    found += [_w(lang, "act_holder", role=o.role) for o in row.on_behalf if o.internal]
    if row.cancelled:
        found.append(_w(lang, "act_cancel", count=row.cancelled))
    return list(dict.fromkeys(found)) or [_w(lang, "act_keep")]


def tindakan(row: MonitoringRow, lang: str) -> str:
    """The supervisor's own words when given, else the proposal as one sentence."""
    if row.action_override:
        return row.action_override
    text = "; ".join(proposed_actions(row, lang)) + "."
    return text[0].upper() + text[1:]

"""The /riwayat answer: a run's audit trail as lines a person can read, with evidence.

Bookkeeping events (a step's tasks being created, a language switch) are left out; what
stays is who did what and when, the reasons given, and what was attached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.engine.views import EvidenceView, HistoryEntry, RunView, UserRef
from bot.domain.sop import SopDefinition
from handlers.ui.delegation_text import DELEGATION_EVENTS, delegation_event
from handlers.ui.formatting import esc, mention, run_title, when
from handlers.ui.texts import t

_ROLE_EVENTS = {
    "role_claimed": "h_role_claimed",
    "role_claim_approved": "h_role_claimed",
    "role_assigned": "h_role_assigned",
    "role_released": "h_role_released",
    "role_revoked": "h_role_revoked",
}


def _role(sop: SopDefinition | None, key: object) -> str:
    role = sop.role_by_key.get(str(key)) if sop is not None else None
    return esc(role.nama if role is not None else key)


def _outcome(sop: SopDefinition | None, entry: HistoryEntry, lang: str) -> str:
    key = entry.data.get("outcome_key")
    step = sop.step_by_no.get(entry.step_no or 0) if sop is not None else None
    for outcome in step.decision.outcomes if step is not None and step.decision is not None else ():
        if outcome.key == key:
            return esc(outcome.label_en if lang == "en" and outcome.label_en else outcome.label)
    return esc(key)


def _acting(sop: SopDefinition | None, data: Mapping[str, object], lang: str) -> str:
    """" (Plh. Kepala Badan)" after a substitute's name."""
    kind = data.get("acting_as")
    if kind not in ("plh", "plt"):
        return ""
    return t(lang, "acting_suffix", label=t(lang, f"acting_{kind}", role=_role(sop, data.get("role_key"))))


def _evidence(item: EvidenceView, lang: str) -> str:
    if item.kind == "document":
        what = f"{t(lang, 'evidence_document')}: {esc(item.filename or '-', 80)}"
    elif item.kind == "photo":
        what = t(lang, "evidence_photo")
    else:
        what = t(lang, "evidence_text")
    if item.caption and not item.caption.startswith("/"):
        what += f" — {esc(item.caption, 200)}"
    return t(lang, "history_evidence", what=what, user=mention(item.added_by))


def entry_lines(
    entry: HistoryEntry, sop: SopDefinition | None, lang: str, people: Mapping[int, UserRef] | None = None
) -> list[str]:
    """The line(s) of one event; empty for bookkeeping events."""
    user, data, no = mention(entry.actor), entry.data, entry.step_no
    subject = data.get("user_id")
    holder = mention((people or {}).get(subject) or UserRef(int(subject))) if subject is not None else "?"
    kind = entry.kind
    lines: list[str] = []
    if kind == "run_started":
        lines.append(t(lang, "h_run_started", user=user))
    elif kind == "task_confirmed":
        key = "h_on_behalf" if data.get("on_behalf") else "h_confirmed"
        lines.append(t(lang, key, no=no, role=_role(sop, data.get("role_key")), user=user + _acting(sop, data, lang)))
    elif kind == "decision_made":
        user += _acting(sop, data, lang)
        lines.append(t(lang, "h_decision", no=no, outcome=_outcome(sop, entry, lang), user=user))
    elif kind == "task_undone":
        lines.append(t(lang, "h_undone", no=no, user=user))
    elif kind == "evidence_added":
        lines.append(t(lang, "h_evidence", no=no, user=user))
    elif kind == "run_finished":
        lines.append(t(lang, "h_finished"))
    elif kind == "run_cancelled":
        lines.append(t(lang, "h_cancelled", user=user))
    elif kind in DELEGATION_EVENTS:
        lines.append(delegation_event(entry, sop, lang, people or {}))
    elif kind in _ROLE_EVENTS:
        lines.append(t(lang, _ROLE_EVENTS[kind], user=user, holder=holder, role=_role(sop, data.get("role_key"))))
    if not lines:
        return []
    if data.get("reason"):
        lines.append(t(lang, "h_reason", reason=esc(data["reason"])))
    if entry.note and kind in ("task_confirmed", "decision_made", "run_cancelled"):
        lines.append(t(lang, "h_note", note=esc(entry.note)))
    lines.extend(_evidence(item, lang) for item in entry.evidence)
    return lines


def subjects(entries: Iterable[HistoryEntry]) -> set[int]:
    """People named in role events besides their actor (whom a role was assigned to, who substituted)."""
    entries = list(entries)
    found = {int(e.data["user_id"]) for e in entries if e.kind in _ROLE_EVENTS and e.data.get("user_id") is not None}
    for e in entries:
        if e.kind in DELEGATION_EVENTS:
            found |= {int(e.data[k]) for k in ("substitute_id", "holder_id") if e.data.get(k) is not None}
    return found


def render(
    run: RunView,
    entries: Iterable[HistoryEntry],
    tz: str,
    lang: str,
    sop: SopDefinition | None = None,
    people: Mapping[int, UserRef] | None = None,
) -> str:
    """The whole trail, oldest first; paging is the sender's job."""
    lines = [t(lang, "history_header", number=run.number, title=run_title(run))]
    for entry in entries:
        body = entry_lines(entry, sop, lang, people)
        if body:
            lines.append(t(lang, "history_line", when=when(entry.at, tz, lang), text=body[0]))
            lines.extend(body[1:])
    if len(lines) == 1:
        lines.append(t(lang, "history_empty"))
    return "\n".join(lines)

"""The two forms of the regulation as data: one monitoring row and one evaluation row per
SOP and group, computed from the runs of a period.

Pure: facts in (the reports' :class:`~bot.reports.model.RunFacts` and
:class:`~bot.reports.model.RunReport` of each run, the nags it got, the questionnaire
answers), rows out. Rows hold facts only (counts, minutes, reasons), never sentences: the
Catatan and the proposed Tindakan are written from them in the reader's language
(:mod:`bot.monev.sentences`), so a frozen form reads right in either language.

Definitions (README "Monev"):

* A run belongs to the period it *started* in; started = finished + cancelled + running.
* On time: a finished pass of a step within that step's standard (Mutu Baku *waktu*), in
  working time, counted over every run of the period (a cancelled run's finished passes
  are real work too); the share is on-time passes over finished passes.
* Late steps: per step, the passes over the standard and their average overrun (working
  minutes beyond the standard); the three most often late are listed.
* Returns: decisions whose outcome sends the run back, per step and outcome, with reasons.
* On behalf: steps the coordinator confirmed for their actor, per step and role, with
  reasons; `internal` marks roles that have a holder in the group (an absent holder).
* Nags: overdue reminders sent within the period (rounds at or after the due time, not
  early reminders).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.monev.rules import CRITERION_KEYS, AssessmentRule
from bot.reports.model import RunFacts, RunReport

LATE_STEPS = 3


@dataclass(frozen=True)
class LateStep:
    no: int
    late_passes: int
    average_overrun_minutes: float


@dataclass(frozen=True)
class ReturnFact:
    step_no: int
    outcome: str
    goto: int
    count: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class OnBehalfFact:
    step_no: int
    role: str
    internal: bool
    count: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MonitoringRow:
    """Facts behind one row of "Monitoring pelaksanaan SOP AP"."""

    chat_id: int
    chat_title: str
    sop_id: str
    nama: str
    started: int
    finished: int
    cancelled: int
    finished_passes: int
    on_time_passes: int
    late_steps: tuple[LateStep, ...]
    returns: tuple[ReturnFact, ...]
    on_behalf: tuple[OnBehalfFact, ...]
    nags: int
    #: True: berjalan dengan baik; False: tidak; None: nothing finished to judge yet.
    assessment: bool | None
    #: The supervisor's own Tindakan, replacing the proposed one; None: the proposal stands.
    action_override: str | None = None

    @property
    def running(self) -> int:
        return self.started - self.finished - self.cancelled

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time_passes / self.finished_passes if self.finished_passes else None

    @property
    def returns_total(self) -> int:
        return sum(r.count for r in self.returns)


@dataclass(frozen=True)
class CriterionTally:
    key: str
    yes: int
    answered: int

    @property
    def yes_rate(self) -> float | None:
        return self.yes / self.answered if self.answered else None


@dataclass(frozen=True)
class EvaluationRow:
    """One row of "Evaluasi penerapan SOP AP": the actors' answers taken together."""

    chat_id: int
    chat_title: str
    sop_id: str
    nama: str
    #: Questionnaires sent, and those with at least one answer.
    invited: int
    responded: int
    criteria: tuple[CriterionTally, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Paraf:
    """The supervisor's sign-off of one group's form."""

    chat_id: int
    name: str
    user_id: int
    signed_at: datetime


@dataclass(frozen=True)
class MonevForm:
    period: str
    first: str
    last: str
    generated_at: datetime
    min_on_time: float
    max_cancelled: int
    monitoring: tuple[MonitoringRow, ...]
    evaluation: tuple[EvaluationRow, ...]
    parafs: tuple[Paraf, ...] = ()
    #: The zone times are shown in (the first group's).
    timezone: str = "Asia/Jakarta"
    #: Run-level rows for the Rincian sheet: (chat title, number, title, SOP, status, start, end).
    details: tuple[tuple[Any, ...], ...] = field(default=())

    @property
    def rule(self) -> AssessmentRule:
        return AssessmentRule(self.min_on_time, self.max_cancelled)

    def paraf_for(self, chat_id: int) -> Paraf | None:
        return next((p for p in self.parafs if p.chat_id == chat_id), None)


@dataclass(frozen=True)
class PeriodRun:
    """One run of the period: its facts, its report, the overdue nags it got, its group."""

    facts: RunFacts
    report: RunReport
    nags: int
    chat_title: str


@dataclass(frozen=True)
class Answer:
    """One person's questionnaire of one run: criterion key -> Ya/Tidak, and a note."""

    chat_id: int
    sop_id: str
    answers: Mapping[str, bool]
    note: str | None


# -- monitoring -----------------------------------------------------------------------------
def build_monitoring(runs: Sequence[PeriodRun], rule: AssessmentRule,
                     overrides: Mapping[tuple[int, str], str] | None = None) -> tuple[MonitoringRow, ...]:
    """One row per (group, SOP), in order of the group's and then the SOP's first run."""
    groups: dict[tuple[int, str], list[PeriodRun]] = {}
    for run in sorted(runs, key=lambda r: (r.facts.chat_id, r.facts.started_at, r.facts.number)):
        groups.setdefault((run.facts.chat_id, run.facts.sop.id), []).append(run)
    return tuple(_row(items, rule, (overrides or {}).get(key)) for key, items in groups.items())


def _row(runs: list[PeriodRun], rule: AssessmentRule, override: str | None) -> MonitoringRow:
    newest = runs[-1]
    statuses = [r.facts.status for r in runs]
    passes = [(s.no, m - s.standard_minutes) for r in runs for s in r.report.steps for m in s.finished_passes]
    on_time = sum(1 for _, over in passes if over <= 0)
    cancelled = statuses.count("cancelled")
    return MonitoringRow(
        chat_id=newest.facts.chat_id, chat_title=newest.chat_title, sop_id=newest.facts.sop.id,
        nama=newest.facts.sop.nama, started=len(runs), finished=statuses.count("finished"), cancelled=cancelled,
        finished_passes=len(passes), on_time_passes=on_time, late_steps=_late_steps(passes),
        returns=_returns(runs), on_behalf=_on_behalf(runs), nags=sum(r.nags for r in runs),
        assessment=rule.assess(len(passes), on_time, cancelled), action_override=override,
    )


def _late_steps(passes: Iterable[tuple[int, float]]) -> tuple[LateStep, ...]:
    over: dict[int, list[float]] = {}
    for no, minutes in passes:
        if minutes > 0:
            over.setdefault(no, []).append(minutes)
    found = [LateStep(no, len(m), sum(m) / len(m)) for no, m in over.items()]
    found.sort(key=lambda s: (-s.late_passes, -s.average_overrun_minutes, s.no))
    return tuple(found[:LATE_STEPS])


def _returns(runs: Sequence[PeriodRun]) -> tuple[ReturnFact, ...]:
    found: dict[tuple[int, str], tuple[int, list[str]]] = {}
    for run in runs:
        sop = run.facts.sop
        for task in run.facts.tasks:
            step = sop.step_by_no.get(task.step_no)
            if task.outcome_key is None or step is None or step.decision is None:
                continue
            outcome = next((o for o in step.decision.outcomes if o.key == task.outcome_key), None)
            if outcome is None or outcome.goto is None:
                continue
            goto, reasons = found.get((task.step_no, outcome.label), (outcome.goto, []))
            reasons.append((task.decision_reason or "").strip())
            found[(task.step_no, outcome.label)] = (goto, reasons)
    return tuple(ReturnFact(no, label, goto, len(reasons), _distinct(reasons))
                 for (no, label), (goto, reasons) in sorted(found.items()))


def _on_behalf(runs: Sequence[PeriodRun]) -> tuple[OnBehalfFact, ...]:
    found: dict[tuple[int, str], tuple[bool, list[str]]] = {}
    for run in runs:
        sop = run.facts.sop
        for task in run.facts.tasks:
            if not task.on_behalf or task.status != "done":
                continue
            role = sop.role_by_key.get(task.role_key)
            name = role.nama if role is not None else task.role_key
            internal = role is not None and not role.eksternal
            reasons = found.setdefault((task.step_no, name), (internal, []))[1]
            reasons.append((task.on_behalf_reason or "").strip())
    return tuple(OnBehalfFact(no, role, internal, len(reasons), _distinct(reasons))
                 for (no, role), (internal, reasons) in sorted(found.items()))


def _distinct(reasons: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r for r in reasons if r))


# -- evaluation -----------------------------------------------------------------------------
def build_evaluation(rows: Sequence[MonitoringRow], answers: Sequence[Answer],
                     invited: Mapping[tuple[int, str], int]) -> tuple[EvaluationRow, ...]:
    """Per monitored (group, SOP): the share of Ya per criterion and every note, verbatim."""
    found = []
    for row in rows:
        mine = [a for a in answers if (a.chat_id, a.sop_id) == (row.chat_id, row.sop_id)]
        tallies = tuple(
            CriterionTally(key, sum(1 for a in mine if a.answers.get(key) is True),
                           sum(1 for a in mine if key in a.answers))
            for key in CRITERION_KEYS
        )
        notes = tuple(a.note.strip() for a in mine if a.note and a.note.strip())
        found.append(EvaluationRow(row.chat_id, row.chat_title, row.sop_id, row.nama,
                                   invited.get((row.chat_id, row.sop_id), 0),
                                   sum(1 for a in mine if a.answers), tallies, notes))
    return tuple(found)

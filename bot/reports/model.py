"""How long each step of a run took, against its standard: the numbers behind every report.

Pure domain: facts in (task rows with times, the pinned SOP), figures out; no database, no
Telegram, no drawing. Every renderer (chat text, chart, workbook, CSV, CLI) reads the
same :class:`RunReport`, so they can never disagree, and the tests check these numbers.

Definitions (README "Reports and flowcharts"):

* A step's *pass* runs from its first actor's start to its last actor's completion, in
  working minutes of the chat's calendar (the unit the SOP states its standards in).
* A decision that sends the run back makes the step run again: every pass counts, its
  standard applies per pass, and ``returns`` is the number of passes after the first.
* *Overdue* is the sum, over passes, of the time beyond the standard, so a quick second
  pass never hides a late first one. For one pass it is actual − standard when positive.
* A pass not finished yet (the current step, or one cut short by a cancellation) counts
  up to now (or the cancellation) and is flagged ``open``; it is left out of on-time rates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Protocol

from bot.domain.run_facts import RunFacts, TaskFact
from bot.domain.sop import SopDefinition, Step

BOTTLENECKS = 3


class WorkingCalendar(Protocol):
    """The one calendar operation reports need (:class:`bot.domain.working_calendar.WorkCalendar` has it)."""

    def working_minutes_between(self, a: datetime, b: datetime) -> float: ...


@dataclass(frozen=True)
class Contributor:
    """Someone who completed part of a step; `on_behalf` when confirmed for an external party,
    `acting_as` ("plh"/"plt") when as a substitute for the role's holder."""

    name: str
    role: str
    on_behalf: bool = False
    acting_as: str | None = None


@dataclass(frozen=True)
class StepReport:
    no: int
    aktivitas: str
    roles: tuple[str, ...]
    #: The SOP's standard for one pass, in working minutes.
    standard_minutes: int
    #: Working minutes of every finished pass, in pass order.
    finished_passes: tuple[float, ...]
    #: Working minutes so far of a pass not finished (running, or cut short); None if none.
    open_minutes: float | None
    people: tuple[Contributor, ...]

    @property
    def passes(self) -> int:
        return len(self.finished_passes) + (self.open_minutes is not None)

    @property
    def returns(self) -> int:
        """Times the step had to be done again because a decision sent the run back."""
        return max(0, self.passes - 1)

    @property
    def actual_minutes(self) -> float:
        return sum(self.finished_passes) + (self.open_minutes or 0.0)

    @property
    def standard_total_minutes(self) -> int:
        """The standard of every pass made: what the actual time is measured against."""
        return self.standard_minutes * self.passes

    @property
    def overdue_minutes(self) -> float:
        if not self.standard_minutes:  # no standard time ("Setiap Saat"): never overdue
            return 0.0
        every = [*self.finished_passes, *([self.open_minutes] if self.open_minutes is not None else [])]
        return sum(max(0.0, m - self.standard_minutes) for m in every)

    @property
    def on_time_passes(self) -> int:
        if not self.standard_minutes:  # no standard time: never late
            return len(self.finished_passes)
        return sum(1 for m in self.finished_passes if m <= self.standard_minutes)


@dataclass(frozen=True)
class RunReport:
    run_id: int
    chat_id: int
    number: int
    title: str
    sop_id: str
    sop_nama: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    timezone: str
    language: str
    generated_at: datetime
    steps: tuple[StepReport, ...]
    #: Times a decision sent the run back (each return opens a new pass of the run).
    returns_total: int = 0

    @property
    def sop_standard_minutes(self) -> int:
        """The SOP's own total: every step once."""
        return sum(s.standard_minutes for s in self.steps)

    @property
    def standard_total_minutes(self) -> int:
        return sum(s.standard_total_minutes for s in self.steps)

    @property
    def actual_total_minutes(self) -> float:
        return sum(s.actual_minutes for s in self.steps)

    @property
    def overdue_total_minutes(self) -> float:
        return sum(s.overdue_minutes for s in self.steps)

    @property
    def bottlenecks(self) -> tuple[StepReport, ...]:
        """The late steps that held the run up most, most overdue first; () when none was late.

        A step within its standard time is no bottleneck, however long it took.
        """
        late = [s for s in self.steps if s.overdue_minutes > 0]
        return tuple(sorted(late, key=lambda s: (-s.overdue_minutes, -s.actual_minutes, s.no))[:BOTTLENECKS])


def build_run_report(facts: RunFacts, calendar: WorkingCalendar, now: datetime) -> RunReport:
    """The report of one run; `now` ends the open pass of a run still going."""
    open_until = now if facts.status == "active" else (facts.ended_at or now)
    steps = tuple(_step_report(facts, step, calendar, open_until) for step in facts.sop.steps)
    return RunReport(
        run_id=facts.run_id,
        chat_id=facts.chat_id,
        number=facts.number,
        title=facts.title,
        sop_id=facts.sop.id,
        sop_nama=facts.sop.nama,
        status=facts.status,
        started_at=facts.started_at,
        ended_at=facts.ended_at,
        timezone=facts.timezone,
        language=facts.language,
        generated_at=now,
        steps=steps,
        returns_total=max((t.pass_no for t in facts.tasks), default=1) - 1,
    )


def _step_report(facts: RunFacts, step: Step, calendar: WorkingCalendar, open_until: datetime) -> StepReport:
    rows = sorted((t for t in facts.tasks if t.step_no == step.no), key=lambda t: (t.pass_no, t.chain_index))
    finished: list[float] = []
    open_minutes: float | None = None
    standard = step.minutes
    for _, group in groupby(rows, key=lambda t: t.pass_no):
        tasks = list(group)
        standard = tasks[0].standard_minutes
        starts = [t.started_at for t in tasks if t.started_at is not None]
        if not starts:
            continue
        ends = [t.completed_at for t in tasks if t.status == "done" and t.completed_at is not None]
        if len(ends) == len(tasks) >= len(step.actors):
            finished.append(calendar.working_minutes_between(min(starts), max(ends)))
        else:
            open_minutes = (open_minutes or 0.0) + calendar.working_minutes_between(min(starts), open_until)
    return StepReport(
        no=step.no,
        aktivitas=step.aktivitas,
        roles=tuple(_role_name(facts.sop, k) for k in step.actor_keys),
        standard_minutes=standard,
        finished_passes=tuple(finished),
        open_minutes=open_minutes,
        people=_people(facts, rows),
    )


def _role_name(sop: SopDefinition, key: str) -> str:
    role = sop.role_by_key.get(key)
    return role.nama if role is not None else key


def _people(facts: RunFacts, rows: Iterable[TaskFact]) -> tuple[Contributor, ...]:
    """Who completed the step's parts, in the order they did, each person and capacity once."""
    done = sorted((t for t in rows if t.status == "done" and t.completed_by is not None),
                  key=lambda t: (t.completed_at is None, t.completed_at, t.pass_no, t.chain_index))
    found = [
        Contributor(facts.names.get(t.completed_by or 0, str(t.completed_by)), _role_name(facts.sop, t.role_key),
                    t.on_behalf, t.acting_as)
        for t in done
    ]
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Progress:
    """Where a run stands on its flowchart."""

    done_steps: frozenset[int]
    current_step: int | None
    current_actor_index: int | None


def flow_progress(facts: RunFacts) -> Progress:
    """Done steps dimmed, the current step and actor highlighted.

    A step is done once a pass of it was completed by its whole chain. After a return the
    steps from the current one onwards are to be done again, so while a run goes on only
    the steps before the current one (in document order) count as done.
    """
    chains = {s.no: len(s.actors) for s in facts.sop.steps}
    completed = set()
    for (no, _), group in groupby(sorted(facts.tasks, key=lambda t: (t.step_no, t.pass_no)),
                                  key=lambda t: (t.step_no, t.pass_no)):
        tasks = list(group)
        if len(tasks) >= chains.get(no, 1) and all(t.status == "done" for t in tasks):
            completed.add(no)
    active = next((t for t in facts.tasks if t.status == "active"), None)
    if facts.status != "active" or active is None:
        return Progress(frozenset(completed), None, None)
    order = [s.no for s in facts.sop.steps]
    before = set(order[: order.index(active.step_no)])
    return Progress(frozenset(completed & before), active.step_no, active.chain_index)

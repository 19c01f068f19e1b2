"""A chat's runs taken together: per SOP and step, how long it usually takes and how often
it stays within its standard.

Built from the per-run reports, so a step pass is measured exactly as in a single run's
report. Only finished passes count (an open pass says nothing yet about on-time), and
cancelled runs are left out by the caller: their numbers describe work that was dropped.
Steps are listed as the newest run's SOP version has them; older versions' passes are
matched by step number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean

from bot.reports.model import RunReport


@dataclass(frozen=True)
class StepStats:
    no: int
    aktivitas: str
    standard_minutes: int
    #: Working minutes of every finished pass of this step, over all runs.
    pass_minutes: tuple[float, ...]
    on_time_passes: int
    runs: int

    @property
    def finished_passes(self) -> int:
        return len(self.pass_minutes)

    @property
    def average_minutes(self) -> float | None:
        return fmean(self.pass_minutes) if self.pass_minutes else None

    @property
    def on_time_rate(self) -> float | None:
        """Share (0–1) of finished passes within the standard; None before any."""
        return self.on_time_passes / len(self.pass_minutes) if self.pass_minutes else None


@dataclass(frozen=True)
class SopStats:
    sop_id: str
    nama: str
    runs: int
    finished_runs: int
    standard_minutes: int
    #: Average actual total of the finished runs (all passes); None before one finishes.
    average_run_minutes: float | None
    steps: tuple[StepStats, ...]

    @property
    def finished_passes(self) -> int:
        return sum(s.finished_passes for s in self.steps)

    @property
    def on_time_rate(self) -> float | None:
        passes = self.finished_passes
        return sum(s.on_time_passes for s in self.steps) / passes if passes else None


@dataclass(frozen=True)
class ChatReport:
    chat_id: int
    language: str
    timezone: str
    generated_at: datetime
    sops: tuple[SopStats, ...]

    @property
    def runs(self) -> int:
        return sum(s.runs for s in self.sops)


def build_chat_report(
    chat_id: int, reports: Sequence[RunReport], now: datetime, language: str = "id", timezone: str = "Asia/Jakarta"
) -> ChatReport:
    """Roll the runs' reports up per SOP (in order of first use) and step."""
    by_sop: dict[str, list[RunReport]] = {}
    for report in sorted(reports, key=lambda r: r.number):
        by_sop.setdefault(report.sop_id, []).append(report)
    sops = tuple(_sop_stats(runs) for runs in by_sop.values())
    if reports:
        language, timezone = reports[0].language, reports[0].timezone
    return ChatReport(chat_id=chat_id, language=language, timezone=timezone, generated_at=now, sops=sops)


def _sop_stats(runs: list[RunReport]) -> SopStats:
    newest = runs[-1]
    steps = []
    for step in newest.steps:
        passes: list[float] = []
        on_time = counted = 0
        for run in runs:
            same = next((s for s in run.steps if s.no == step.no), None)
            if same is None or not same.finished_passes:
                continue
            counted += 1
            passes.extend(same.finished_passes)
            on_time += same.on_time_passes
        steps.append(StepStats(step.no, step.aktivitas, step.standard_minutes, tuple(passes), on_time, counted))
    finished = [r.actual_total_minutes for r in runs if r.status == "finished"]
    return SopStats(
        sop_id=newest.sop_id,
        nama=newest.sop_nama,
        runs=len(runs),
        finished_runs=len(finished),
        standard_minutes=newest.sop_standard_minutes,
        average_run_minutes=fmean(finished) if finished else None,
        steps=tuple(steps),
    )

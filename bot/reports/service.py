"""Reports as a service: the one entry point the bot and the CLI call.

It ties the read model (:mod:`storage.repositories.reports`) to the pure figures
(:mod:`bot.reports.model`, :mod:`bot.reports.summary`) and the renderers (chart, workbook,
CSV), measuring time with the same calendars the engine uses for due times, so a report
and a reminder never disagree about what "late" means. Every method is synchronous and
CPU- or IO-bound: the bot calls them through ``asyncio.to_thread``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.reports.chart import chat_chart, run_chart
from bot.reports.labels import duration, label
from bot.reports.model import (
    Progress,
    RunFacts,
    RunReport,
    WorkingCalendar,
    build_run_report,
    flow_progress,
)
from bot.reports.summary import ChatReport, build_chat_report
from bot.reports.workbook import (
    chat_csv,
    chat_workbook,
    people_text,
    run_csv,
    run_workbook,
)
from storage.db import Database
from storage.repositories.reports import ReportRepository
from storage.types import utcnow

if TYPE_CHECKING:
    from bot.engine import SopEngine


@dataclass(frozen=True)
class ReportFiles:
    """What the bot attaches and the CLI writes: chart PNG, workbook and CSV bytes."""

    chart: bytes
    xlsx: bytes
    csv: bytes


class Reports:
    """Reports over one database, in the working time of each chat's zone."""

    def __init__(
        self,
        db: Database,
        calendar_for: Callable[[str], WorkingCalendar],
        clock: Callable[[], datetime] = utcnow,
        default_timezone: str = "Asia/Jakarta",
    ) -> None:
        self.db, self.calendar_for, self.clock = db, calendar_for, clock
        self.default_timezone = default_timezone

    @classmethod
    def for_engine(cls, engine: SopEngine) -> Reports:
        """Same database, calendars (office hours, holidays) and clock as the run engine."""
        return cls(engine.db, engine.calendar, engine.now, engine.default_timezone)

    def run_facts(self, run_id: int) -> RunFacts:
        with self.db.transaction(readonly=True) as s:
            return ReportRepository(s, self.default_timezone).run_facts(run_id)

    def run_report(self, run_id: int) -> RunReport:
        facts = self.run_facts(run_id)
        return build_run_report(facts, self.calendar_for(facts.timezone), self.clock())

    def chat_report(self, chat_id: int) -> ChatReport:
        """Every running and finished run of the chat, rolled up per SOP and step."""
        now = self.clock()
        with self.db.transaction(readonly=True) as s:
            runs = ReportRepository(s, self.default_timezone).chat_run_facts(chat_id)
        reports = [build_run_report(f, self.calendar_for(f.timezone), now) for f in runs]
        return build_chat_report(chat_id, reports, now, timezone=self.default_timezone)

    def progress(self, run_id: int) -> tuple[RunFacts, Progress]:
        """The run's pinned SOP and where the run stands on it (for its flowchart)."""
        facts = self.run_facts(run_id)
        return facts, flow_progress(facts)

    def latest_run_number(self, chat_id: int) -> int | None:
        with self.db.transaction(readonly=True) as s:
            return ReportRepository(s).latest_run_number(chat_id)

    @staticmethod
    def run_files(report: RunReport, lang: str) -> ReportFiles:
        return ReportFiles(run_chart(report, lang), run_workbook(report, lang), run_csv(report, lang))

    @staticmethod
    def chat_files(report: ChatReport, lang: str) -> ReportFiles:
        return ReportFiles(chat_chart(report, lang), chat_workbook(report, lang), chat_csv(report, lang))


def write_files(files: ReportFiles, out_dir: Path) -> list[Path]:
    """chart.png, report.xlsx and report.csv in `out_dir` (created when missing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in (("chart.png", files.chart), ("report.xlsx", files.xlsx), ("report.csv", files.csv)):
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    return written


NO_STANDARD = "—"
"""Shown as the standard of a step without a standard time ("Setiap Saat")."""


def plain_summary(report: RunReport, lang: str) -> str:
    """The report as plain text lines, for a terminal."""
    status = label(lang, f"status_{report.status}")
    lines = [
        label(lang, "cli_header", number=report.number, title=report.title, sop=report.sop_id, status=status),
        label(lang, "cli_totals", standard=duration(report.standard_total_minutes, lang),
              actual=duration(report.actual_total_minutes, lang),
              overdue=duration(report.overdue_total_minutes, lang), returns=report.returns_total),
    ]
    for s in report.steps:
        standard = duration(s.standard_total_minutes, lang) if s.standard_minutes else NO_STANDARD
        lines.append(label(lang, "cli_step", no=s.no, standard=standard,
                           actual=duration(s.actual_minutes, lang), overdue=duration(s.overdue_minutes, lang),
                           returns=s.returns, people=people_text(s, lang)))
    steps = ", ".join(f"{label(lang, 'step')} {s.no}" for s in report.bottlenecks)
    lines.append(label(lang, "cli_bottlenecks", steps=steps or label(lang, "none_late")))
    return "\n".join(lines)

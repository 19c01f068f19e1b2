"""Reports of SOP runs: per step standard vs actual working time, who, overdue, returns,
bottlenecks; and the same across all runs of a chat. Sent by /laporan as text, chart PNG,
.xlsx and .csv; written by ``python -m bot report RUN_ID --out DIR``.

Reporting is a read model: it reads through :mod:`storage.repositories.reports` (read-only)
and never changes anything, so it can be added to, or dropped from, a running bot without touching the engine.
"""

from bot.reports.model import (
    Contributor,
    Progress,
    RunFacts,
    RunReport,
    StepReport,
    build_run_report,
    flow_progress,
)
from bot.reports.service import ReportFiles, Reports, plain_summary, write_files
from bot.reports.summary import ChatReport, SopStats, StepStats, build_chat_report
from storage.repositories.reports import ReportRunNotFound

__all__ = [
    "ChatReport",
    "Contributor",
    "Progress",
    "ReportFiles",
    "ReportRunNotFound",
    "Reports",
    "RunFacts",
    "RunReport",
    "SopStats",
    "StepReport",
    "StepStats",
    "build_chat_report",
    "build_run_report",
    "flow_progress",
    "plain_summary",
    "write_files",
]

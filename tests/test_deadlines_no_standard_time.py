"""A step whose Waktu states no standard time ("Setiap Saat", "Sesuai jadwal") is never due.

Published SOPs write such times for steps that wait on outside events. The engine gives
the task no due time, the nag service never picks it up however long it stays open, the
next step is timed as usual, and the reports show "—" for its standard and no overdue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from deadline_fixtures import nag_engine, nag_items, nag_org, sop_with, wib  # noqa: F401
from bot.reports.service import Reports, plain_summary
from db_fixtures import FakeClock


def test_a_step_without_standard_time_is_never_nagged_and_reports_show_a_dash(
    nag_org: Callable[..., Any], clock: FakeClock
) -> None:
    clock.now = wib(2026, 3, 2, 8)
    org = nag_org(sop=sop_with("Setiap Saat", "60 menit"))
    run = org.start_run()
    first = org.active(run.id)
    assert first.due_at is None and first.standard_minutes == 0
    service = org.service()
    clock.now = wib(2026, 3, 30, 15)  # four weeks later, still open
    assert service.tick_all().claimed == 0 and nag_items(org.engine) == []
    org.act(run.id)
    second = org.active(run.id)
    assert second.due_at == wib(2026, 3, 31, 8, 7)  # the next step is timed as usual (acted at 15:07)
    report = Reports.for_engine(org.engine).run_report(run.id)
    step = report.steps[0]
    assert step.overdue_minutes == 0 and step.on_time_passes == 1
    lines = plain_summary(report, "id").splitlines()
    assert any(re.match(r"\s+1\. baku\s+—\s+aktual .*terlambat\s+0 menit", line) for line in lines), lines
    assert any(line.startswith("   2. baku") and "1 jam" in line for line in lines), lines
    clock.now = wib(2026, 3, 31, 10)
    assert service.tick_all().claimed == 1  # the timed step is nagged when late

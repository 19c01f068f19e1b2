"""What a report says about bottlenecks and files, in both languages: only late steps are
bottlenecks, a run with none says so, a step without people has no dangling dash."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.reports.model import Contributor, RunReport, StepReport
from bot.reports.service import plain_summary
from handlers.reports import run_summary

T0 = datetime(2026, 7, 6, 1, tzinfo=UTC)


def report(*steps: StepReport) -> RunReport:
    return RunReport(1, -100, 1, "Renja 2027", "x", "Uji", "finished", T0, T0, "Asia/Jakarta", "id", T0, steps)


def step(no: int, standard: int, actual: float, people: tuple[Contributor, ...] = ()) -> StepReport:
    return StepReport(no, f"Langkah {no}", ("Staf",), standard, (actual,), None, people)


def test_on_time_steps_are_no_bottlenecks_even_when_they_took_longest() -> None:
    run = report(step(1, 60, 60, (Contributor("Budi", "Staf"),)), step(2, 10, 0), step(3, 30, 45))
    assert [s.no for s in run.bottlenecks] == [3]
    text = run_summary(run, "id")
    assert "1. Langkah 3: aktual 45 menit dari baku 30 menit, terlambat 15 menit" in text
    assert "Langkah 1:" not in text and "Langkah 2:" not in text
    assert "— -" not in text and not any(line.endswith("—") for line in text.splitlines())


def test_a_run_without_late_steps_says_none_were_late() -> None:
    run = report(step(1, 60, 60), step(2, 10, 0))
    assert run.bottlenecks == ()
    text = run_summary(run, "id")
    assert "✅ Semua langkah dalam waktu baku" in text and "Hambatan" not in text
    assert plain_summary(run, "id").splitlines()[-1] == "Hambatan utama: tidak ada, semua langkah dalam waktu baku"
    assert plain_summary(run, "en").splitlines()[-1] == "Bottlenecks: none, every step within its standard time"
    assert "Every step within its standard time" in run_summary(run, "en")

"""Reports of runs played through the real engine on a clock that moves known minutes.

Each seed SOP is run to its end with a schedule of minutes per actor (one step far over
its standard; in renja-bappeda-kalbar the Kepala Badan returns the plan once). The
expected figures are computed here from that schedule alone, then compared with the
report's numbers, the chart's bars, the workbook's cells read back with openpyxl, the
CSV rows read back with the csv module, and the PNG opened with Pillow.
"""

from __future__ import annotations

import ast
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.engine import SopEngine
from bot.reports import Reports, RunReport
from bot.reports.chart import run_bars
from bot.reports.sample import act, play, start
from bot.domain.sop import SopDefinition
from bot.domain.working_calendar import calendar_for
from db_fixtures import FakeClock

SEEDS = ["forum-skpd-bkpsdm-tangerang", "renja-kesbangpol-tangerang", "renja-bappeda-kalbar", "renja-bappeda-bogor"]
COORDINATOR = (1000, "Koordinator")
LATE_BY = 25
ROOT = Path(__file__).resolve().parent.parent


def people_for(sop: SopDefinition) -> list[tuple[int, str, str]]:
    return [(2000 + i, f"Pejabat{i}", r.key) for i, r in enumerate(r for r in sop.roles if not r.eksternal)]


def passes_of(sop: SopDefinition, returned: bool) -> dict[int, list[int]]:
    """Step -> its passes: with one return at kalbar's step 5, steps 3 to 5 run twice."""
    return {s.no: [1, 2] if returned and s.no >= 3 else [1] for s in sop.steps}


def schedule(sop: SopDefinition, passes: dict[int, list[int]]) -> dict[tuple[int, int, int], int]:
    """Minutes per actor: within the standard, except the second step's first actor."""
    minutes = {}
    for step in sop.steps:
        n = len(step.actors)
        for p in passes[step.no]:
            for i in range(n):
                minutes[(step.no, p, i)] = max(1, step.minutes // (2 * n)) + i + (p - 1)
    second = sop.steps[1]
    minutes[(second.no, 1, 0)] = second.minutes + LATE_BY
    return minutes


@dataclass(frozen=True)
class Expected:
    no: int
    standard: int
    passes: list[int]
    actual: int
    overdue: int
    returns: int
    people: list[str]


def expected_steps(sop: SopDefinition, minutes: dict, passes: dict[int, list[int]]) -> list[Expected]:
    """The report as it must come out, from the schedule and the SOP only."""
    names = {r: n for _, n, r in people_for(sop)}
    found = []
    for step in sop.steps:
        per_pass = [sum(minutes[(step.no, p, i)] for i in range(len(step.actors))) for p in passes[step.no]]
        who: list[str] = []
        for _ in passes[step.no]:
            for actor in step.actors:
                role = sop.role_by_key[actor.role]
                who.append(f"{COORDINATOR[1]} (a.n. {role.nama})" if role.eksternal else names[actor.role])
        found.append(Expected(
            no=step.no, standard=step.minutes, passes=per_pass, actual=sum(per_pass),
            overdue=sum(max(0, m - step.minutes) for m in per_pass), returns=len(per_pass) - 1,
            people=list(dict.fromkeys(who)),
        ))
    return found


def finished_report(engine: SopEngine, clock: FakeClock, sop: SopDefinition) -> tuple[RunReport, list[Expected]]:
    returned = sop.id == "renja-bappeda-kalbar"
    passes = passes_of(sop, returned)
    minutes = schedule(sop, passes)
    outcomes = {(5, 1): "kembali", (5, 2): "setuju"} if returned else {}
    run_id = play(engine, lambda m: clock.advance(minutes=m), sop.id, people_for(sop), minutes, outcomes,
                  coordinator=COORDINATOR)
    return Reports.for_engine(engine).run_report(run_id), expected_steps(sop, minutes, passes)


@pytest.mark.parametrize("sop_id", SEEDS)
def test_a_finished_run_reports_exactly_the_scheduled_minutes(
    sop_id: str, engine: SopEngine, clock: FakeClock, seed_sops: dict[str, SopDefinition]
) -> None:
    sop = seed_sops[sop_id]
    report, expected = finished_report(engine, clock, sop)
    assert report.status == "finished" and report.sop_id == sop_id
    assert [s.no for s in report.steps] == [e.no for e in expected]
    for step, want in zip(report.steps, expected):
        assert step.standard_minutes == want.standard, step.no
        assert list(step.finished_passes) == want.passes and step.open_minutes is None, step.no
        assert step.actual_minutes == want.actual and step.overdue_minutes == want.overdue, step.no
        assert step.returns == want.returns and step.standard_total_minutes == want.standard * len(want.passes)
        assert [f"{p.name} (a.n. {p.role})" if p.on_behalf else p.name for p in step.people] == want.people
    late = [e.no for e in expected if e.overdue]
    assert sop.steps[1].no in late
    assert report.actual_total_minutes == sum(e.actual for e in expected)
    assert report.standard_total_minutes == sum(e.standard * len(e.passes) for e in expected)
    assert report.overdue_total_minutes == sum(e.overdue for e in expected)
    assert report.returns_total == (1 if sop_id == "renja-bappeda-kalbar" else 0)
    ranked = sorted((e for e in expected if e.overdue), key=lambda e: (-e.overdue, -e.actual, e.no))[:3]
    assert [s.no for s in report.bottlenecks] == [e.no for e in ranked]
    # The run's own times agree: the steps follow each other without a gap.
    assert report.ended_at is not None
    assert (report.ended_at - report.started_at).total_seconds() / 60 == report.actual_total_minutes

    bars = run_bars(report, "id")
    assert [(b.standard, b.actual, b.overdue) for b in bars] == [
        (e.standard * len(e.passes), e.actual, e.overdue) for e in expected
    ]


@pytest.mark.parametrize("sop_id", ["renja-bappeda-kalbar", "renja-kesbangpol-tangerang"])
def test_the_workbook_csv_and_chart_carry_the_same_rows(
    sop_id: str, engine: SopEngine, clock: FakeClock, seed_sops: dict[str, SopDefinition]
) -> None:
    sop = seed_sops[sop_id]
    report, expected = finished_report(engine, clock, sop)
    files = Reports.run_files(report, "id")
    roles = {s.no: ", ".join(dict.fromkeys(sop.role_by_key[a.role].nama for a in s.actors)) for s in sop.steps}
    rows = [
        [e.no, sop.step_by_no[e.no].aktivitas, roles[e.no], e.standard, len(e.passes), e.standard * len(e.passes),
         e.actual, e.overdue, e.returns, ", ".join(e.people), "selesai"]
        for e in expected
    ]

    book = load_workbook(io.BytesIO(files.xlsx))
    assert book.sheetnames == ["Langkah", "Ringkasan"]
    steps = book["Langkah"]
    header = [c.value for c in steps[1]]
    assert header == ["No", "Aktivitas", "Pelaksana", "Waktu baku per putaran (menit)", "Putaran",
                      "Waktu baku total (menit)", "Waktu aktual (menit)", "Terlambat (menit)",
                      "Dikembalikan (kali)", "Dikerjakan oleh", "Keadaan"]
    assert [[c.value for c in row] for row in steps.iter_rows(min_row=2)] == rows
    assert steps.freeze_panes == "A2" and steps["A1"].font.bold and steps["A1"].fill.fgColor.rgb.endswith("1F4E79")
    assert {steps.cell(2, col).number_format for col in (4, 6, 7, 8)} == {"#,##0"}

    summary = {row[0].value: row[1].value for row in book["Ringkasan"].iter_rows(min_row=2, max_row=14)}
    assert summary["ID SOP"] == sop_id and summary["Status"] == "selesai" and summary["Nomor"] == 1
    assert summary["Waktu aktual total (menit)"] == sum(e.actual for e in expected)
    assert summary["Waktu baku total (menit)"] == sum(e.standard * len(e.passes) for e in expected)
    assert summary["Terlambat total (menit)"] == sum(e.overdue for e in expected)
    assert summary["Waktu baku SOP, satu putaran (menit)"] == sop.total_minutes
    assert summary["Mulai"] == datetime(2026, 3, 2, 8, 0)  # 01:00 UTC, shown in WIB
    sheet = book["Ringkasan"]
    ranked = sorted((e for e in expected if e.overdue), key=lambda e: (-e.overdue, -e.actual, e.no))[:3]
    table = [[c.value for c in row] for row in sheet.iter_rows(min_row=18, max_row=17 + len(ranked))]
    assert [(r[0], r[1], r[3], r[4]) for r in table] == [(i, e.no, e.overdue, e.actual) for i, e in enumerate(ranked, 1)]
    assert sheet.cell(17, 1).value == "Peringkat"

    assert files.csv.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(files.csv.decode("utf-8-sig")), delimiter=";"))
    assert parsed[0] == header
    assert parsed[1:] == [[str(v) for v in row] for row in rows]

    image = Image.open(io.BytesIO(files.chart))
    assert image.format == "PNG" and image.width == 1080
    assert 90 * len(sop.steps) < image.height - 250 < 130 * len(sop.steps)


def test_working_time_skips_nights_and_weekends(engine_factory: Callable[..., SopEngine], clock: FakeClock) -> None:
    """Friday 15:00 WIB to Monday 08:30 is 90 working minutes, not 65 and a half hours."""
    clock.now = datetime(2026, 3, 6, 8, 0, tzinfo=UTC)  # Friday 15:00 WIB
    engine = engine_factory(calendar_for=calendar_for)
    people = [(3001, "Budi", "kasubbag_renja"), (3002, "Siti", "sekretaris"), (3003, "Agus", "kepala_bidang"),
              (3004, "Dewi", "kepala_badan")]
    wall = {(1, 1, 0): 3930, (2, 1, 0): 30, (2, 1, 1): 45}  # Mon 08:30, 09:00, 09:45
    run_id = play(engine, lambda m: clock.advance(minutes=m), "renja-bappeda-kalbar", people, wall)
    report = Reports.for_engine(engine).run_report(run_id)
    first, second = report.steps[:2]
    assert first.finished_passes == (90.0,) and first.overdue_minutes == 30
    assert second.finished_passes == (75.0,) and second.overdue_minutes == 0
    assert [p.name for p in second.people] == ["Agus", "Budi"] and second.people[1].on_behalf


def test_a_running_run_counts_its_open_pass_up_to_now_and_its_returns(
    engine: SopEngine, clock: FakeClock, seed_sops: dict[str, SopDefinition]
) -> None:
    people = people_for(seed_sops["renja-bappeda-kalbar"])
    run_id = start(engine, "renja-bappeda-kalbar", people, coordinator=COORDINATOR)
    holders = {role: uid for uid, _, role in people}
    reports = Reports.for_engine(engine)
    while True:  # steps 1 to 4, ten minutes per actor, then step 5 sends the plan back
        task = next(t for t in engine.current_tasks(run_id) if t.status == "active")
        clock.advance(minutes=10)
        act(engine, task, holders, COORDINATOR[0], "kembali" if task.is_decision else None)
        if task.is_decision:
            break
    facts, progress = reports.progress(run_id)
    assert (progress.done_steps, progress.current_step, progress.current_actor_index) == ({1, 2}, 3, 0)
    assert facts.sop.id == "renja-bappeda-kalbar" and facts.status == "active"
    clock.advance(minutes=11)
    report = reports.run_report(run_id)
    third = report.steps[2]
    assert third.finished_passes == (20.0,) and third.open_minutes == 11 and third.passes == 2 and third.returns == 1
    assert report.status == "active" and report.returns_total == 1
    task = next(t for t in engine.current_tasks(run_id) if t.status == "active")
    act(engine, task, holders, COORDINATOR[0])
    assert reports.progress(run_id)[1].current_actor_index == 1
    book = load_workbook(io.BytesIO(Reports.run_files(reports.run_report(run_id), "en").xlsx))
    states = [row[10].value for row in book["Langkah"].iter_rows(min_row=2)]
    assert states == ["done", "done", "running", "done", "done"]


def test_a_cancelled_run_shows_the_step_it_stopped_in(
    engine: SopEngine, clock: FakeClock, seed_sops: dict[str, SopDefinition]
) -> None:
    people = people_for(seed_sops["renja-bappeda-kalbar"])
    run_id = start(engine, "renja-bappeda-kalbar", people, coordinator=COORDINATOR)
    holders = {role: uid for uid, _, role in people}
    for _ in range(2):  # step 1, then step 2's first actor; Forum SKPD still to confirm
        clock.advance(minutes=15)
        act(engine, next(t for t in engine.current_tasks(run_id) if t.status == "active"), holders, COORDINATOR[0])
    clock.advance(minutes=5)
    engine.cancel_run(run_id, COORDINATOR[0], "dibatalkan")
    clock.advance(minutes=600)  # later reading does not stretch the stopped pass
    reports = Reports.for_engine(engine)
    report = reports.run_report(run_id)
    assert report.status == "cancelled"
    assert report.steps[1].finished_passes == () and report.steps[1].open_minutes == 20
    assert [s.passes for s in report.steps] == [1, 1, 0, 0, 0]
    progress = reports.progress(run_id)[1]
    assert (progress.done_steps, progress.current_step, progress.current_actor_index) == ({1}, None, None)
    book = load_workbook(io.BytesIO(Reports.run_files(report, "id").xlsx))
    assert [row[10].value for row in book["Langkah"].iter_rows(min_row=2)] == [
        "selesai", "terhenti", "belum", "belum", "belum"]


def test_the_figures_are_pure_domain_code() -> None:
    """Model and summary import neither the database layer nor Telegram."""
    for name in ("model.py", "summary.py", "labels.py"):
        tree = ast.parse((ROOT / "bot" / "reports" / name).read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {m.split(".")[0] for m in imported} & {"sqlmodel", "sqlalchemy", "storage", "telegram", "handlers"}


def test_report_modules_stay_small() -> None:
    for path in [*sorted((ROOT / "bot" / "reports").glob("*.py")), ROOT / "handlers" / "reports.py"]:
        assert len(path.read_text(encoding="utf-8").splitlines()) < 300, path.name

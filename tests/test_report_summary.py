"""/laporan semua: every running and finished run of a group, per SOP and step.

Five runs in one group: two finished kalbar runs (one returned once), a finished bogor
run, a kalbar run still at step 2, and a cancelled kalbar run that must not count. The
averages, on-time rates and run counts are worked out here from the schedules alone.
"""

from __future__ import annotations

import csv
import io
from statistics import fmean

from openpyxl import load_workbook
from PIL import Image

from bot.engine import SopEngine
from bot.reports import Reports
from bot.reports.chart import chat_bars
from bot.reports.sample import act, play, start
from bot.domain.sop import SopDefinition
from db_fixtures import FakeClock

KALBAR, BOGOR = "renja-bappeda-kalbar", "renja-bappeda-bogor"
BOSS = (1000, "Koordinator")


def people(sop: SopDefinition) -> list[tuple[int, str, str]]:
    return [(2000 + i, f"P{i}", r.key) for i, r in enumerate(r for r in sop.roles if not r.eksternal)]


def test_all_runs_of_a_group_roll_up_per_sop_and_step(
    engine: SopEngine, clock: FakeClock, seed_sops: dict[str, SopDefinition]
) -> None:
    kalbar, bogor = seed_sops[KALBAR], seed_sops[BOGOR]
    work = lambda m: clock.advance(minutes=m)  # noqa: E731
    # Run 1: kalbar, every actor 20 minutes, returned once at step 5.
    first = {(s.no, p, i): 20 for s in kalbar.steps for p in (1, 2) for i in range(len(s.actors))}
    play(engine, work, KALBAR, people(kalbar), first, {(5, 1): "kembali", (5, 2): "setuju"}, coordinator=BOSS)
    # Run 2: kalbar, every actor 4 minutes.
    second = {(s.no, 1, i): 4 for s in kalbar.steps for i in range(len(s.actors))}
    play(engine, work, KALBAR, people(kalbar), second, coordinator=BOSS)
    # Run 3: bogor, every actor 1 minute.
    play(engine, work, BOGOR, people(bogor), {}, default_minutes=1, coordinator=BOSS)
    # Run 4: kalbar, step 1 in 70 minutes, then stuck in step 2.  Run 5: cancelled.
    holders = {r: u for u, _, r in people(kalbar)}
    running = start(engine, KALBAR, people(kalbar), coordinator=BOSS)
    clock.advance(minutes=70)
    act(engine, engine.current_tasks(running)[0], holders, BOSS[0])
    dropped = start(engine, KALBAR, people(kalbar), coordinator=BOSS)
    clock.advance(minutes=3)
    act(engine, engine.current_tasks(dropped)[0], holders, BOSS[0])
    engine.cancel_run(dropped, BOSS[0])

    report = Reports.for_engine(engine).chat_report(-1001000)
    assert [s.sop_id for s in report.sops] == [KALBAR, BOGOR] and report.runs == 4
    k, b = report.sops
    assert (k.runs, k.finished_runs, b.runs, b.finished_runs) == (3, 2, 1, 1)

    chain = {s.no: len(s.actors) for s in kalbar.steps}
    passes = {
        no: [20 * n] * (2 if no >= 3 else 1) + [4 * n] + ([70] if no == 1 else [])
        for no, n in chain.items()
    }
    for step in k.steps:
        want = passes[step.no]
        standard = kalbar.step_by_no[step.no].minutes
        assert sorted(step.pass_minutes) == sorted(want), step.no
        assert step.average_minutes == fmean(want)
        assert step.on_time_passes == sum(m <= standard for m in want)
        assert step.on_time_rate == sum(m <= standard for m in want) / len(want)
        assert step.runs == (3 if step.no == 1 else 2)
    # Standards 60/120/30/10/10: run 1 is late from step 3 on, run 4 in step 1.
    assert [s.on_time_passes for s in k.steps] == [2, 2, 1, 1, 1]
    assert k.average_run_minutes == fmean([20 * sum(chain.values()) + 20 * (2 + 2 + 1), 4 * sum(chain.values())])
    assert k.on_time_rate == 7 / 14 == 7 / sum(len(p) for p in passes.values())
    assert all(s.on_time_rate == 1 and s.runs == 1 for s in b.steps)

    bars = chat_bars(k, "id")
    assert [(bar.standard, bar.actual, bar.overdue) for bar in bars] == [
        (kalbar.step_by_no[no].minutes, fmean(p), max(0.0, fmean(p) - kalbar.step_by_no[no].minutes))
        for no, p in passes.items()
    ]

    files = Reports.chat_files(report, "en")
    book = load_workbook(io.BytesIO(files.xlsx))
    steps = book["Langkah"]
    assert [c.value for c in steps[1]] == ["SOP id", "SOP", "No", "Activity", "Standard per pass (min)",
                                           "Average actual per pass (min)", "Finished passes", "On time (%)", "Runs"]
    rows = [[c.value for c in row] for row in steps.iter_rows(min_row=2)]
    assert len(rows) == len(kalbar.steps) + len(bogor.steps)
    assert [(r[0], r[2], r[4], r[5], r[6], r[7], r[8]) for r in rows[:5]] == [
        (KALBAR, no, kalbar.step_by_no[no].minutes, round(fmean(p), 2), len(p),
         sum(m <= kalbar.step_by_no[no].minutes for m in p) / len(p), 3 if no == 1 else 2)
        for no, p in passes.items()
    ]
    assert steps.freeze_panes == "A2" and steps.cell(2, 8).number_format == "0%"
    summary = [[c.value for c in row] for row in book["Ringkasan"].iter_rows(min_row=2)]
    assert summary[0][:4] == [KALBAR, kalbar.nama, 3, 2] and summary[1][:4] == [BOGOR, bogor.nama, 1, 1]
    assert summary[0][7] == k.on_time_rate and summary[1][7] == 1

    parsed = list(csv.reader(io.StringIO(files.csv.decode("utf-8-sig")), delimiter=";"))
    assert parsed[0][7] == "On time (%)" and len(parsed) == 1 + len(rows)
    assert [row[7] for row in parsed[1:6]] == ["67", "100", "33", "33", "33"]
    assert [row[5] for row in parsed[1:3]] == [str(round(fmean(passes[1]))), str(round(fmean(passes[2])))]

    image = Image.open(io.BytesIO(files.chart))
    assert image.width == 1080 and image.height > 100 * (len(kalbar.steps) + len(bogor.steps))


def test_a_group_without_runs_has_an_empty_summary(engine: SopEngine) -> None:
    assert Reports.for_engine(engine).chat_report(-42).sops == ()

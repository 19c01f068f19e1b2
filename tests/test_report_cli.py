"""`python -m bot report RUN_ID --out DIR` as a person runs it: a subprocess, real files.

The run is the sample run (bot/reports/sample.py) played into the test's database:
step 2 forty minutes over, one return; every figure below follows from its schedule.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook
from PIL import Image

from bot.config import PROJECT_ROOT
from bot.config import Settings
from bot.engine import SopEngine
from bot.reports.sample import KALBAR_MINUTES, KALBAR_OUTCOMES, KALBAR_PEOPLE, START, SOP_ID, SteppingClock, play
from bot.sop.loader import load_directory
from bot.domain.working_calendar import calendar_for
from storage.db import Database


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"TELEGRAM_BOT_TOKEN", "DATABASE_URL", "SOP_DIR"}}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def sample_run(db_url: str) -> int:
    db = Database(db_url)
    try:
        # The calendar the CLI builds from its settings (START falls in Ramadan 1447: its hours).
        calendar = calendar_for("Asia/Jakarta", hours=Settings(_env_file=None).office_schedule())  # type: ignore[call-arg]
        clock = SteppingClock(START, calendar)
        engine = SopEngine(db, load_directory(PROJECT_ROOT / "sop_data"), clock=clock, calendar_for=lambda _: calendar)
        return play(engine, clock.work, SOP_ID, KALBAR_PEOPLE, KALBAR_MINUTES, KALBAR_OUTCOMES)
    finally:
        db.dispose()


def test_report_writes_chart_workbook_and_csv_and_prints_the_summary(db_url: str, tmp_path: Path) -> None:
    run_id = sample_run(db_url)
    out = tmp_path / "laporan" / "run"
    result = run_cli("report", str(run_id), "--out", str(out), "--database-url", db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Laporan #1 Renja 2027 — renja-bappeda-kalbar (selesai)"
    assert lines[1] == "Waktu baku 4 jam 40 menit, aktual 4 jam 47 menit, terlambat 40 menit, dikembalikan 1 kali"
    assert "Agus, Budi (a.n. Forum SKPD)" in lines[3] and "2 jam 40 menit" in lines[3]
    assert "Hambatan utama: Langkah 2\n" in result.stdout  # the only late step
    assert sorted(p.name for p in out.iterdir()) == ["chart.png", "report.csv", "report.xlsx"]

    book = load_workbook(out / "report.xlsx")
    actual = [row[6].value for row in book["Langkah"].iter_rows(min_row=2)]
    assert actual == [50, 160, 47, 16, 14]
    rows = list(csv.reader(io.StringIO((out / "report.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [r[7] for r in rows[1:]] == ["0", "40", "0", "0", "0"] and [r[8] for r in rows[1:]] == ["0", "0", "1", "1", "1"]
    with Image.open(out / "chart.png") as image:
        assert image.format == "PNG" and image.width == 1080 and 600 < image.height < 1200


def test_report_in_english_labels_the_files_in_english(db_url: str, tmp_path: Path) -> None:
    run_id = sample_run(db_url)
    result = run_cli("report", str(run_id), "--out", str(tmp_path), "--lang", "en", "--database-url", db_url,
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Report #1 Renja 2027 — renja-bappeda-kalbar (finished)")
    assert load_workbook(tmp_path / "report.xlsx")["Langkah"]["G1"].value == "Actual (min)"
    assert "Bottlenecks: Step 2" in result.stdout and f"Written: {tmp_path / 'chart.png'}" in result.stdout
    for word in ("Ditulis", "Langkah", "Hambatan", "menit", "a.n.", "selesai"):
        assert word not in result.stdout, word


def test_an_unknown_run_is_a_clear_error(db_url: str, tmp_path: Path) -> None:
    sample_run(db_url)
    result = run_cli("report", "999", "--out", str(tmp_path / "x"), "--database-url", db_url, cwd=tmp_path)
    assert result.returncode == 1
    assert "Run 999 tidak ditemukan" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x").exists()


def test_a_missing_database_file_is_a_clear_error_and_stays_missing(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'none.sqlite3').as_posix()}"
    result = run_cli("report", "1", "--out", str(tmp_path / "x"), "--database-url", url, cwd=tmp_path)
    assert result.returncode == 1 and "tidak ada" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "none.sqlite3").exists()


def test_the_sample_script_makes_the_readme_chart(tmp_path: Path) -> None:
    out = tmp_path / "chart.png"
    result = subprocess.run([sys.executable, "-m", "bot.reports.sample", str(out)], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert result.returncode == 0, result.stderr
    assert f"Ditulis: {out}" in result.stdout
    shipped = PROJECT_ROOT / "docs" / "img" / "report-renja-bappeda-kalbar.png"
    with Image.open(out) as made, Image.open(shipped) as readme:  # pixels vary with the matplotlib version
        assert made.size == readme.size, "docs/img is stale: python -m bot.reports.sample"

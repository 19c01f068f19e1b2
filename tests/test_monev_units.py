"""Monev's pure parts: periods, the assessment rule, sentences, button payloads, layering."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.monev.model import LateStep, MonitoringRow, OnBehalfFact, ReturnFact
from bot.monev.period import PeriodError, parse_period, period_from_key, semester_of, split_period_words
from bot.monev.rules import CRITERIA, AssessmentRule
from bot.monev.sentences import catatan, proposed_actions, tindakan
from handlers.ui import callback_data as cb
TODAY = date(2026, 12, 2)
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("words", "first", "last", "key"), [
    ("", date(2026, 7, 1), date(2026, 12, 31), "2026-2"),
    ("2026-1", date(2026, 1, 1), date(2026, 6, 30), "2026-1"),
    ("2025-2", date(2025, 7, 1), date(2025, 12, 31), "2025-2"),
    ("2026-07-01 2026-09-30", date(2026, 7, 1), date(2026, 9, 30), "2026-07-01_2026-09-30"),
])
def test_periods_people_type(words: str, first: date, last: date, key: str) -> None:
    period = parse_period(words, TODAY)
    assert (period.first, period.last, period.key) == (first, last, key)
    assert period_from_key(key) == period


@pytest.mark.parametrize(("words", "code"), [
    ("2027-1", "future"), ("2026-12-03 2026-12-31", "future"), ("2026-3", "unknown"), ("semester", "unknown"),
    ("2026-02-30 2026-03-01", "unknown"), ("2026-09-30 2026-07-01", "reversed"), ("1900-1", "unknown"),
    ("2020-01-01 2026-01-01", "unknown"), ("2026-1 2026-2", "unknown"),
])
def test_periods_nobody_can_report_on_are_refused(words: str, code: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(words, TODAY)
    assert caught.value.code == code


@pytest.mark.parametrize(("words", "period", "rest"), [
    ("2 Tinjau waktu", "", "2 Tinjau waktu"), ("2026-1 2 Tinjau", "2026-1", "2 Tinjau"),
    ("2026-07-01 2026-09-30 2 Tinjau", "2026-07-01 2026-09-30", "2 Tinjau"),
    ("2026-07-01 2 Tinjau", "2026-07-01", "2 Tinjau"),  # a lone date: parse_period refuses it by name
    ("2026 2 Tinjau", "", "2026 2 Tinjau"),
])
def test_the_period_in_front_of_a_tindakan(words: str, period: str, rest: str) -> None:
    assert split_period_words(words.split()) == (period.split(), rest.split())


def test_a_semester_is_bounded_in_the_groups_zone() -> None:
    period = semester_of(date(2026, 3, 1))
    assert period.start_utc("Asia/Jakarta") == datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    assert period.end_utc("Asia/Jayapura") == datetime(2026, 6, 30, 15, 0, tzinfo=UTC)
    assert period.contains(datetime(2026, 6, 30, 16, 59, tzinfo=UTC), "Asia/Jakarta")
    assert not period.contains(datetime(2026, 6, 30, 17, 0, tzinfo=UTC), "Asia/Jakarta")


def test_the_assessment_rule() -> None:
    rule = AssessmentRule(0.8, 0)
    assert rule.assess(10, 8, 0) is True
    assert rule.assess(10, 7, 0) is False
    assert rule.assess(10, 10, 1) is False
    assert rule.assess(0, 0, 0) is None
    assert AssessmentRule(0.5, 2).assess(4, 2, 2) is True
    assert "80%" in rule.describe("id") and "80%" in rule.describe("en")


def row(**changes: object) -> MonitoringRow:
    values: dict[str, object] = dict(
        chat_id=-1, chat_title="Grup", sop_id="x", nama="SOP X", started=2, finished=2, cancelled=0,
        finished_passes=10, on_time_passes=10, late_steps=(), returns=(), on_behalf=(), nags=0, assessment=True)
    values.update(changes)
    return MonitoringRow(**values)  # type: ignore[arg-type]


def test_the_catatan_states_facts_and_the_tindakan_follows_the_triggers() -> None:
    quiet = row()
    assert catatan(quiet, "id") == ("2 kali dilaksanakan (2 selesai, 0 dibatalkan, 0 berjalan); 10 dari 10 putaran "
                                    "langkah tepat waktu (100%).")
    assert tindakan(quiet, "id") == "Pertahankan penerapan SOP." and tindakan(quiet, "en") == "Keep applying the SOP."
    busy = row(late_steps=(LateStep(4, 2, 130), LateStep(1, 1, 5)),
               returns=(ReturnFact(5, "Kembalikan", 3, 1, ("a" * 100,)),),
               on_behalf=(OnBehalfFact(2, "Forum SKPD", False, 2, ()), OnBehalfFact(3, "Sekretaris", True, 1, ("cuti",))))
    text = catatan(busy, "id")
    assert "langkah 4 terlambat 2 kali, rata-rata lewat 2 jam 10 menit" in text
    assert "1 kali dikembalikan di langkah 5 ke langkah 3 (“" + "a" * 79 + "…”)" in text
    assert "2 kali dikonfirmasi atas nama Forum SKPD di langkah 2;" in text
    # Step 1 late once and one return: below the triggers; an external party on behalf is normal.
    assert proposed_actions(busy, "id") == ["tinjau waktu baku langkah 4", "tambah pemegang peran Sekretaris"]
    assert tindakan(row(action_override="Rapat evaluasi"), "id") == "Rapat evaluasi"
    assert catatan(row(finished_passes=0, on_time_passes=0), "en").endswith("no step finished yet.")


def test_questionnaire_and_paraf_payloads_fit_and_forgeries_do_not_decode() -> None:
    for payload in (cb.SurveyAnswer(2**52, len(CRITERIA) - 1, 1), cb.SurveyNote(2**52),
                    cb.MonevSign("2026-07-01_2026-09-30"), cb.MonevSign("2026-2")):
        data = payload.encode()
        assert len(data.encode()) <= cb.MAX_BYTES and cb.decode(data) == payload
    for forged in ("ms|2026-3", "ms|../../etc", "ms|2026-1|x", "ea|1|2", "ea|-1|0|1", "en|abc", "ms|"):
        with pytest.raises(cb.CallbackError):
            cb.decode(forged)


PURE = ("period", "rules", "model", "sentences", "labels", "snapshot")


@pytest.mark.parametrize("name", PURE)
def test_monev_domain_modules_import_no_framework(name: str) -> None:
    tree = ast.parse((ROOT / "bot" / "monev" / f"{name}.py").read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not imported & {"telegram", "sqlalchemy", "sqlmodel", "handlers", "storage"}


@pytest.mark.parametrize(("module", "image"), [("bot.monev.sample", "monev-2026-1.png"),
                                               ("bot.reports.sample", "report-renja-bappeda-kalbar.png")])
def test_the_readme_images_are_rebuilt_by_their_samples(module: str, image: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import import_module

    from PIL import Image

    out = tmp_path / image
    assert import_module(module).main([str(out)]) == 0
    assert f"Ditulis: {out}" in capsys.readouterr().out
    with Image.open(out) as made, Image.open(ROOT / "docs" / "img" / image) as committed:
        assert made.size == committed.size  # (bytes may differ across matplotlib versions)

"""Monev of a scripted semester, through the real engine, on SQLite and PostgreSQL.

:data:`bot.monev.sample.SEMESTER` plays five renja-bappeda-kalbar runs from February to
June 2026 on the WIB office calendar (and one in July), with the deadline tick before
every action. Every figure below follows from that schedule by hand:

* A: every pass within its standard (5 passes).
* B: step 2 takes 100 + 60 = 160 of 120 (40 over; Forum SKPD's task nagged once); the
  Kepala Badan returns it ("Indikator …"); step 3's second pass takes 20 + 20 = 40 of 30
  (10 over, nagged once); 8 passes, 2 late.
* C: step 2 takes 150 + 30 = 180 of 120 (60 over, nagged once); step 3 is confirmed for
  the absent Sekretaris; returned ("Anggaran …"); 8 passes, 1 late.
* D: step 1 takes 80 of 60 (20 over, nagged once), then the run is cancelled.
* E: step 1 on time, still running.

So 2026-1: 5 runs (3 finished, 1 cancelled, 1 running), 23 finished passes, 19 on time;
late steps 2 (twice, average 50 min over), 1 (20) and 3 (10); two returns at step 5;
Forum SKPD confirmed on behalf 3 times, the Sekretaris once; 4 nags. With one run
cancelled the default rule says "tidak berjalan dengan baik".
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook
from sqlalchemy import text

from bot.cli import main as cli
from bot.engine import SopEngine
from bot.monev import queries, store
from bot.monev.snapshot import form_to_json
from bot.monev.period import parse_period
from bot.monev.rules import CRITERIA, AssessmentRule
from bot.monev.sample import (
    ABSENT_REASON,
    GROUP,
    RETURN_REASONS,
    SEMESTER,
    ScriptedRun,
    play_run,
    play_semester,
)
from bot.monev.sentences import catatan, tindakan
from bot.monev.service import Monev, NoRuns
from bot.reports.sample import SteppingClock
from bot.domain.sop import SopDefinition
from bot.domain.working_calendar import calendar_for
from storage.db import Database

TODAY = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
BUDI, SITI, AGUS, DEWI, RINA = 3001, 3002, 3003, 3004, 3005
KALBAR, BOGOR = "renja-bappeda-kalbar", "renja-bappeda-bogor"
CATATAN = (
    "5 kali dilaksanakan (3 selesai, 1 dibatalkan, 1 berjalan); 19 dari 23 putaran langkah tepat waktu (83%); "
    "langkah 2 terlambat 2 kali, rata-rata lewat 50 menit; langkah 1 terlambat 1 kali, rata-rata lewat 20 menit; "
    "langkah 3 terlambat 1 kali, rata-rata lewat 10 menit; 2 kali dikembalikan di langkah 5 ke langkah 3 "
    f"(“{RETURN_REASONS[0]}”; “{RETURN_REASONS[1]}”); 3 kali dikonfirmasi atas nama Forum SKPD di langkah 2 "
    f"(“dikonfirmasi lewat telepon”); 1 kali dikonfirmasi atas nama Sekretaris di langkah 3 (“{ABSENT_REASON}”); "
    "4 pengingat keterlambatan dikirim."
)
TINDAKAN = ("Tinjau waktu baku langkah 2; perjelas kriteria pemeriksaan di langkah 5; tambah pemegang peran "
            "Sekretaris; telusuri penyebab 1 kali pembatalan.")
#: What Budi, Siti and Dewi answer for runs A, B and C (Ya = True); Dewi says Tidak to
#: "Mudah dilaksanakan" twice and writes a note once.
ANSWERS = {BUDI: [True] * 7, SITI: [True, True, True, False, True, True, True], DEWI: [True, True, False] + [True] * 4}
NOTE = "Langkah 2 perlu waktu baku yang lebih realistis"


class Semester:
    """The scripted semester played into a database, with its questionnaires sent."""

    def __init__(self, db: Database, sops: dict[str, SopDefinition]) -> None:
        self.calendar = calendar_for("Asia/Jakarta")
        self.clock = SteppingClock(SEMESTER[0].start, self.calendar)
        self.engine = SopEngine(db, sops, clock=self.clock, calendar_for=lambda _tz: self.calendar)
        self.monev = Monev(db, lambda _tz: self.calendar, self.clock)
        self.db = db
        self.run_ids = play_semester(self.engine, self.clock, after_each=lambda _run_id: self.send_questionnaires())
        self.clock.now = TODAY

    def send_questionnaires(self) -> None:
        self.monev.invite_finished()
        for invite in store.claim_invites(self.db, self.clock.now, timedelta(seconds=60)):
            store.settle_invite(self.db, invite.id, self.clock.now, sent=True)

    def questionnaires(self, user_id: int, sop_id: str = KALBAR) -> list[int]:
        with self.db.transaction(readonly=True) as s:
            rows = s.execute(text("SELECT id FROM monev_evaluations WHERE user_id = :u AND sop_id = :s ORDER BY run_id"),
                             {"u": user_id, "s": sop_id})
            return [int(r[0]) for r in rows]

    def answer_all(self, runs: int = 3) -> None:
        for user_id, values in ANSWERS.items():
            for evaluation_id in self.questionnaires(user_id)[:runs]:
                for index, value in enumerate(values):
                    store.answer(self.db, evaluation_id, user_id, index, value, self.clock.now)
        store.write_note(self.db, self.questionnaires(DEWI)[1], DEWI, NOTE, self.clock.now)

    def form(self, key: str = "2026-1") -> object:
        return self.monev.form([GROUP], parse_period(key, TODAY.date()))


@pytest.fixture
def semester(db: Database, seed_sops: dict[str, SopDefinition]) -> Semester:
    return Semester(db, dict(seed_sops))


def test_the_monitoring_rows_hold_exactly_the_scripted_facts(semester: Semester) -> None:
    row, bogor = semester.form().monitoring  # type: ignore[attr-defined]
    # Bogor: 11 steps twice, 5 minutes each, except step 4's 330 of 300 in the second run (nagged once).
    assert (bogor.sop_id, bogor.started, bogor.finished, bogor.finished_passes, bogor.on_time_passes) == (
        BOGOR, 2, 2, 22, 21)
    assert [(s.no, s.late_passes, s.average_overrun_minutes) for s in bogor.late_steps] == [(4, 1, 30)]
    assert (bogor.returns, bogor.on_behalf, bogor.nags, bogor.assessment) == ((), (), 1, True)
    assert tindakan(bogor, "id") == "Pertahankan penerapan SOP."  # late once only: below the trigger
    assert (row.sop_id, row.started, row.finished, row.cancelled, row.running) == ("renja-bappeda-kalbar", 5, 3, 1, 1)
    assert (row.finished_passes, row.on_time_passes, row.nags) == (23, 19, 4)
    assert [(s.no, s.late_passes, s.average_overrun_minutes) for s in row.late_steps] == [(2, 2, 50), (1, 1, 20),
                                                                                         (3, 1, 10)]
    assert [(r.step_no, r.goto, r.count, r.reasons) for r in row.returns] == [(5, 3, 2, RETURN_REASONS)]
    assert [(o.step_no, o.role, o.internal, o.count, o.reasons) for o in row.on_behalf] == [
        (2, "Forum SKPD", False, 3, ("dikonfirmasi lewat telepon",)), (3, "Sekretaris", True, 1, (ABSENT_REASON,))]
    assert row.assessment is False  # 83 % on time, but one run was cancelled
    assert catatan(row, "id") == CATATAN
    assert tindakan(row, "id") == TINDAKAN
    assert catatan(row, "en").startswith("Run 5 times (3 finished, 1 cancelled, 1 running); 19 of 23 step passes")


def test_the_rule_is_configurable_and_the_second_semester_stands_apart(semester: Semester) -> None:
    lenient = Monev(semester.db, lambda _tz: semester.calendar, semester.clock, rule=AssessmentRule(0.8, 1))
    assert [r.assessment for r in lenient.form([GROUP], parse_period("2026-1", TODAY.date())).monitoring] == [
        True, True]
    strict = Monev(semester.db, lambda _tz: semester.calendar, semester.clock, rule=AssessmentRule(0.9, 1))
    assert [r.assessment for r in strict.form([GROUP], parse_period("2026-1", TODAY.date())).monitoring] == [
        False, True]  # 83 % and 95 %
    (july,) = semester.form("2026-2").monitoring  # type: ignore[attr-defined]
    assert (july.started, july.finished, july.finished_passes, july.on_time_passes, july.nags) == (1, 1, 5, 5, 0)
    assert july.assessment is True and tindakan(july, "id") == "Pertahankan penerapan SOP."
    with pytest.raises(NoRuns):
        semester.form("2025-2")


def test_questionnaires_go_to_actors_who_pressed_start_once_per_run(semester: Semester) -> None:
    # Runs A, B, C (first semester) and the July run finished; D was cancelled, E runs.
    assert [len(semester.questionnaires(u)) for u in (BUDI, SITI, AGUS, DEWI, RINA)] == [4, 4, 0, 4, 0]
    assert [len(semester.questionnaires(u, BOGOR)) for u in (BUDI, SITI, AGUS, DEWI, RINA)] == [2, 2, 0, 2, 2]
    semester.send_questionnaires()  # the job again: nothing new
    assert len(semester.questionnaires(BUDI)) == 4
    semester.answer_all()
    evaluation, bogor = semester.form().evaluation  # type: ignore[attr-defined]
    assert (bogor.invited, bogor.responded, bogor.notes) == (8, 0, ())
    assert (evaluation.invited, evaluation.responded) == (9, 9)
    assert [(c.key, c.yes, c.answered) for c in evaluation.criteria] == [
        ("kinerja", 9, 9), ("dipahami", 9, 9), ("dilaksanakan", 6, 9), ("peran", 6, 9), ("masalah", 9, 9),
        ("kebutuhan", 9, 9), ("sinergi", 9, 9)]
    assert evaluation.notes == (NOTE,)


def test_a_foreign_or_repeated_answer_changes_nothing(semester: Semester) -> None:
    siti_first = semester.questionnaires(SITI)[0]
    assert store.answer(semester.db, siti_first, SITI, 0, True, semester.clock.now) is True
    assert store.answer(semester.db, siti_first, SITI, 0, True, semester.clock.now) is False  # a double press
    for forged in ((siti_first, BUDI, 1), (10**9, SITI, 1), (siti_first, SITI, len(CRITERIA))):
        with pytest.raises(store.MonevRefused):
            store.answer(semester.db, forged[0], forged[1], forged[2], False, semester.clock.now)
    with pytest.raises(store.MonevRefused):
        store.questionnaire(semester.db, siti_first, DEWI)
    assert store.questionnaire(semester.db, siti_first, SITI).answers == {"kinerja": True}


def test_the_docx_and_xlsx_hold_the_figures(semester: Semester) -> None:
    semester.answer_all()
    form = semester.form()
    files = Monev.files(form, "id")  # type: ignore[arg-type]
    document = Document(io.BytesIO(files.docx))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert document.sections[0].page_width > document.sections[0].page_height
    monitoring, evaluation = document.tables
    assert [c.text for c in monitoring.rows[0].cells] == [
        "No.", "Prosedur", "Penilaian Terhadap Penerapan", "Catatan Hasil Penilaian", "Tindakan yang Harus Diambil",
        "Paraf Penilai"]
    assert [c.text for c in monitoring.rows[1].cells] == ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
    row = [c.text for c in monitoring.rows[2].cells]
    assert row[:2] == ["1.", "Menyusun Rencana Kerja"]
    assert row[2] == "☐ Berjalan dengan baik\n☑ Tidak berjalan dengan baik"
    assert row[3:] == [CATATAN, TINDAKAN, "(belum diparaf)"]
    assert [c.text for c in monitoring.rows[3].cells][:3] == ["2.", "Penyusunan Rencana Kerja (Renja)",
                                                              "☑ Berjalan dengan baik\n☐ Tidak berjalan dengan baik"]
    header = [c.text for c in evaluation.rows[0].cells]
    assert header[2:9] == [c[1] for c in CRITERIA] and header[-2:] == ["Catatan pelaksana", "Tindakan yang Harus Diambil"]
    cells = [c.text for c in evaluation.rows[2].cells]
    assert cells[2:9] == ["Ya 100% (9/9)", "Ya 100% (9/9)", "Ya 67% (6/9)", "Ya 67% (6/9)", "Ya 100% (9/9)",
                          "Ya 100% (9/9)", "Ya 100% (9/9)"]
    assert cells[9] == f"“{NOTE}”" and "9 dari 9 pelaksana menjawab" in cells[1]

    book = load_workbook(io.BytesIO(files.xlsx))
    assert book.sheetnames == ["Monitoring", "Evaluasi", "Rincian"]
    values = [c.value for c in book["Monitoring"][3]]
    assert values[:6] == [1, "Menyusun Rencana Kerja", "Tidak berjalan dengan baik", CATATAN, TINDAKAN,
                          "(belum diparaf)"]
    assert values[8:18] == [5, 3, 1, 1, 23, 19, 83, 2, 4, 4]
    evaluated = [c.value for c in book["Evaluasi"][3]]
    assert evaluated[2] == 9 and evaluated[3:12] == [9, 9, 100, 9, 9, 100, 6, 9, 67]
    details = [[c.value for c in r] for r in book["Rincian"].iter_rows(min_row=2)]
    assert [(d[1], d[2], d[4]) for d in details] == [
        (1, "Renja 2027 A", "selesai"), (2, "Renja Bogor 2027", "selesai"), (3, "Renja 2027 B", "selesai"),
        (4, "Renja 2027 C", "selesai"), (5, "Renja 2027 D", "dibatalkan"), (6, "Renja Bogor 2027 Perubahan", "selesai"),
        (7, "Renja 2027 E", "berjalan")]
    assert details[0][5] == "2026-02-02 08:00 WIB"
    english = load_workbook(io.BytesIO(Monev.files(form, "en").xlsx))  # type: ignore[arg-type]
    assert english.sheetnames == ["Monitoring", "Evaluasi", "Rincian"]
    assert [c.value for c in english["Monitoring"][2]][:3] == ["No.", "Procedure", "Assessment of implementation"]
    assert files.chart.startswith(b"\x89PNG")


def test_a_signed_off_period_is_frozen(semester: Semester) -> None:
    semester.answer_all(runs=2)
    period = parse_period("2026-1", TODAY.date())
    semester.monev.set_action(GROUP, period, KALBAR, "Tinjau ulang langkah 2 bersama Bidang", BUDI)
    signed = semester.monev.sign_off(GROUP, period, BUDI, "Budi")
    before = form_to_json(semester.monev.form([GROUP], period))
    assert tindakan(signed.monitoring[0], "id") == "Tinjau ulang langkah 2 bersama Bidang"
    # After the paraf: a late answer, a new run in June, a new Tindakan, a second paraf.
    third = semester.questionnaires(SITI)[2]
    with pytest.raises(store.MonevRefused, match="locked"):
        store.answer(semester.db, third, SITI, 0, False, semester.clock.now)
    late = ScriptedRun("Renja susulan", datetime(2026, 6, 15, 1, 0, tzinfo=UTC), SEMESTER[0].minutes,
                                 {(5, 1): "setuju"})
    play_run(semester.engine, semester.clock, late)
    semester.clock.now = TODAY
    with pytest.raises(store.MonevRefused, match="locked"):
        semester.monev.set_action(GROUP, period, "renja-bappeda-kalbar", "lain", BUDI)
    with pytest.raises(store.MonevRefused, match="signed"):
        semester.monev.sign_off(GROUP, period, BUDI, "Budi")
    after = form_to_json(semester.monev.form([GROUP], period))
    before.pop("generated_at"), after.pop("generated_at")
    assert after == before
    assert after["monitoring"][0]["started"] == 5 and after["parafs"][0]["name"] == "Budi"
    assert after["monitoring"][1]["started"] == 2
    with semester.db.transaction(readonly=True) as s:
        kinds = [r[0] for r in s.execute(text("SELECT kind FROM audit_events WHERE kind LIKE 'monev%' ORDER BY id"))]
    assert kinds == ["monev_action_set", "monev_signed_off"]
    group = queries.chats(semester.db, [GROUP], "Asia/Jakarta")[GROUP]
    live = semester.monev.live_form(group, period)  # the unfrozen figures did move: the freeze holds them
    assert live.monitoring[0].started == 6


def test_the_cli_writes_the_three_files_and_refuses_bad_periods(semester: Semester, db_url: str, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # The semester was played on the regular week (calendar_for's default); February and March
    # 2026 hold Ramadan 1447, whose shorter days the settings apply unless told otherwise.
    monkeypatch.setenv("RAMADAN_HOURS", "off")
    out = tmp_path / "monev"
    assert cli(["monev", "--period", "2026-1", "--out", str(out), "--database-url", db_url]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["monev-2026-1.docx", "monev-2026-1.png", "monev-2026-1.xlsx"]
    printed = capsys.readouterr().out
    assert "Menyusun Rencana Kerja (Sekretariat): Tidak berjalan dengan baik" in printed and CATATAN in printed
    assert "Penyusunan Rencana Kerja (Renja) (Sekretariat): Berjalan dengan baik" in printed
    assert load_workbook(out / "monev-2026-1.xlsx")["Monitoring"][3][12].value == 23
    for period in ("2099-1", "2025-2", "semester-1", "2026-09-30 2026-07-01"):
        assert cli(["monev", "--period", period, "--out", str(tmp_path / "no"), "--database-url", db_url]) == 1
    assert not (tmp_path / "no").exists()
    assert cli(["monev", "--period", "2026-2", "--lang", "en", "--out", str(out), "--database-url", db_url]) == 0
    assert "Menyusun Rencana Kerja (Sekretariat): Running well" in capsys.readouterr().out


def test_a_form_over_several_groups_names_each_group(semester: Semester) -> None:
    other = -1002000
    run = ScriptedRun("Renja cabang", datetime(2026, 6, 22, 1, 0, tzinfo=UTC), SEMESTER[0].minutes,
                      {(5, 1): "setuju"}, chat_id=other)
    play_run(semester.engine, semester.clock, run)
    semester.clock.now = TODAY
    semester.engine.ensure_chat(other, "supergroup", "Bidang Ekonomi")
    form = semester.monev.form([GROUP, other], parse_period("2026-1", TODAY.date()))
    assert [(r.chat_title, r.sop_id, r.started) for r in form.monitoring] == [
        ("Bidang Ekonomi", KALBAR, 1), ("Sekretariat", KALBAR, 5), ("Sekretariat", BOGOR, 2)]
    document = Document(io.BytesIO(Monev.files(form, "id").docx))
    assert [r.cells[1].text for r in document.tables[0].rows[2:]] == [
        "Menyusun Rencana Kerja (Bidang Ekonomi)", "Menyusun Rencana Kerja (Sekretariat)",
        "Penyusunan Rencana Kerja (Renja) (Sekretariat)"]
    assert semester.monev.standing(BUDI) == {GROUP: {"coordinator", "supervisor"}, other: {"coordinator", "supervisor"}}
    assert semester.monev.standing(SITI) == {}


def test_a_questionnaire_is_claimed_by_one_sender_and_given_up_after_five_failures(semester: Semester) -> None:
    late = ScriptedRun("Renja ulang", datetime(2026, 6, 22, 1, 0, tzinfo=UTC), SEMESTER[0].minutes, {(5, 1): "setuju"})
    play_run(semester.engine, semester.clock, late)
    assert semester.monev.invite_finished() == 3
    now, lease = semester.clock.now, timedelta(seconds=60)
    first = store.claim_invites(semester.db, now, lease)
    assert sorted(i.user_id for i in first) == [BUDI, SITI, DEWI]
    assert store.claim_invites(semester.db, now + timedelta(seconds=30), lease) == []  # another sender: all leased
    budi = next(i for i in first if i.user_id == BUDI)
    for attempt in range(1, store.MAX_ATTEMPTS + 1):
        store.settle_invite(semester.db, budi.id, now, sent=False)
        again = store.claim_invites(semester.db, now, lease)
        assert [i.id for i in again] == ([budi.id] if attempt < store.MAX_ATTEMPTS else []), attempt
    with pytest.raises(store.MonevRefused):  # never delivered: nothing to answer
        store.answer(semester.db, budi.id, BUDI, 0, True, now)

"""Each kind of plain question gets its own answer (handlers.ui.answers): whose turn, where
the run is, how late — rendered from engine views, no bot needed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.engine.views import RoleRef, RunView, StatusView, StepView, TaskView, UserRef
from handlers.ui import answers

SEKRETARIS = RoleRef("sekretaris", "Sekretaris")
FORUM = RoleRef("forum_skpd", "Forum SKPD", eksternal=True)
MONDAY_NOON = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # 12:00 WIB
SITI, BUDI = UserRef(2, "Siti"), UserRef(1, "Budi")
TZ = "Asia/Jakarta"


def run(status: str = "active") -> RunView:
    return RunView(1, -5, 2, "Renja 2027", "renja", "Menyusun Rencana Kerja", 1, "h", status, BUDI, 3, 1,
                   MONDAY_NOON, None, None, None, None)


def task(role: RoleRef = SEKRETARIS, holder: UserRef | None = SITI, **changes: object) -> TaskView:
    base = TaskView(9, 1, -5, 2, "Renja 2027", 3, "Memaraf", 0, 1, 1, role, "active", holder, MONDAY_NOON,
                    MONDAY_NOON + timedelta(minutes=30), 30, None, None, False, None, None, None, None, False)
    return replace(base, **changes)  # type: ignore[arg-type]


def status(the_task: TaskView | None = None, **changes: object) -> StatusView:
    the_task = the_task or task()
    step = StepView(3, "Memaraf draf", None, None, None, 30, (the_task.role,), None)
    view = StatusView(run(), step, the_task, the_task.role, the_task.holder, MONDAY_NOON, the_task.due_at,
                      10.0, 30, False, (), ())
    return replace(view, **changes)  # type: ignore[arg-type]


def test_whose_turn_names_the_person_the_role_and_since_when() -> None:
    text = answers.whose_turn(status(), TZ, "id")
    assert text == ('👤 <b>#2 Renja 2027</b>: giliran <a href="tg://user?id=2">Siti</a> sebagai Sekretaris, '
                    "langkah 3, sejak Sen 2 Mar 12:00 WIB.")
    assert answers.whose_turn(status(), TZ, "en").endswith(
        '<a href="tg://user?id=2">Siti</a> as Sekretaris is up — step 3, since Mon 2 Mar 12:00 WIB.')


def test_whose_turn_notes_a_substitute_a_chain_an_external_party_and_a_vacant_role() -> None:
    plh = answers.whose_turn(status(task(acting="plh", acting_for=BUDI)), TZ, "id")
    assert "giliran <a href=\"tg://user?id=2\">Siti</a> (Plh. Sekretaris), langkah 3," in plh
    chain = answers.whose_turn(status(task(chain_index=1, chain_length=3)), TZ, "id")
    assert "langkah 3 (pelaku 2 dari 3)" in chain
    external = answers.whose_turn(status(task(FORUM, None)), TZ, "id")
    assert "menunggu Forum SKPD (pihak luar); koordinator <a href=\"tg://user?id=1\">Budi</a> mengonfirmasi" in external
    vacant = answers.whose_turn(status(task(holder=None)), TZ, "en")
    assert "step 3 waits for Sekretaris, which nobody holds yet" in vacant and "/claim sekretaris" in vacant


def test_where_we_are_is_step_n_of_m_with_what_is_done() -> None:
    text = answers.where_we_are(status(), 5, frozenset({2, 1}), TZ, "id")
    assert text == "📍 <b>#2 Renja 2027</b>: langkah 3 dari 5 — Memaraf draf\n✅ Sudah selesai: langkah 1, 2."
    assert answers.where_we_are(status(), 5, frozenset(), TZ, "en").endswith("step 3 of 5 — Memaraf draf\nNo step is done yet.")


def test_how_late_says_what_is_left_or_how_late_in_working_time() -> None:
    left = answers.how_late(status(), TZ, "id")
    assert left == ("⏱ <b>#2 Renja 2027</b>, langkah 3: sudah 10 menit waktu kerja dari waktu baku 30 menit"
                    " — sisa 20 menit, batas Sen 2 Mar 12:30 WIB.")
    late = answers.how_late(status(elapsed_minutes=75.0, overdue=True, late_minutes=45.0), TZ, "en")
    assert "step 3: 1 h 15 min of working time used, standard time 30 min — <b>45 min late</b>." in late
    untimed = answers.how_late(status(standard_minutes=0, step=StepView(3, "x", None, None, None, 0, (), None)), TZ, "id")
    assert untimed == ("⏱ <b>#2 Renja 2027</b>, langkah 3: sudah 10 menit waktu kerja; langkah ini tanpa waktu baku, "
                       "jadi tidak terlambat.")


def test_how_late_after_office_hours_says_when_the_clock_runs_again() -> None:
    evening = MONDAY_NOON + timedelta(hours=5)  # 17:00 WIB
    text = answers.how_late(status(taken_at=evening, resumes_at=MONDAY_NOON + timedelta(hours=20)), TZ, "id")
    assert text.endswith("\n⏸ Di luar jam kerja — dihitung lagi Selasa 08.00 WIB"), text


def test_a_run_that_is_over_answers_every_kind_with_its_status() -> None:
    over = StatusView(run("finished"), None, None, None, None, None, None, None, None, False, (), ())
    for text in (answers.whose_turn(over, TZ, "id"), answers.how_late(over, TZ, "id"),
                 answers.where_we_are(over, 5, frozenset({1, 2, 3, 4, 5}), TZ, "id")):
        assert "🏁 Selesai." in text

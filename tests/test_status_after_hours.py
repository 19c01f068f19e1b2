"""After office hours the status says when the clock runs again, from the engine's own
calendar (so a longer Friday or a holiday moves the answer), in both languages."""

from __future__ import annotations

from datetime import UTC, datetime

from deadline_fixtures import nag_engine, nag_org, sop_with, wib  # noqa: F401

from bot.config import Settings
from bot.domain.working_calendar import calendar_for
from handlers.ui import answers, formatting
def test_at_1640_on_a_monday_the_clock_runs_again_tuesday_0800(nag_org, clock) -> None:  # type: ignore[no-untyped-def]
    org = nag_org(sop=sop_with("30 menit"))
    clock.now = wib(2026, 7, 6, 16, 30)
    run = org.start_run()
    clock.now = wib(2026, 7, 6, 16, 40)
    view = org.engine.status(run.id)
    assert view.resumes_at == wib(2026, 7, 7, 8, 0) and view.elapsed_minutes == 0
    text = formatting.status(view, "Asia/Jakarta", "id")
    assert "Berjalan 0 menit dari waktu baku 30 menit" in text
    assert "⏸ Di luar jam kerja — dihitung lagi Selasa 08.00 WIB" in text
    english = formatting.status(view, "Asia/Makassar", "en")
    assert "Outside office hours — the clock runs again Tuesday 09:00 WITA" in english


def test_during_office_hours_nothing_is_said(nag_org, clock) -> None:  # type: ignore[no-untyped-def]
    org = nag_org(sop=sop_with("30 menit"))
    clock.now = wib(2026, 7, 6, 10, 0)
    view = org.engine.status(org.start_run().id)
    assert view.resumes_at is None
    assert "jam kerja" not in formatting.status(view, "Asia/Jakarta", "id")


def test_friday_evening_names_monday_and_a_long_holiday_names_the_date(nag_org, clock) -> None:  # type: ignore[no-untyped-def]
    hours = Settings(_env_file=None, office_hours="mon-thu 07:30-16:00, fri 07:30-16:30").office_schedule()  # type: ignore[call-arg]
    org = nag_org(sop=sop_with("30 menit"), calendar_for=lambda tz: calendar_for(tz, hours=hours))
    clock.now = wib(2026, 7, 3, 16, 20)
    run = org.start_run()
    clock.now = wib(2026, 7, 3, 16, 35)
    assert "dihitung lagi Senin 07.30 WIB" in formatting.status(org.engine.status(run.id), "Asia/Jakarta", "id")
    # Nyepi, then Idul Fitri 2027 with its cuti bersama: after Friday 5 March (17:00 WIB) work
    # resumes on Tuesday 16 March, at the regular hours again (Ramadan is over).
    clock.now = datetime(2027, 3, 5, 10, 0, tzinfo=UTC)
    run = org.start_run("Renja 2028")
    view = org.engine.status(run.id)
    assert view.resumes_at == wib(2027, 3, 16, 7, 30)
    assert "dihitung lagi Selasa 16 Mar 07.30 WIB" in formatting.status(view, "Asia/Jakarta", "id")


def test_on_a_ramadan_afternoon_the_status_says_closed_at_1530_and_names_the_next_morning(
        nag_org, clock) -> None:  # type: ignore[no-untyped-def]
    hours = Settings(_env_file=None).office_schedule()  # type: ignore[call-arg]
    org = nag_org(sop=sop_with("30 menit"), calendar_for=lambda tz: calendar_for(tz, hours=hours))
    clock.now = wib(2027, 2, 17, 14, 50)  # a Wednesday in Ramadan 1448: the office closes at 15:00
    run = org.start_run()
    clock.now = wib(2027, 2, 17, 15, 30)  # a regular day would still be working
    view = org.engine.status(run.id)
    assert view.resumes_at == wib(2027, 2, 18, 8, 0) and view.elapsed_minutes == 10
    assert "⏸ Di luar jam kerja — dihitung lagi Kamis 08.00 WIB" in formatting.status(view, "Asia/Jakarta", "id")
    clock.now = wib(2027, 2, 3, 15, 30)  # the same hour a fortnight before Ramadan: office hours
    assert org.engine.status(org.start_run("Renja 2028").id).resumes_at is None


def test_how_late_after_hours_counts_working_time_and_says_when_it_runs_again(nag_org, clock) -> None:  # type: ignore[no-untyped-def]
    """"Telat?" at 16:40 on a Monday, 20 working minutes into a 30-minute step begun at 15:40 (the office closed at 16:00):
    not late, 10 minutes left, and the clock stands still till Tuesday 08.00."""
    org = nag_org(sop=sop_with("30 menit"))
    clock.now = wib(2026, 7, 6, 15, 40)
    run = org.start_run()
    clock.now = wib(2026, 7, 6, 16, 40)
    text = answers.how_late(org.engine.status(run.id), "Asia/Jakarta", "id")
    assert "sudah 20 menit waktu kerja dari waktu baku 30 menit — sisa 10 menit, batas Sel 7 Jul 08:10 WIB." in text
    assert text.endswith("⏸ Di luar jam kerja — dihitung lagi Selasa 08.00 WIB")
    clock.now = wib(2026, 7, 7, 8, 15)  # the next morning: 20 + 15 working minutes, 5 late
    late = answers.how_late(org.engine.status(run.id), "Asia/Jakarta", "en")
    assert "35 min of working time used, standard time 30 min — <b>5 min late</b>." in late and "⏸" not in late

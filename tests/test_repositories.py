"""The repositories' queries whose rules are easy to get wrong: which runs and tasks a report
reads, a monev period's half-open bounds and which nags count, a sign-off's uniqueness, and
the one-time claims on a chat. On SQLite and, with TEST_DATABASE_URL set, on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from db_fixtures import GROUP, FakeClock, Org

from bot.engine import SopEngine
from storage.db import Database
from storage.models import NagLog
from storage.repositories.monev import ChatInfo, MonevRepository, SignoffExists
from storage.repositories.people import PeopleRepository
from storage.repositories.reports import ReportRepository

KALBAR = "renja-bappeda-kalbar"


def test_a_chats_report_reads_runs_by_status_in_order_and_leaves_cancelled_tasks_out(
        org: Org, engine: SopEngine, db: Database) -> None:
    first = org.start(KALBAR, "Pertama")
    org.act(first.id)
    engine.cancel_run(first.id, org.coordinator, "salah SOP")
    second = org.start(KALBAR, "Kedua")
    with db.transaction(readonly=True) as s:
        repo = ReportRepository(s)
        running = repo.chat_run_facts(GROUP)
        cancelled = repo.chat_run_facts(GROUP, statuses=("cancelled",))
        both = repo.chat_run_facts(GROUP, statuses=("cancelled", "active"))
        assert repo.latest_run_number(GROUP) == 2
        assert repo.latest_run_number(GROUP + 1) is None
    assert [f.title for f in running] == ["Kedua"] and running[0].run_id == second.id
    assert [f.title for f in both] == ["Pertama", "Kedua"]  # by run number
    (gone,) = cancelled
    # The step done before the cancellation stays; the task the cancellation ended does not.
    assert [(t.step_no, t.status) for t in gone.tasks] == [(1, "done")]
    assert gone.cancelled_at is not None and gone.names  # who did step 1 is named


def test_a_monev_period_is_half_open_and_counts_only_overdue_nags_sent_within_it(
        org: Org, db: Database, clock: FakeClock) -> None:
    run = org.start(KALBAR)
    task = org.active(run.id)
    started = clock.now
    chat = ChatInfo(GROUP, "Sekretariat", "Asia/Jakarta", "id")
    end = started + timedelta(days=1)
    with db.transaction() as s:
        for round_, at in ((0, started), (1, started + timedelta(hours=1)), (2, end)):
            s.add(NagLog(task_id=task.id, round=round_, run_id=run.id, late_minutes=round_ * 60, claimed_at=at))
    with db.transaction(readonly=True) as s:
        repo = MonevRepository(s)
        facts, nags = repo.period_runs(chat, started, end)
        assert [f.run_id for f in facts] == [run.id]
        assert nags == {run.id: 1}  # round 0 is an early reminder; round 2 came at the period's end
        assert repo.period_runs(chat, started + timedelta(microseconds=1), end) == ([], {})
        assert repo.period_runs(chat, started - timedelta(days=1), started) == ([], {})


def test_a_privacy_notice_is_claimed_once_until_given_back_and_an_upsert_keeps_what_is_known(
        db: Database, clock: FakeClock) -> None:
    with db.transaction() as s:
        repo = PeopleRepository(s)
        chat = repo.upsert_chat(GROUP, clock.now, "Asia/Makassar", "supergroup")
        assert repo.claim_privacy_notice(GROUP, clock.now) is True
        assert repo.claim_privacy_notice(GROUP, clock.now) is False
    with db.transaction() as s:
        repo = PeopleRepository(s)
        assert repo.claim_privacy_notice(GROUP, clock.now) is False  # committed: another process sees it
        repo.unclaim_privacy_notice(GROUP)
        assert repo.claim_privacy_notice(GROUP, clock.now) is True
        again = repo.upsert_chat(GROUP, clock.advance(minutes=5), "Asia/Jakarta", "group")
        assert (again.timezone, again.type, again.created_at) == ("Asia/Makassar", "supergroup", chat.created_at)
        assert repo.claim_privacy_notice(GROUP + 1, clock.now) is False  # no such chat: nothing to claim
        bare = repo.upsert_user(7, clock.now)
        assert (bare.first_name, bare.started_private) == (None, False)


def test_a_second_sign_off_is_refused_even_when_it_passed_the_check_in_a_race(
        db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    with db.transaction() as s:
        PeopleRepository(s).upsert_chat(GROUP, clock.now, "Asia/Jakarta")
        PeopleRepository(s).upsert_user(7, clock.now)
        MonevRepository(s).add_signoff(GROUP, "2026-1", 7, {"monitoring": []}, clock.now)
    with pytest.raises(SignoffExists), db.transaction() as s:
        MonevRepository(s).add_signoff(GROUP, "2026-1", 7, {}, clock.now)  # seen by the check
    monkeypatch.setattr(MonevRepository, "signoff", lambda *_args: None)  # as if both checked at once
    with pytest.raises(SignoffExists), db.transaction() as s:
        MonevRepository(s).add_signoff(GROUP, "2026-1", 7, {}, clock.now)  # the unique key decides
    with db.transaction(readonly=True) as s:
        assert MonevRepository(s).signed_periods(GROUP) == ("2026-1",)

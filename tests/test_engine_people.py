"""Chats and people: upserts, language and time zone, reachability, and the wiring from
the settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.engine import ContinuousCalendar, SopEngine
from bot.engine.errors import InvalidSetting
from db_fixtures import GROUP, SOP_DIR, FakeClock, Org
from storage.migrate import upgrade

KALBAR = "renja-bappeda-kalbar"


def test_ensure_chat_and_user_record_and_refresh_what_telegram_shows(engine: SopEngine) -> None:
    chat = engine.ensure_chat(GROUP, "group", "Lama")
    assert (chat.timezone, chat.language, chat.title) == ("Asia/Jakarta", "id", "Lama")
    assert engine.ensure_chat(GROUP, "supergroup", "Baru").title == "Baru"
    assert engine.get_chat(GROUP) == engine.ensure_chat(GROUP, "supergroup", "Baru")
    user = engine.ensure_user(7, "Budi", None, "id")
    assert (user.first_name, user.started_private, user.reachable) == ("Budi", False, False)
    assert engine.ensure_user(7, "Budi S.", "budi", "en").username == "budi"
    assert engine.get_user(8) is None


def test_chat_language_must_be_indonesian_or_english(engine: SopEngine) -> None:
    engine.ensure_chat(GROUP, "group", "G")
    assert engine.set_chat_language(GROUP, "en").language == "en"
    with pytest.raises(InvalidSetting) as refused:
        engine.set_chat_language(GROUP, "fr")
    assert refused.value.params == {"name": "language", "value": "fr"}


def test_new_steps_are_timed_in_the_chat_zone(
    engine_factory: Callable[..., SopEngine], clock: FakeClock
) -> None:
    asked: list[str] = []

    def calendars(tz: str) -> ContinuousCalendar:
        asked.append(tz)
        return ContinuousCalendar()

    engine = engine_factory(calendar_for=calendars)
    engine.ensure_chat(GROUP, "group", "G")
    assert engine.set_chat_timezone(GROUP, "Asia/Jayapura").timezone == "Asia/Jayapura"
    with pytest.raises(InvalidSetting):
        engine.set_chat_timezone(GROUP, "Mars/Olympus")
    Org(engine, clock).start(KALBAR)
    assert asked == ["Asia/Jayapura"]


def test_someone_unreachable_is_prompted_in_the_group_until_they_press_start_again(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    nxt = org.people["kepala_bidang"]
    assert engine.mark_unreachable(nxt).unreachable_since == org.clock.now
    org.act(run.id)
    latest = [n for n in engine.pending_notifications(1000) if n.payload.get("step_no") == 2]
    assert ("start_private_prompt", GROUP, nxt) in [(n.kind, n.chat_id, n.payload.get("user_id")) for n in latest]
    back = engine.mark_started(nxt)
    assert back.reachable
    assigned = [n for n in engine.pending_notifications(1000) if n.kind == "task_assigned" and n.user_id == nxt]
    assert [n.payload["step_no"] for n in assigned] == [2]


def test_the_engine_refuses_a_naive_clock(engine_factory: Callable[..., SopEngine]) -> None:
    engine = engine_factory(clock=lambda: datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="aware"):
        engine.ensure_chat(GROUP, "group", "G")


def test_an_engine_built_from_the_settings_runs_on_working_time(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=tmp_path, sop_dir=SOP_DIR, undo_window_minutes=3,
        extra_holidays=[date(2026, 3, 3)], default_timezone="Asia/Pontianak",
        ramadan_hours="off",  # 2 March 2026 falls in Ramadan 1447 (see tests/test_office_hours.py)
    )
    upgrade(settings.effective_database_url)
    monday_1550 = datetime(2026, 3, 2, 8, 50, tzinfo=UTC)  # 15:50 in Pontianak (WIB)
    engine = SopEngine.from_settings(settings, clock=lambda: monday_1550)
    try:
        assert engine.undo_window == timedelta(minutes=3)
        assert KALBAR in [s.id for s in engine.available_sops()]
        engine.ensure_chat(GROUP, "group", "G")
        assert engine.get_chat(GROUP).timezone == "Asia/Pontianak"  # type: ignore[union-attr]
        run = engine.start_run(GROUP, KALBAR, "Renja", 1)
        (task,) = engine.current_tasks(run.id)
        # 10 minutes on Monday, Tuesday is an extra holiday, 50 minutes on Wednesday.
        assert task.due_at == datetime(2026, 3, 4, 1, 50, tzinfo=UTC)
    finally:
        engine.db.dispose()

"""The outbox sender's batch read: one snapshot renders what single lookups would, and the
backlog query stays on its index however much was ever sent."""

from __future__ import annotations

import contextlib
from collections import Counter
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from db_fixtures import GROUP, Org
from sqlalchemy import event, text

from bot.engine import SopEngine
from bot.engine.views import NotificationView
from handlers.outbox.merging import SEPARATOR
from handlers.outbox.notices import Skip, named
from handlers.outbox.sender import Notifier

KALBAR = "renja-bappeda-kalbar"


def _walk_to_a_decision(org: Org) -> int:
    """A run that has confirmed, chained, and been returned once: every kind of notice."""
    run = org.start(KALBAR)
    for _ in range(8):
        task = org.active(run.id)
        if task.is_decision:
            outcomes = org.decision_outcomes(task)
            back = next(o for o in outcomes if o.goto is not None)
            org.engine.decide(task.id, org.holder(task), back.key, reason="belum lengkap")
            break
        org.act(run.id)
    return run.id


def test_the_snapshot_holds_the_same_views_as_the_single_lookups(org: Org, engine: SopEngine) -> None:
    _walk_to_a_decision(org)
    rows = engine.pending_notifications(limit=1000)
    tasks, runs, chats, users = named(rows)
    assert tasks and runs and GROUP in chats and users
    snap = engine.notice_snapshot(tasks, runs, chats | {-42}, users | {42})
    assert set(snap.tasks) == tasks and set(snap.steps) == tasks
    for task_id in tasks:
        assert snap.tasks[task_id] == engine.get_task(task_id)
        assert snap.steps[task_id] == engine.task_step(task_id)
    for run_id in runs:
        assert snap.runs[run_id] == engine.get_run(run_id)
    for chat_id in chats:
        assert snap.chats[chat_id] == engine.get_chat(chat_id)
    for user_id in users:
        assert snap.users[user_id] == engine.get_user(user_id)
    assert snap.chats[-42] is None and snap.users[42] is None  # asked for, unknown


def test_an_overdue_task_in_the_snapshot_carries_its_working_time(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    task = org.active(run.id)
    org.clock.advance(days=3)
    snap = engine.notice_snapshot([task.id])
    assert snap.tasks[task.id] == engine.get_task(task.id)
    assert snap.tasks[task.id].late_minutes and snap.tasks[task.id].late_minutes > 0


def test_mark_sent_many_marks_a_batch_once(org: Org, engine: SopEngine) -> None:
    org.start(KALBAR)
    rows = engine.pending_notifications()
    assert len(rows) >= 3
    assert engine.mark_sent(rows[0].id)
    assert engine.mark_sent_many([r.id for r in rows]) == len(rows) - 1  # the first was marked already
    assert engine.mark_sent_many([r.id for r in rows]) == 0 and engine.mark_sent_many([]) == 0
    assert engine.pending_notifications() == []


# -- the sender renders a batch from the snapshot ---------------------------------------------
class Recorder(Notifier):
    """The real sender and renderer; Telegram is a list of what would have been sent."""

    def __init__(self, engine: SopEngine) -> None:
        self.sent: list[tuple[int, str, Any]] = []

        async def send_message(chat_id: int, text: str, reply_markup: Any = None) -> None:
            self.sent.append((chat_id, text, reply_markup.to_dict() if reply_markup is not None else None))

        settings = SimpleNamespace(default_language="id", default_timezone="Asia/Pontianak")
        data = SimpleNamespace(engine=engine, settings=settings, bot_username="pandu_test_bot")
        app = SimpleNamespace(bot_data=data, bot=SimpleNamespace(send_message=send_message))
        super().__init__(app, retry_delay=timedelta(seconds=2), sender="test:1:x")  # type: ignore[arg-type]


def said_per_chat(sent: list[tuple[int, str, Any]]) -> dict[int, tuple[str, list[str]]]:
    """Per chat: everything said, in order, and every button once, however it was split into
    messages (a group's queued notices are merged; each chat keeps its own order)."""
    said: dict[int, tuple[str, list[str]]] = {}
    for chat_id, text, markup in sent:
        before, buttons = said.get(chat_id, ("", []))
        data = [b.get("callback_data") or b.get("url") for row in (markup or {}).get("inline_keyboard", []) for b in row]
        said[chat_id] = (f"{before}{SEPARATOR if before else ''}{text}", buttons + [d for d in data if d not in buttons])
    return said


def _count_lookups(engine: SopEngine, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    calls: Counter[str] = Counter()
    for name in ("get_task", "task_step", "get_run", "get_chat", "get_user", "notice_snapshot"):
        real = getattr(engine, name)

        def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(engine, name, counted)
    return calls


async def test_a_batch_is_rendered_from_one_read_exactly_as_row_by_row(
    org: Org, engine: SopEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _walk_to_a_decision(org)
    rows: list[NotificationView] = engine.pending_notifications(limit=1000)
    kinds = {r.kind for r in rows}
    assert {"group_notice", "task_assigned"} <= kinds
    one_by_one = Recorder(engine)
    for row in rows:
        with contextlib.suppress(Skip):  # a notice about a task that has moved on says nothing
            await one_by_one.send(row)
    assert one_by_one.sent

    calls = _count_lookups(engine, monkeypatch)
    batched = Recorder(engine)
    assert await batched.flush() == len(rows)
    assert said_per_chat(batched.sent) == said_per_chat(one_by_one.sent)
    group_messages = [m for m in batched.sent if m[0] == GROUP]
    assert 1 <= len(group_messages) < len([m for m in one_by_one.sent if m[0] == GROUP])  # merged
    assert calls["notice_snapshot"] >= 1
    assert calls["get_task"] == calls["task_step"] == calls["get_run"] == calls["get_chat"] == 0
    assert engine.pending_notifications() == []


async def test_a_failed_snapshot_read_falls_back_to_row_by_row(
    org: Org, engine: SopEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _walk_to_a_decision(org)
    expected = Recorder(engine)
    for row in engine.pending_notifications(limit=1000):
        with contextlib.suppress(Skip):
            await expected.send(row)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database went away for a moment")

    monkeypatch.setattr(engine, "notice_snapshot", broken)
    notifier = Recorder(engine)
    await notifier.flush()
    assert said_per_chat(notifier.sent) == said_per_chat(expected.sent) and engine.pending_notifications() == []


async def test_a_slow_batch_records_what_it_delivered_as_it_goes(org: Org, engine: SopEngine) -> None:
    """Rows paced out slowly are marked well inside their lease, not only at the batch's end."""
    org.start(KALBAR)
    rows = engine.pending_notifications()
    assert len(rows) >= 3
    notifier = Recorder(engine)
    notifier.mark_every = 0.0
    still_pending: list[int] = []
    send_message = notifier.application.bot.send_message

    async def counting(chat_id: int, body: str, reply_markup: Any = None) -> None:
        with engine.db.transaction(readonly=True) as s:
            still_pending.append(s.execute(text("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")).scalar_one())
        await send_message(chat_id, body, reply_markup)

    notifier.application.bot.send_message = counting
    await notifier.flush()
    sends = len(still_pending)
    assert sends >= 2 and still_pending == sorted(still_pending, reverse=True)
    assert still_pending[-1] < still_pending[0]  # earlier rows were marked before later ones went out


def test_the_backlog_query_uses_the_pending_index_on_sqlite(org: Org, engine: SopEngine) -> None:
    """The sender's own due-rows query, as it reaches SQLite, is planned on ix_outbox_pending.

    With statistics (ANALYZE) and most rows delivered, SQLite's planner otherwise scans
    the whole outbox in id order: 14 ms at 140,000 delivered rows, against 0.01 ms.
    """
    if engine.db.dialect != "sqlite":
        pytest.skip("the plan asked for is SQLite's; PostgreSQL chooses by its statistics")
    for index in range(3):
        org.start(KALBAR, f"Renja {index}")
    *delivered, _ = engine.pending_notifications(limit=1000)
    engine.mark_sent_many([r.id for r in delivered])
    with engine.db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if " ".join(statement.split()).startswith("SELECT outbox.id FROM outbox"):
            seen.append((statement, params))

    event.listen(engine.db.engine, "before_cursor_execute", capture)
    try:
        assert engine.claim_notifications("test:1:x")
    finally:
        event.remove(engine.db.engine, "before_cursor_execute", capture)
    (statement, params), = seen
    with engine.db.engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params).all()
    assert any("ix_outbox_pending" in str(row[-1]) for row in plan), plan

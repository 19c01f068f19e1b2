"""Reasons, run titles and notes must be written text: a letter or digit once whitespace and
invisible format characters (zero-width spaces, word joiners, BOM) are taken out. Refused
requests change nothing. On SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import pytest
from db_fixtures import Org

from bot.engine import SopEngine
from bot.engine.errors import ReasonRequired, TextRequired

KALBAR = "renja-bappeda-kalbar"
INVISIBLE = "\u200b\u2060"


def walk_to_decision(org: Org) -> int:
    run = org.start(KALBAR)
    for _ in range(10):
        if org.active(run.id).is_decision:
            return run.id
        org.act(run.id)
    raise AssertionError("no decision step")


def counts(engine: SopEngine) -> tuple[int, int, int]:
    from sqlalchemy import text

    with engine.db.transaction(readonly=True) as s:
        return tuple(int(s.execute(text(q)).scalar_one()) for q in (  # type: ignore[return-value]
            "SELECT count(*) FROM audit_events", "SELECT count(*) FROM runs", "SELECT count(*) FROM outbox"))


def test_an_invisible_on_behalf_reason_is_refused(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    task = org.active(run.id)
    before = counts(engine)
    for reason in (INVISIBLE, " \u200c\ufeff ", ""):
        with pytest.raises(ReasonRequired):
            engine.confirm_on_behalf(task.id, org.coordinator, reason)
    assert counts(engine) == before and org.active(run.id).id == task.id
    engine.confirm_on_behalf(task.id, org.coordinator, f"{INVISIBLE}lewat telepon")  # visible words: fine


def test_an_invisible_return_reason_is_refused(org: Org, engine: SopEngine) -> None:
    run_id = walk_to_decision(org)
    task = org.active(run_id)
    back = next(o for o in org.decision_outcomes(task) if o.goto is not None)
    before = counts(engine)
    with pytest.raises(ReasonRequired):
        engine.decide(task.id, org.holder(task), back.key, reason=INVISIBLE)
    assert counts(engine) == before
    engine.decide(task.id, org.holder(task), back.key, reason="belum lengkap")


def test_an_invisible_cancel_reason_is_refused(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR)
    before = counts(engine)
    with pytest.raises(ReasonRequired):
        engine.cancel_run(run.id, org.coordinator, reason=INVISIBLE)
    assert counts(engine) == before and engine.get_run(run.id).status == "active"
    assert engine.cancel_run(run.id, org.coordinator).status == "cancelled"  # no reason given: allowed


def test_titles_and_notes_need_a_letter_or_digit(org: Org, engine: SopEngine) -> None:
    run = org.start(KALBAR, title=INVISIBLE)  # nothing written: the SOP's name, as with no title
    assert engine.get_run(run.id).title == engine.get_run(run.id).sop_nama
    before = counts(engine)
    with pytest.raises(TextRequired) as refused:
        engine.start_run(org.chat_id, KALBAR, "...", org.coordinator)
    assert refused.value.field == "title" and counts(engine) == before
    task = org.active(run.id)
    with pytest.raises(TextRequired):
        engine.confirm(task.id, org.holder(task), note="—")
    assert counts(engine) == before
    result = engine.confirm(task.id, org.holder(task), note=INVISIBLE)  # an invisible note is no note
    assert result.task.status == "done"

"""Lookups the Telegram layer relies on: a chat's runs from the database (not the bot's
memory), a task's step and a run's names from the SOP version the run is pinned to,
role errors that name their run, and the fresh card an undo can ask for.
"""

from __future__ import annotations

import pytest
from db_fixtures import GROUP, Org

from bot.engine import SopEngine, RoleTaken
from bot.domain.sop import SopDefinition


def edited(sop: SopDefinition) -> SopDefinition:
    """The same SOP after someone renamed every role in the file."""
    data = sop.model_dump(mode="json")
    for role in data["roles"]:
        role["nama"] = f"{role['nama']} (baru)"
    return SopDefinition.model_validate(data)


def test_a_chat_s_runs_and_latest_run_come_from_the_database(org: Org, engine: SopEngine) -> None:
    assert engine.latest_run(GROUP) is None and engine.runs(GROUP) == []
    first = org.start("renja-bappeda-kalbar", "Pertama")
    second = org.start("renja-bappeda-bogor", "Kedua")
    engine.cancel_run(second.id, org.coordinator)
    latest = engine.latest_run(GROUP)
    assert latest is not None and (latest.id, latest.status) == (second.id, "cancelled")
    assert [r.id for r in engine.runs(GROUP)] == [second.id, first.id]
    assert engine.latest_run(-1) is None


def test_a_task_s_step_is_read_from_the_pinned_version_even_when_done(
    org: Org, engine: SopEngine, sops: dict[str, SopDefinition]
) -> None:
    run = org.start("renja-bappeda-kalbar")
    done = org.act(run.id).task
    sops["renja-bappeda-kalbar"] = edited(sops["renja-bappeda-kalbar"])  # the file changed on disk
    step = engine.task_step(done.id)
    assert step.no == 1 and step.kelengkapan and step.roles[0].nama == "Kasubbag. Rencana Kerja dan Monev"
    pinned = engine.run_definition(run.id)
    assert pinned.role_by_key["sekretaris"].nama == "Sekretaris"
    del sops["renja-bappeda-kalbar"]  # even a removed file does not matter to a run under way
    assert engine.task_step(done.id).no == 1


def test_role_errors_name_their_run(org: Org, engine: SopEngine) -> None:
    run = org.start("renja-bappeda-kalbar")
    with pytest.raises(RoleTaken) as refused:
        engine.claim_role(run.id, "sekretaris", 4242)
    assert refused.value.params["run_id"] == run.id


def test_an_undo_can_send_the_author_a_fresh_card_through_the_outbox(org: Org, engine: SopEngine) -> None:
    run = org.start("renja-bappeda-kalbar")
    for row in engine.pending_notifications(limit=1000):
        engine.mark_sent(row.id)
    done = org.act(run.id).task
    for row in engine.pending_notifications(limit=1000):
        engine.mark_sent(row.id)
    engine.undo(done.id, org.holder(done))
    assert [r.kind for r in engine.pending_notifications()] == ["group_notice"]
    redo = org.act(run.id).task
    for row in engine.pending_notifications(limit=1000):
        engine.mark_sent(row.id)
    engine.undo(redo.id, org.holder(redo), send_card=True)
    cards = [r for r in engine.pending_notifications() if r.kind == "task_assigned"]
    assert [(c.user_id, c.payload["task_id"]) for c in cards] == [(org.holder(redo), redo.id)]

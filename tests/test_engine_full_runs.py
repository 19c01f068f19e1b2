"""Each seed SOP run from start to finish, a decision loop, a chain of four actors, the
external parties, and a restart in the middle of a run."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.engine import SopEngine
from bot.domain.sop import SopDefinition
from db_fixtures import FakeClock, Org
from storage.db import Database

SEEDS = ["forum-skpd-bkpsdm-tangerang", "renja-kesbangpol-tangerang", "renja-bappeda-kalbar", "renja-bappeda-bogor"]


def test_all_four_seed_sops_are_present(seed_sops: dict[str, SopDefinition]) -> None:
    assert set(SEEDS) <= set(seed_sops)
    assert [len(seed_sops[s].steps) for s in SEEDS] == [11, 17, 5, 11]


@pytest.mark.parametrize("sop_id", SEEDS)
def test_a_seed_sop_runs_from_start_to_finish(
    sop_id: str, org: Org, engine: SopEngine, seed_sops: dict[str, SopDefinition]
) -> None:
    sop = seed_sops[sop_id]
    run = org.start(sop_id, "Renja 2027")
    results = org.finish(run.id)
    expected = [(step.no, index, role) for step in sop.steps for index, role in enumerate(step.actor_keys)]
    assert [(r.task.step_no, r.task.chain_index, r.task.role.key) for r in results] == expected
    assert all(r.task.on_behalf == r.task.role.eksternal for r in results)
    assert [r.run_finished for r in results] == [False] * (len(results) - 1) + [True]
    finished = engine.get_run(run.id)
    assert finished.status == "finished" and finished.current_step_no is None and finished.pass_no == 1
    assert engine.current_tasks(run.id) == [] and engine.status(run.id).task is None
    kinds = [h.kind for h in engine.history(run.id)]
    assert kinds.count("step_started") == len(sop.steps)
    assert kinds[-1] == "run_finished"


def test_kalbar_decision_returned_twice_then_approved(org: Org, engine: SopEngine) -> None:
    run = org.start("renja-bappeda-kalbar")
    visited: list[tuple[int, int]] = []
    returns = 0
    while True:
        task = org.active(run.id)
        visited.append((task.step_no, task.pass_no))
        if task.is_decision and returns < 2:
            returns += 1
            result = org.act(run.id, outcome="kembali", reason=f"perbaikan ke-{returns}")
            assert result.new_pass and result.next_tasks[0].step_no == 3
        elif task.is_decision:
            result = org.act(run.id, outcome="setuju")
            assert result.run_finished
            break
        else:
            org.act(run.id)
    steps = [s for s, _ in dict.fromkeys(visited)]
    assert steps == [1, 2, 3, 4, 5, 3, 4, 5, 3, 4, 5]
    assert [p for _, p in dict.fromkeys(visited)] == [1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert engine.get_run(run.id).pass_no == 3
    decisions = [h for h in engine.history(run.id) if h.kind == "decision_made"]
    assert [(d.data["outcome_key"], d.data["reason"]) for d in decisions] == [
        ("kembali", "perbaikan ke-1"), ("kembali", "perbaikan ke-2"), ("setuju", None)
    ]
    started = [(h.data["step_no"], h.data["pass_no"]) for h in engine.history(run.id) if h.kind == "step_started"]
    assert started == [(1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (3, 2), (4, 2), (5, 2), (3, 3), (4, 3), (5, 3)]


def test_forum_skpd_step_5_passes_through_its_chain_of_four_in_order(org: Org, engine: SopEngine) -> None:
    run = org.start("forum-skpd-bkpsdm-tangerang")
    while org.active(run.id).step_no != 5:
        org.act(run.id)
    chain = engine.current_tasks(run.id)
    assert [(t.role.key, t.status) for t in chain] == [
        ("pelaksana", "active"),
        ("kasubag_perencanaan", "waiting"),
        ("sekretaris", "waiting"),
        ("kepala_badan", "waiting"),
    ]
    assert len({t.due_at for t in chain}) == 1
    for index in range(4):
        status = engine.status(run.id)
        assert [c.status for c in status.chain] == ["done"] * index + ["active"] + ["waiting"] * (3 - index)
        for waiting in chain[index + 1:]:
            with pytest.raises(Exception) as early:
                engine.confirm(waiting.id, org.holder(waiting))
            assert early.value.code == "task_not_current"  # type: ignore[attr-defined]
        result = org.act(run.id)
        assert result.step_done == (index == 3)
    assert org.active(run.id).step_no == 6


def test_external_bappeda_and_forum_skpd_are_confirmed_on_behalf(org: Org, engine: SopEngine) -> None:
    tangerang = org.start("forum-skpd-bkpsdm-tangerang")
    first = org.active(tangerang.id)
    assert first.role.key == "bappeda" and first.role.eksternal and first.holder is None and not first.unassigned
    result = engine.confirm_on_behalf(first.id, org.coordinator, "usulan kecamatan diterima dari Bappeda")
    assert result.task.on_behalf and result.next_tasks[0].role.key == "pelaksana"
    kalbar_office = Org(engine, org.clock, chat_id=-55)
    kalbar = kalbar_office.start("renja-bappeda-kalbar")
    kalbar_office.act(kalbar.id)
    kalbar_office.act(kalbar.id)
    forum = kalbar_office.active(kalbar.id)
    assert forum.role.key == "forum_skpd"
    done = engine.confirm_on_behalf(forum.id, kalbar_office.coordinator, "hasil Forum SKPD diterima")
    assert done.task.on_behalf_reason == "hasil Forum SKPD diterima"


def test_a_restart_in_the_middle_of_a_run_continues_exactly_where_it_stopped(
    db_url: str, db: Database, org: Org, engine: SopEngine, engine_factory: Callable[..., SopEngine], clock: FakeClock
) -> None:
    run = org.start("renja-bappeda-bogor")
    for _ in range(5):
        org.act(run.id)
    before = engine.status(run.id)
    db.dispose()

    fresh_db = Database(db_url)
    try:
        fresh = engine_factory(db=fresh_db)
        after = fresh.status(run.id)
        assert after == before
        resumed = Org(fresh, clock, people=dict(org.people))
        results = resumed.finish(run.id)
        assert [r.task.step_no for r in results] == [6, 7, 8, 9, 10, 11]
        assert fresh.get_run(run.id).status == "finished"
    finally:
        fresh_db.dispose()

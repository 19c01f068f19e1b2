"""Deadline ticks against the database with a hand-moved clock: who is nagged when, how
often, never at night, once after downtime, and one digest per recipient."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from deadline_fixtures import (  # noqa: F401
    PEOPLE,
    nag_engine,
    nag_items,
    nag_org,
    nag_rows,
    sop_with,
    wib,
)
from sqlalchemy import text

from bot.deadlines.service import NagService
from bot.engine import SopEngine
from db_fixtures import COORDINATOR, GROUP, FakeClock

KASUBAG, STAF = PEOPLE["kasubag"], PEOPLE["staf"]


def log_count(engine: SopEngine) -> int:
    with engine.db.transaction(readonly=True) as s:
        return int(s.execute(text("SELECT count(*) FROM nag_log")).scalar_one())


def test_the_holder_is_nagged_at_the_due_time_and_the_kasubag_alerted(
    nag_org: Callable[..., Any], clock: FakeClock
) -> None:
    org = nag_org()
    run = org.start_run()
    task = org.active(run.id)
    service = org.service()
    clock.now = wib(2026, 3, 2, 8, 59)
    assert service.tick().claimed == 0 and nag_items(org.engine) == []
    assert service.next_due() == wib(2026, 3, 2, 9)
    clock.now = wib(2026, 3, 2, 9, 0)
    assert service.tick().claimed == 1
    assert sorted(nag_items(org.engine)) == [(KASUBAG, task.id, 1, "supervisor"), (STAF, task.id, 1, "actor")]
    alert = next(r for r in nag_rows(org.engine) if r["user_id"] == KASUBAG)["items"][0]
    assert (alert["run_id"], alert["holder_id"], alert["late_minutes"], alert["chat_id"]) == (run.id, STAF, 0, GROUP)


def test_reminders_repeat_every_interval_of_working_time_until_done(
    nag_org: Callable[..., Any], clock: FakeClock
) -> None:
    org = nag_org(interval=120)
    run = org.start_run()
    task = org.active(run.id)
    service = org.service()
    sent_at = []
    for hour, minute in ((9, 0), (9, 30), (10, 59), (11, 0), (13, 0), (15, 0), (15, 59), (20, 0)):
        clock.now = wib(2026, 3, 2, hour, minute)
        if service.tick().claimed:
            sent_at.append((hour, minute))
    assert sent_at == [(9, 0), (11, 0), (13, 0), (15, 0)]
    assert service.next_due() == wib(2026, 3, 3, 9)  # 17:00 is after closing: Tuesday morning
    clock.now = wib(2026, 3, 3, 9, 1)
    assert service.tick().claimed == 1
    alert = [i for i in nag_rows(org.engine) if i["user_id"] == KASUBAG][-1]["items"][0]
    assert (alert["round"], alert["late_minutes"]) == (5, 8 * 60 + 1)
    org.engine.confirm(task.id, STAF)
    clock.now = wib(2026, 3, 4, 12)
    assert service.next_due() is not None  # the next step is armed now
    assert all(i[1] != task.id for i in nag_items(org.engine)[10:])


def test_quiet_hours_the_evening_is_skipped_and_nothing_is_sent_at_night(
    nag_org: Callable[..., Any], clock: FakeClock
) -> None:
    org = nag_org(interval=30)
    clock.now = wib(2026, 3, 2, 14, 55)
    task = org.active(org.start_run().id)
    assert task.due_at == wib(2026, 3, 2, 15, 55)
    service = org.service()
    clock.now = wib(2026, 3, 2, 15, 55)
    assert service.tick().claimed == 1
    assert service.next_due() == wib(2026, 3, 3, 8, 25)
    for hour in (16, 18, 21, 23):
        clock.now = wib(2026, 3, 2, hour, 30)
        assert service.tick().claimed == 0
    clock.now = wib(2026, 3, 3, 8, 25)
    assert service.tick().claimed == 1
    assert [(i[2]) for i in nag_items(org.engine) if i[0] == STAF] == [1, 2]


def test_a_nag_due_while_the_office_is_closed_waits_for_the_morning(
    nag_org: Callable[..., Any], clock: FakeClock
) -> None:
    """The bot was down at the due time and comes back at night: nothing until 08:00."""
    org = nag_org(interval=30)
    clock.now = wib(2026, 3, 2, 14, 55)
    org.start_run()
    service = org.service()
    clock.now = wib(2026, 3, 2, 22, 0)
    result = service.tick()
    assert (result.claimed, result.moved) == (0, 1)
    assert service.next_due() == wib(2026, 3, 3, 8, 0)
    clock.now = wib(2026, 3, 3, 8, 0)
    assert service.tick().claimed == 1
    assert service.next_due() == wib(2026, 3, 3, 8, 25)


def test_early_reminder_comes_before_the_due_time_to_the_actor_only(
    nag_org: Callable[..., Any], clock: FakeClock
) -> None:
    org = nag_org(early=15)
    task = org.active(org.start_run().id)
    service = org.service()
    clock.now = wib(2026, 3, 2, 8, 45)
    assert service.tick().claimed == 1
    assert nag_items(org.engine) == [(STAF, task.id, 0, "actor")]
    assert nag_rows(org.engine)[0]["items"][0]["late_minutes"] == -15
    assert service.next_due() == wib(2026, 3, 2, 9)


def test_after_a_restart_three_days_later_each_overdue_task_is_nagged_once(
    nag_engine: Callable[..., SopEngine], clock: FakeClock
) -> None:
    from deadline_fixtures import NagOrg

    org = NagOrg(nag_engine(), clock)
    runs = [org.start_run(f"Renja {n}") for n in range(3)]
    tasks = [org.active(r.id).id for r in runs]
    clock.now = wib(2026, 3, 2, 9, 0)
    assert NagService(org.engine).tick_all().claimed == 3
    before = Counter((i[1], i[0]) for i in nag_items(org.engine))
    # The bot stops; three days later a fresh process starts on the same database.
    clock.now = wib(2026, 3, 5, 10, 0)
    restarted = nag_engine()
    service = NagService(restarted)
    assert service.tick_all().claimed == 3
    assert service.tick_all().claimed == 0
    after = Counter((i[1], i[0]) for i in nag_items(restarted)) - before
    assert after == Counter({(t, who): 1 for t in tasks for who in (STAF, KASUBAG)})
    assert {i[2] for i in nag_items(restarted) if i[2] != 1} == {13}  # the current round, once


def test_twenty_tasks_overdue_at_once_make_one_digest_per_recipient(
    nag_org: Callable[..., Any], clock: FakeClock
) -> None:
    org = nag_org()
    for n in range(20):
        org.start_run(f"Renja {n}")
    clock.now = wib(2026, 3, 2, 9, 30)
    result = org.service().tick()
    assert (result.claimed, result.messages) == (20, 2)
    rows = nag_rows(org.engine)
    assert sorted((r["user_id"], len(r["items"])) for r in rows) == [(KASUBAG, 20), (STAF, 20)]


def test_external_task_nags_the_coordinator_and_unassigned_task_goes_to_the_group(
    nag_org: Callable[..., Any], clock: FakeClock
) -> None:
    external = nag_org(sop=sop_with("60 menit", actors=("mitra",)))
    external.start_run()
    unassigned_org = nag_org(sop=sop_with("60 menit"))
    unassigned_org.chat_id = GROUP - 1
    unassigned_org.start_run(roles=("kasubag",))
    clock.now = wib(2026, 3, 2, 9, 0)
    assert external.service().tick_all().claimed == 2
    targets = {(i[0], i[3]) for i in nag_items(external.engine)}
    assert (COORDINATOR, "actor") in targets and (KASUBAG, "supervisor") in targets
    group = [r for r in nag_rows(external.engine) if r["kind"] == "deadline_group"]
    assert [(r["chat_id"], r["items"][0]["unassigned"]) for r in group] == [(GROUP - 1, True)]
    assert (COORDINATOR, "coordinator") in targets


def test_people_who_never_pressed_start_are_mentioned_in_the_group(
    nag_org: Callable[..., Any], clock: FakeClock
) -> None:
    org = nag_org()
    run = org.start_run(roles=("kasubag",))
    org.engine.ensure_user(STAF, "Staf", None, "id")  # never pressed Start
    org.engine.claim_role(run.id, "staf", STAF)
    clock.now = wib(2026, 3, 2, 9, 0)
    org.service().tick()
    (group,) = [r for r in nag_rows(org.engine) if r["kind"] == "deadline_group"]
    assert group["items"][0]["mention"] == [STAF] and not group["items"][0]["unassigned"]


def test_undo_and_reconfirm_does_not_repeat_a_round_already_sent(
    nag_org: Callable[..., Any], clock: FakeClock
) -> None:
    org = nag_org()
    task = org.active(org.start_run().id)
    service = org.service()
    clock.now = wib(2026, 3, 2, 9, 0)
    service.tick()
    org.engine.confirm(task.id, STAF)
    org.engine.undo(task.id, STAF)  # re-armed at its due time, which has passed
    assert service.tick().claimed == 0 and log_count(org.engine) == 1
    assert service.next_due() == wib(2026, 3, 2, 11)
    with org.engine.db.transaction() as s:  # as if it had been re-armed in the past
        s.execute(text("UPDATE tasks SET next_nag_at = due_at WHERE id = :id"), {"id": task.id})
    result = service.tick()
    assert (result.claimed, result.moved, log_count(org.engine)) == (0, 1, 1)
    assert service.next_due() == wib(2026, 3, 2, 11)

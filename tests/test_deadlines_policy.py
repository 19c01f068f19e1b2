"""The nag policy: when reminders fall, in working time, and which round a moment is in."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.deadlines import NagPolicy
from bot.deadlines.recipients import ACTOR, COORDINATOR, SUPERVISOR, Claimed, audience, plan
from bot.domain.working_calendar import WorkCalendar

WIB = ZoneInfo("Asia/Jakarta")
CAL = WorkCalendar()


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def test_first_nag_is_at_the_due_time_without_an_early_reminder() -> None:
    assert NagPolicy(120).first_at(CAL, wib(2026, 3, 2, 8), wib(2026, 3, 2, 9)) == wib(2026, 3, 2, 9)


def test_early_reminder_falls_early_minutes_of_working_time_before_the_due_time() -> None:
    # Due Tuesday 08:20: 30 working minutes before it is Monday 15:50, not Tuesday 07:50.
    policy = NagPolicy(120, early_minutes=30)
    assert policy.first_at(CAL, wib(2026, 3, 2, 14), wib(2026, 3, 3, 8, 20)) == wib(2026, 3, 2, 15, 50)


def test_no_early_reminder_when_the_task_has_less_time_than_that() -> None:
    policy = NagPolicy(120, early_minutes=30)
    assert policy.first_at(CAL, wib(2026, 3, 2, 8, 45), wib(2026, 3, 2, 9)) == wib(2026, 3, 2, 9)


def test_a_task_activated_after_its_due_time_waits_one_interval() -> None:
    assert NagPolicy(30).first_at(CAL, wib(2026, 3, 2, 10), wib(2026, 3, 2, 9)) == wib(2026, 3, 2, 10, 30)


def test_rounds_repeat_every_interval_of_working_time() -> None:
    policy, due = NagPolicy(120), wib(2026, 3, 2, 9)
    assert policy.round_at(CAL, due, wib(2026, 3, 2, 9)).number == 1
    found = policy.round_at(CAL, due, wib(2026, 3, 2, 11, 5))
    assert (found.number, round(found.late_minutes), found.next_at) == (2, 125, wib(2026, 3, 2, 13))
    # 15:00 is round 4; round 5 would be 17:00, so it falls at Tuesday 09:00.
    assert policy.round_at(CAL, due, wib(2026, 3, 2, 15)).next_at == wib(2026, 3, 3, 9)


def test_an_evening_crossing_waits_for_the_next_working_morning() -> None:
    found = NagPolicy(30).round_at(CAL, wib(2026, 3, 2, 15, 55), wib(2026, 3, 2, 15, 55))
    assert (found.number, found.next_at) == (1, wib(2026, 3, 3, 8, 25))


def test_a_nag_that_would_fall_exactly_at_closing_falls_at_the_next_opening() -> None:
    assert NagPolicy(120).round_at(CAL, wib(2026, 3, 2, 14), wib(2026, 3, 2, 14)).next_at == wib(2026, 3, 3, 8)


def test_after_downtime_the_current_round_is_one_round_not_every_missed_one() -> None:
    policy, due = NagPolicy(120), wib(2026, 3, 2, 9)
    found = policy.round_at(CAL, due, wib(2026, 3, 5, 10))  # three days later
    assert found.number == 1 + (7 * 60 + 2 * 480 + 2 * 60) // 120
    assert found.next_at > wib(2026, 3, 5, 10)


def test_before_the_due_time_it_is_the_early_round() -> None:
    found = NagPolicy(120, 30).round_at(CAL, wib(2026, 3, 2, 9), wib(2026, 3, 2, 8, 30))
    assert (found.number, found.early, round(found.late_minutes), found.next_at) == (0, True, -30, wib(2026, 3, 2, 9))


@pytest.mark.parametrize("interval, early", [(0, 0), (10, -1)])
def test_nonsense_policies_are_refused(interval: int, early: int) -> None:
    with pytest.raises(ValueError):
        NagPolicy(interval, early)


# -- who hears about it -----------------------------------------------------------------------
def claim(**changes: object) -> Claimed:
    values: dict[str, object] = dict(
        task_id=1, run_id=1, chat_id=-1, round=1, late_minutes=5, coordinator_id=10,
        holder_id=20, external=False, supervisor_id=30,
    )
    values.update(changes)
    return Claimed(**values)  # type: ignore[arg-type]


def test_overdue_task_nags_its_holder_and_alerts_the_supervisor() -> None:
    assert audience(claim()) == {20: ACTOR, 30: SUPERVISOR}


def test_early_reminder_goes_to_the_actor_only() -> None:
    assert audience(claim(round=0)) == {20: ACTOR}


def test_without_a_supervisor_holder_the_coordinator_is_alerted() -> None:
    assert audience(claim(supervisor_id=None)) == {20: ACTOR, 10: SUPERVISOR}


def test_a_supervisor_who_holds_the_task_gets_the_reminder_only() -> None:
    assert audience(claim(holder_id=30)) == {30: ACTOR}


def test_external_role_nags_the_coordinator() -> None:
    assert audience(claim(holder_id=None, external=True)) == {10: ACTOR, 30: SUPERVISOR}


def test_unassigned_overdue_task_alerts_coordinator_supervisor_and_the_group() -> None:
    assert audience(claim(holder_id=None)) == {30: SUPERVISOR, 10: COORDINATOR}
    digests = plan([claim(holder_id=None)], lambda _user: True)
    assert set(digests.private) == {10, 30}
    assert [i["unassigned"] for i in digests.group[-1]] == [True]


def test_people_the_bot_cannot_write_to_are_mentioned_in_the_group() -> None:
    digests = plan([claim()], lambda user: user != 20)
    assert set(digests.private) == {30}
    assert digests.group[-1][0]["mention"] == [20] and not digests.group[-1][0]["unassigned"]


def test_many_tasks_make_one_digest_per_recipient() -> None:
    digests = plan([claim(task_id=i, run_id=i) for i in range(1, 21)], lambda _user: True)
    assert {user: len(items) for user, items in digests.private.items()} == {20: 20, 30: 20}
    assert not digests.group

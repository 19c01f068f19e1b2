"""The outbox's typed messages: one serializer that round-trips every kind, reads the rows
the untyped code wrote, and one dedupe rule. Pure: no database."""

from __future__ import annotations

import json

import pytest

from bot.domain import outbox_messages as m
from bot.domain.outbox_codec import decode, dedupe_key, encode

REF = m.TaskRef(run_id=7, chat_id=-100, task_id=42, step_no=3, pass_no=1, role_key="sekretaris")
ITEM = m.DigestItem(task_id=42, run_id=7, chat_id=-100, round=2, late_minutes=75, holder_id=None, reason="supervisor")
GROUP_ITEM = m.DigestItem(task_id=43, run_id=8, chat_id=-100, round=1, late_minutes=5, holder_id=None,
                          unassigned=True, mention=(11, 12))

EVERY_KIND: list[m.Message] = [
    m.TaskAssigned(user_id=5, task=REF),
    m.TaskAssigned(user_id=5, task=REF, on_behalf=True, delegation_id=9),
    m.StartPrivatePrompt(user_id=5, task=REF, on_behalf=False, delegation_id=9),
    m.TaskUnassigned(task=REF),
    m.GroupNotice(notice=m.Notice.STEP_DONE, run_id=7, chat_id=-100, task_id=42, step_no=3, user_id=5,
                  on_behalf=False, next_task_ids=(43, 44), next_step_no=4),
    m.GroupNotice(notice=m.Notice.ROLE_ASSIGNED, run_id=7, chat_id=-100, role_key="kepala", user_id=5,
                  by_user_id=6, replaced_user_id=4),
    m.GroupNotice(notice=m.Notice.DELEGATION_ENDED, run_id=7, chat_id=-100, delegation_id=9, role_key="kepala",
                  user_id=5, holder_id=4),
    m.DeadlineDigest(user_id=5, items=(ITEM, GROUP_ITEM)),
    m.DeadlineGroup(chat_id=-100, items=(GROUP_ITEM,)),
    m.DelegationNote(user_id=5, what=m.NoteKind.HOLDER_ACTED, run_id=7, chat_id=-100, delegation_id=9,
                     role_key="kepala", task_id=42),
    m.DelegationNote(user_id=5, what=m.NoteKind.HANDBACK, run_id=7, chat_id=-100, delegation_id=9, role_key="kepala"),
]


def _row(message: m.Message, event_id: int | None = 3) -> tuple[str, dict[str, object], m.Target, int | None]:
    """What the database keeps: the kind, the JSON payload (through real JSON), the target and run."""
    payload = json.loads(json.dumps(encode(message, event_id)))
    return m.kind_of(message).value, payload, m.target_of(message), m.run_of(message)


@pytest.mark.parametrize("message", EVERY_KIND, ids=lambda x: f"{type(x).__name__}")
def test_every_kind_round_trips_through_its_json_row(message: m.Message) -> None:
    kind, payload, target, run_id = _row(message)
    assert decode(kind, payload, user_id=target.user_id, chat_id=target.chat_id, run_id=run_id) == message


def test_every_kind_is_covered() -> None:
    assert {type(x) for x in EVERY_KIND} == set(m.KIND_OF)
    assert set(m.KIND_OF.values()) == set(m.NotificationKind)


# Payloads exactly as the untyped writers (before bot/domain/outbox_messages.py) stored them.
OLD_ROWS = [
    ("task_assigned", {"event_id": 3, "run_id": 7, "chat_id": -100, "task_id": 42, "step_no": 3, "pass_no": 1,
                       "role_key": "sekretaris", "on_behalf": True}, 5, None,
     m.TaskAssigned(user_id=5, task=REF, on_behalf=True)),
    ("start_private_prompt", {"event_id": 3, "run_id": 7, "chat_id": -100, "user_id": 5, "task_id": 42, "step_no": 3,
                              "pass_no": 1, "role_key": "sekretaris"}, None, -100,
     m.StartPrivatePrompt(user_id=5, task=REF)),
    ("group_notice", {"event_id": 3, "run_id": 7, "notice": "task_done", "task_id": 42, "step_no": 3, "user_id": 5,
                      "on_behalf": False, "outcome_key": None, "next_task_ids": [43], "next_step_no": 3}, None, -100,
     m.GroupNotice(notice=m.Notice.TASK_DONE, run_id=7, chat_id=-100, task_id=42, step_no=3, user_id=5,
                   on_behalf=False, next_task_ids=(43,), next_step_no=3)),
    ("deadline_group", {"items": [{"task_id": 43, "run_id": 8, "chat_id": -100, "round": 1, "late_minutes": 5,
                                   "holder_id": None, "unassigned": True, "mention": [11, 12]}],
                        "task_id": 43, "chat_id": -100}, None, -100,
     m.DeadlineGroup(chat_id=-100, items=(GROUP_ITEM,))),
    ("delegation_note", {"event_id": 3, "run_id": 7, "what": "handback", "chat_id": -100, "delegation_id": 9,
                         "role_key": "kepala", "task_id": None}, 5, None,
     m.DelegationNote(user_id=5, what=m.NoteKind.HANDBACK, run_id=7, chat_id=-100, delegation_id=9, role_key="kepala")),
]


@pytest.mark.parametrize(("kind", "payload", "user_id", "chat_id", "expected"), OLD_ROWS, ids=[r[0] for r in OLD_ROWS])
def test_rows_written_by_the_untyped_code_still_decode(
    kind: str, payload: dict[str, object], user_id: int | None, chat_id: int | None, expected: m.Message
) -> None:
    assert decode(kind, payload, user_id=user_id, chat_id=chat_id, run_id=7) == expected


def test_unknown_kinds_and_notices_are_refused_by_name() -> None:
    with pytest.raises(m.UnknownMessage):
        decode("carrier_pigeon", {})
    with pytest.raises(m.UnknownMessage):
        decode("group_notice", {"notice": "solar_eclipse", "run_id": 1}, chat_id=-1)


def test_one_dedupe_rule_keys_by_cause_kind_target_and_task() -> None:
    card = m.TaskAssigned(user_id=5, task=REF)
    assert dedupe_key(card, 3) == "3:task_assigned:u5:42"
    assert dedupe_key(m.TaskUnassigned(task=REF), 3) == "3:task_unassigned:c-100:42"
    assert dedupe_key(m.GroupNotice(notice=m.Notice.RUN_CANCELLED, run_id=7, chat_id=-100), 3) == "3:group_notice:c-100:"
    # A digest has no event: its first (task, nag round) is claimed once per target.
    assert dedupe_key(m.DeadlineDigest(user_id=5, items=(ITEM,)), None) == "nag:u5:42:2"
    keys = {dedupe_key(x, 3) for x in EVERY_KIND if not isinstance(x, (m.DeadlineDigest, m.DeadlineGroup))}
    assert len(keys) == len({(m.kind_of(x), m.target_of(x), m.task_of(x)) for x in EVERY_KIND
                             if not isinstance(x, (m.DeadlineDigest, m.DeadlineGroup))})

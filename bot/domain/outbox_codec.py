"""The outbox messages' one serializer (message ↔ the row's JSON payload) and one dedupe rule.

The payload keys are those the rows have always had (``task_id``, ``notice``, ``items``,
``what``…), so rows written before the message classes existed decode too; keys a class
does not know are ignored, and the row's columns (user, chat, run) fill what an old
payload left out. No migration of stored rows is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from enum import StrEnum
from typing import Any

from bot.domain.outbox_messages import (
    DeadlineDigest, DeadlineGroup, DelegationNote, DigestItem, GroupNotice, Message, Notice, NoteKind,
    NotificationKind, StartPrivatePrompt, TaskAssigned, TaskRef, TaskUnassigned, UnknownMessage, kind_of,
    target_of, task_of,
)


def dedupe_key(message: Message, event_id: int | None) -> str:
    """The one dedupe rule: unique per (cause, kind, target, task).

    A message caused by an audit event is keyed by it; a deadline digest has no event, and
    is keyed by its first (task, nag round): a round is claimed once, and sits in one
    digest per target.
    """
    target = target_of(message).key
    if isinstance(message, (DeadlineDigest, DeadlineGroup)):
        first = message.items[0]
        return f"nag:{target}:{first.task_id}:{first.round}"
    task = task_of(message)
    return f"{event_id}:{kind_of(message).value}:{target}:{'' if task is None else task}"


def _plain(obj: Any) -> dict[str, Any]:
    """A dataclass's fields as JSON values, leaving out the unset optional ones."""
    out: dict[str, Any] = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if value is None and not (f.name == "holder_id" and isinstance(obj, DigestItem)):
            continue
        if isinstance(value, TaskRef):
            out.update(_plain(value))
        elif isinstance(value, tuple):
            out[f.name] = [_plain(v) if isinstance(v, DigestItem) else v for v in value]
        elif isinstance(value, StrEnum):
            out[f.name] = value.value
        else:
            out[f.name] = value
    return out


def encode(message: Message, event_id: int | None = None) -> dict[str, Any]:
    """The row's payload: the message's fields (a task's flat), plus the causing event."""
    payload = _plain(message)
    if isinstance(message, (DeadlineDigest, DeadlineGroup)):
        payload.pop("user_id", None)
        payload.pop("chat_id", None)
        first = message.items[0]  # what a 403 fallback to the group names
        payload.update(task_id=first.task_id, chat_id=first.chat_id)
        return payload
    if isinstance(message, (TaskAssigned, DelegationNote)):
        payload.pop("user_id")  # the row's user_id column says who
    if isinstance(message, TaskAssigned):
        payload["on_behalf"] = message.on_behalf
    if isinstance(message, StartPrivatePrompt):
        payload["on_behalf"] = message.on_behalf
    return {"event_id": event_id, **payload}


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _task(p: Mapping[str, Any], run_id: int | None) -> TaskRef:
    return TaskRef(
        run_id=int(p.get("run_id") if p.get("run_id") is not None else run_id or 0),
        chat_id=int(p["chat_id"]), task_id=int(p["task_id"]), step_no=int(p.get("step_no") or 0),
        pass_no=int(p.get("pass_no") or 0), role_key=str(p.get("role_key") or ""),
    )


def digest_item(p: Mapping[str, Any]) -> DigestItem:
    """A digest item from its JSON form (a payload's, or the deadline planner's)."""
    mention = p.get("mention")
    return DigestItem(
        task_id=int(p["task_id"]), run_id=int(p["run_id"]), chat_id=int(p["chat_id"]), round=int(p["round"]),
        late_minutes=int(p.get("late_minutes") or 0), holder_id=_int(p.get("holder_id")), reason=p.get("reason"),
        unassigned=p.get("unassigned"), mention=tuple(int(u) for u in mention) if mention is not None else None,
    )


def decode(kind: str, payload: Mapping[str, Any], *, user_id: int | None = None, chat_id: int | None = None,
           run_id: int | None = None) -> Message:
    """A row back into its message; the row's columns fill what old payloads left out."""
    p = payload
    try:
        found = NotificationKind(kind)
    except ValueError:
        raise UnknownMessage(kind) from None
    if found is NotificationKind.TASK_ASSIGNED:
        return TaskAssigned(int(user_id if user_id is not None else p["user_id"]), _task(p, run_id),
                            bool(p.get("on_behalf")), _int(p.get("delegation_id")))
    if found is NotificationKind.START_PRIVATE_PROMPT:
        return StartPrivatePrompt(int(p["user_id"]), _task(p, run_id), bool(p.get("on_behalf")),
                                  _int(p.get("delegation_id")))
    if found is NotificationKind.TASK_UNASSIGNED:
        return TaskUnassigned(_task(p, run_id))
    if found is NotificationKind.DEADLINE_DIGEST:
        return DeadlineDigest(int(user_id or 0), tuple(digest_item(i) for i in p["items"]))
    if found is NotificationKind.DEADLINE_GROUP:
        return DeadlineGroup(int(chat_id or 0), tuple(digest_item(i) for i in p["items"]))
    if found is NotificationKind.DELEGATION_NOTE:
        return DelegationNote(
            int(user_id if user_id is not None else p["user_id"]), NoteKind(p["what"]),
            int(p.get("run_id") or run_id or 0), int(p["chat_id"]), int(p["delegation_id"]),
            str(p.get("role_key") or ""), _int(p.get("task_id")),
        )
    try:
        notice = Notice(p["notice"])
    except (KeyError, ValueError):
        raise UnknownMessage(f"group notice {p.get('notice')!r}") from None
    nxt = p.get("next_task_ids")
    return GroupNotice(
        notice=notice, run_id=int(p.get("run_id") or run_id or 0), chat_id=int(chat_id if chat_id is not None else p["chat_id"]),
        task_id=_int(p.get("task_id")), step_no=_int(p.get("step_no")), user_id=_int(p.get("user_id")),
        by_user_id=_int(p.get("by_user_id")), replaced_user_id=_int(p.get("replaced_user_id")),
        on_behalf=p.get("on_behalf"), outcome_key=p.get("outcome_key"),
        next_task_ids=tuple(int(i) for i in nxt) if nxt is not None else None, next_step_no=_int(p.get("next_step_no")),
        role_key=p.get("role_key"), delegation_id=_int(p.get("delegation_id")), holder_id=_int(p.get("holder_id")),
    )

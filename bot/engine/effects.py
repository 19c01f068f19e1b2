"""The two side effects of every state change: an audit event and outbox notifications.

Both are written in the same transaction as the change itself, so a crash can never
leave a confirmed task without its trail, or a notification about a change that was
rolled back. The first event of an operation carries the caller's request id; a replay
of that request finds it and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.domain.nag_policy import NagPolicy
from bot.domain.delegation import Cover
from bot.domain.outbox_codec import dedupe_key, encode
from bot.domain.outbox_messages import Message, Notice, NotificationKind, kind_of, run_of, target_of
from storage.models import AuditEvent, OutboxMessage, User
from storage.repositories import journal
from storage.unit_of_work import ReadSession

__all__ = ["COMPLETIONS", "EventKind", "Notice", "NotificationKind", "Op", "jsonable", "outbox_row"]


class EventKind(StrEnum):
    RUN_STARTED = "run_started"
    STEP_STARTED = "step_started"
    TASK_ACTIVATED = "task_activated"
    TASK_CONFIRMED = "task_confirmed"
    DECISION_MADE = "decision_made"
    TASK_UNDONE = "task_undone"
    EVIDENCE_ADDED = "evidence_added"
    RUN_FINISHED = "run_finished"
    RUN_CANCELLED = "run_cancelled"
    ROLE_CLAIMED = "role_claimed"
    ROLE_CLAIM_REQUESTED = "role_claim_requested"
    ROLE_CLAIM_APPROVED = "role_claim_approved"
    ROLE_CLAIM_REJECTED = "role_claim_rejected"
    ROLE_ASSIGNED = "role_assigned"
    ROLE_RELEASED = "role_released"
    ROLE_REVOKED = "role_revoked"
    USER_STARTED = "user_started"
    USER_UNREACHABLE = "user_unreachable"
    CHAT_LANGUAGE_SET = "chat_language_set"
    CHAT_TIMEZONE_SET = "chat_timezone_set"
    DELEGATION_REQUESTED = "delegation_requested"
    DELEGATION_ACCEPTED = "delegation_accepted"
    DELEGATION_DECLINED = "delegation_declined"
    DELEGATION_CANCELLED = "delegation_cancelled"
    DELEGATION_BEGUN = "delegation_begun"
    DELEGATION_ENDED = "delegation_ended"


#: The events that complete a task (a confirmation or a decision, possibly on behalf).
COMPLETIONS = (EventKind.TASK_CONFIRMED.value, EventKind.DECISION_MADE.value)


def jsonable(value: Any) -> Any:
    """JSON columns take no datetimes: store them as ISO 8601 text."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


@dataclass
class Op:
    """One state-changing operation: its session, its instant and what it has written."""

    session: ReadSession
    now: datetime
    request_id: str | None = None
    events: list[AuditEvent] = field(default_factory=list)
    messages: list[OutboxMessage] = field(default_factory=list)
    #: When tasks that become active get their first nag (see :mod:`bot.domain.nag_policy`).
    nag_policy: NagPolicy = field(default_factory=NagPolicy)
    #: A task was armed or disarmed: the deadline scheduler re-reads its earliest nag.
    rearm: bool = False
    #: Role holders by run, read once by an operation that changes no assignment
    #: (:meth:`~bot.engine.core.EngineCore.run_holders`), and the people among them.
    holders: dict[int, dict[str, int]] = field(default_factory=dict)
    people: dict[int, User] = field(default_factory=dict)
    #: Alongside `holders` (which are the *acting* people): the assigned holders and the
    #: delegations (Plh./Plt.) in force at `now`, by run.
    assigned: dict[int, dict[str, int]] = field(default_factory=dict)
    covers: dict[int, dict[str, Cover]] = field(default_factory=dict)

    def record(
        self,
        kind: EventKind,
        *,
        run_id: int | None = None,
        chat_id: int | None = None,
        task_id: int | None = None,
        actor_id: int | None = None,
        note: str | None = None,
        **data: Any,
    ) -> AuditEvent:
        event = AuditEvent(
            run_id=run_id,
            chat_id=chat_id,
            task_id=task_id,
            actor_id=actor_id,
            kind=kind.value,
            note=note,
            data=jsonable(data),
            created_at=self.now,
            request_id=None if self.events else self.request_id,
        )
        journal.add_event(self.session, event)
        self.events.append(event)
        return event

    def notify(self, message: Message, event: AuditEvent) -> OutboxMessage:
        """Queue `message`, caused by `event`, in this operation's transaction."""
        row = outbox_row(message, self.now, event_id=event.id)
        journal.add_outbox(self.session, row)
        self.messages.append(row)
        return row


def outbox_row(message: Message, now: datetime, *, event_id: int | None = None) -> OutboxMessage:
    """The one way a message becomes an outbox row (every writer goes through here)."""
    target = target_of(message)
    return OutboxMessage(
        kind=kind_of(message).value,
        chat_id=target.chat_id,
        user_id=target.user_id,
        run_id=run_of(message),
        event_id=event_id,
        payload=jsonable(encode(message, event_id)),
        dedupe_key=dedupe_key(message, event_id),
        created_at=now,
    )

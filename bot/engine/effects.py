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

from sqlmodel import Session

from bot.domain.nag_policy import NagPolicy
from bot.domain.delegation import Cover
from storage.models import AuditEvent, OutboxMessage, User


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


class NotificationKind(StrEnum):
    #: Private message to the holder (or to the coordinator, for an external role).
    TASK_ASSIGNED = "task_assigned"
    #: Group message: a task is waiting for someone to claim its role.
    TASK_UNASSIGNED = "task_unassigned"
    #: Group message about the run; ``payload["notice"]`` says what (see :class:`Notice`).
    GROUP_NOTICE = "group_notice"
    #: Group message asking a holder to press Start so the bot can write to them.
    START_PRIVATE_PROMPT = "start_private_prompt"
    #: Private digest of one deadline tick: reminders about one's own tasks and overdue
    #: alerts about others' (``payload["items"]``; see :mod:`bot.deadlines`).
    DEADLINE_DIGEST = "deadline_digest"
    #: Group digest of one deadline tick: overdue tasks nobody holds, or whose people
    #: cannot be written to privately.
    DEADLINE_GROUP = "deadline_group"
    #: Private message about a delegation (Plh./Plt.); ``payload["what"]``: ``handback``
    #: (the holder's digest of the period), ``over`` (to the substitute: their cards lose
    #: their buttons) or ``holder_acted`` (the holder did a step the substitute was shown).
    DELEGATION_NOTE = "delegation_note"


class Notice(StrEnum):
    RUN_STARTED = "run_started"
    TASK_DONE = "task_done"
    STEP_DONE = "step_done"
    DECISION = "decision"
    RUN_FINISHED = "run_finished"
    RUN_CANCELLED = "run_cancelled"
    TASK_UNDONE = "task_undone"
    ROLE_CLAIMED = "role_claimed"
    ROLE_CLAIM_PENDING = "role_claim_pending"
    ROLE_CLAIM_REJECTED = "role_claim_rejected"
    ROLE_ASSIGNED = "role_assigned"
    ROLE_RELEASED = "role_released"
    ROLE_REVOKED = "role_revoked"
    DELEGATION_ACCEPTED = "delegation_accepted"
    DELEGATION_ENDED = "delegation_ended"


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

    session: Session
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
        self.session.add(event)
        self.session.flush()
        self.events.append(event)
        return event

    def notify(
        self,
        kind: NotificationKind,
        event: AuditEvent,
        *,
        to_chat: int | None = None,
        to_user: int | None = None,
        **payload: Any,
    ) -> OutboxMessage:
        """Queue a message to a chat (group) or a user (private); payload holds ids only."""
        assert (to_chat is None) != (to_user is None), "exactly one target"
        target = f"u{to_user}" if to_user is not None else f"c{to_chat}"
        task = payload.get("task_id", "")
        message = OutboxMessage(
            kind=kind.value,
            chat_id=to_chat,
            user_id=to_user,
            run_id=event.run_id,
            event_id=event.id,
            payload=jsonable({"event_id": event.id, "run_id": event.run_id, **payload}),
            dedupe_key=f"{event.id}:{kind.value}:{target}:{task}",
            created_at=self.now,
        )
        self.session.add(message)
        self.messages.append(message)
        return message

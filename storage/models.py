"""The tables Pandu keeps: SOP versions, chats, users, runs, role holders, tasks, evidence,
the audit trail and the notification outbox (the shared base is :mod:`storage.base`; the SOP
catalogue's tables are in :mod:`storage.catalog_models`, monev's in :mod:`storage.monev_models`,
the Plh./Plt. tables in :mod:`storage.delegation_tables`, re-exported here).

Rules that concurrent transactions must never break live in the database itself, not
only in Python: one active holder per role of a run, one active task per run, one live
task per (run, step, pass, chain position), one event per request id. Statuses are plain
strings checked by CHECK constraints so that a schema change never needs an enum
migration on PostgreSQL.

Every name below is part of the Alembic history: change a table here and add a
migration (the test suite compares the two).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    UniqueConstraint,
    text,
)
from sqlmodel import Field

from storage.base import NAMING_CONVENTION, Base  # noqa: F401  (re-exported: migrations read Base here)
from storage.base import in_values as _in
from storage.base import partial_where as _when
from storage.base import timestamp as _ts
from storage.base import user_fk as _user_fk


class RunStatus(StrEnum):
    ACTIVE = "active"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class TaskStatus(StrEnum):
    WAITING = "waiting"
    ACTIVE = "active"
    DONE = "done"
    CANCELLED = "cancelled"


class AssignmentStatus(StrEnum):
    ACTIVE = "active"
    PENDING = "pending"
    RELEASED = "released"
    REVOKED = "revoked"
    REJECTED = "rejected"


class SopVersion(Base, table=True):
    """One exact content of an SOP file; a run points at the version it started with."""

    __tablename__ = "sop_versions"
    __table_args__ = (UniqueConstraint("sop_id", "content_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    sop_id: str = Field(max_length=48, index=True)
    content_hash: str = Field(max_length=64)
    nama: str
    content: dict[str, Any] = Field(sa_type=JSON)
    created_at: datetime = _ts(nullable=False)


class Chat(Base, table=True):
    __tablename__ = "chats"
    __table_args__ = (CheckConstraint("language IN ('id', 'en')", name="language"),)

    id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    type: str = Field(max_length=16)
    title: str | None = None
    language: str = Field(default="id", max_length=2)
    timezone: str = Field(default="Asia/Jakarta", max_length=64)
    #: Last run number handed out in this chat ("run 2 in this group"); bumped atomically.
    run_counter: int = Field(default=0)
    created_at: datetime = _ts(nullable=False)
    updated_at: datetime = _ts(nullable=False)
    #: When the group's admins were told the bot cannot read plain messages (privacy mode).
    privacy_notice_at: datetime | None = _ts()


class User(Base, table=True):
    __tablename__ = "users"

    id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    first_name: str | None = None
    username: str | None = None
    language: str | None = Field(default=None, max_length=8)
    #: Pressed Start in a private chat, so the bot may write to them directly.
    started_private: bool = Field(default=False)
    unreachable_since: datetime | None = _ts()
    created_at: datetime = _ts(nullable=False)
    updated_at: datetime = _ts(nullable=False)


class Run(Base, table=True):
    __tablename__ = "runs"
    __table_args__ = (
        UniqueConstraint("chat_id", "number"),
        CheckConstraint(_in("status", RunStatus), name="status"),
        Index(None, "chat_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, foreign_key="chats.id")
    number: int
    sop_version_id: int = Field(foreign_key="sop_versions.id", index=True)
    title: str
    coordinator_id: int = _user_fk(nullable=False)
    status: str = Field(default=RunStatus.ACTIVE, max_length=16)
    current_step_no: int | None = None
    #: Iteration counter: a decision that sends the run back starts a new pass.
    pass_no: int = Field(default=1)
    #: An accepted Plh./Plt. exists: only then are the run's delegations read (migration 0005).
    has_covers: bool = Field(default=False)
    started_at: datetime = _ts(nullable=False)
    finished_at: datetime | None = _ts()
    cancelled_at: datetime | None = _ts()
    cancelled_by: int | None = _user_fk()
    cancel_reason: str | None = None


class RoleAssignment(Base, table=True):
    __tablename__ = "role_assignments"
    __table_args__ = (
        CheckConstraint(_in("status", AssignmentStatus), name="status"),
        Index("uq_role_assignments_active_holder", "run_id", "role_key", unique=True,
              **_when("status", AssignmentStatus.ACTIVE)),
        Index("uq_role_assignments_pending_claim", "run_id", "role_key", "user_id", unique=True,
              **_when("status", AssignmentStatus.PENDING)),
        Index(None, "user_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="runs.id")
    role_key: str = Field(max_length=32)
    user_id: int = _user_fk(nullable=False)
    status: str = Field(max_length=16)
    #: None when the user claimed the role themselves.
    assigned_by: int | None = _user_fk()
    claimed_at: datetime = _ts(nullable=False)
    assigned_at: datetime | None = _ts()
    ended_at: datetime | None = _ts()
    ended_by: int | None = _user_fk()


class Task(Base, table=True):
    """One actor's share of one step in one pass."""

    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint(_in("status", TaskStatus), name="status"),
        Index("uq_tasks_one_active_per_run", "run_id", unique=True,
              **_when("status", TaskStatus.ACTIVE)),
        Index("uq_tasks_live_slot", "run_id", "step_no", "pass_no", "chain_index", unique=True,
              sqlite_where=text("status != 'cancelled'"),
              postgresql_where=text("status != 'cancelled'")),
        Index(None, "run_id", "status"),
        Index(None, "role_key", "status"),
        Index(None, "next_nag_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="runs.id")
    step_no: int
    chain_index: int = Field(default=0)
    pass_no: int = Field(default=1)
    role_key: str = Field(max_length=32)
    status: str = Field(max_length=16)
    standard_minutes: int
    started_at: datetime | None = _ts()
    due_at: datetime | None = _ts()
    completed_at: datetime | None = _ts()
    completed_by: int | None = _user_fk()
    on_behalf: bool = Field(default=False)
    on_behalf_reason: str | None = None
    note: str | None = None
    outcome_key: str | None = Field(default=None, max_length=32)
    decision_reason: str | None = None
    created_at: datetime = _ts(nullable=False)
    #: The confirmation that created this row (undo cancels it).
    created_by_task_id: int | None = Field(default=None, foreign_key="tasks.id")
    #: The confirmation that made this row active (undo puts it back to waiting).
    activated_by_task_id: int | None = Field(default=None, foreign_key="tasks.id")
    #: When this task's next reminder or overdue nag falls (working time); None when it is
    #: not active. The scheduler sleeps until the earliest one (an indexed MIN).
    next_nag_at: datetime | None = _ts()
    #: The last nag round sent (0 = early reminder, 1 = at the due time, …), None before.
    nag_round: int | None = None
    #: Completed by a substitute acting for the role's holder: "plh" or "plt" (migration 0005).
    acting_as: str | None = Field(default=None, max_length=8)


class Evidence(Base, table=True):
    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tasks.id", index=True)
    run_id: int = Field(foreign_key="runs.id", index=True)
    kind: str = Field(max_length=16)
    file_id: str | None = None
    chat_id: int | None = Field(default=None, sa_type=BigInteger)
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    filename: str | None = None
    caption: str | None = None
    added_by: int = _user_fk(nullable=False)
    added_at: datetime = _ts(nullable=False)


class AuditEvent(Base, table=True):
    """Append-only trail: every state change, enough to rebuild a run's timeline."""

    __tablename__ = "audit_events"
    __table_args__ = (Index(None, "run_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int | None = Field(default=None, foreign_key="runs.id")
    chat_id: int | None = Field(default=None, sa_type=BigInteger, foreign_key="chats.id")
    task_id: int | None = Field(default=None, foreign_key="tasks.id")
    actor_id: int | None = _user_fk()
    kind: str = Field(max_length=40)
    note: str | None = None
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = _ts(nullable=False)
    #: The caller's idempotency key: a replayed request finds its event and changes nothing.
    request_id: str | None = Field(default=None, max_length=128, unique=True)


class NagLog(Base, table=True):
    """One row per nag round of a task. Inserting it *is* the claim to send that round:
    a second process inserting the same (task, round) fails and sends nothing."""

    __tablename__ = "nag_log"

    task_id: int = Field(foreign_key="tasks.id", primary_key=True)
    round: int = Field(primary_key=True)
    run_id: int = Field(foreign_key="runs.id", index=True)
    #: Working minutes past the due time when it was sent (negative: an early reminder).
    late_minutes: int
    claimed_at: datetime = _ts(nullable=False)


class OutboxMessage(Base, table=True):
    """A notification decided in the same transaction as the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index(None, "sent_at", "next_attempt_at"),
        #: The backlog only: the sender's due-rows query stays as cheap as the backlog is
        #: small, however many messages were ever delivered (migration 0004).
        Index("ix_outbox_pending", "id",
              sqlite_where=text("sent_at IS NULL AND abandoned_at IS NULL"),
              postgresql_where=text("sent_at IS NULL AND abandoned_at IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    chat_id: int | None = Field(default=None, sa_type=BigInteger)
    user_id: int | None = Field(default=None, sa_type=BigInteger)
    run_id: int | None = Field(default=None, foreign_key="runs.id", index=True)
    event_id: int | None = Field(default=None, foreign_key="audit_events.id")
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    dedupe_key: str = Field(max_length=200, unique=True)
    created_at: datetime = _ts(nullable=False)
    sent_at: datetime | None = _ts()
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = _ts()
    last_error: str | None = None
    abandoned_at: datetime | None = _ts()
    #: The sender process working on this row, and until when its claim holds. A second
    #: sender skips claimed rows; a sender that died loses its claim when the lease ends.
    claimed_by: str | None = Field(default=None, max_length=120)
    claimed_until: datetime | None = _ts()


# The catalogue's, monev's, the Plh./Plt. and the conversation's tables (cards, prompts) live in their own modules; importing them
# here registers them on Base.metadata before ALL_TABLES is taken, and lets callers import every
# table from here.
import storage.catalog_models  # noqa: E402, F401
from storage.conversation_models import OpenPrompt, TaskCard  # noqa: E402, F401
from storage.delegation_tables import DELEGATION_STATUSES, Delegation  # noqa: E402,F401
from storage.monev_models import MonevAction, MonevEvaluation, MonevSignoff  # noqa: E402, F401

ALL_TABLES = tuple(Base.metadata.sorted_tables)

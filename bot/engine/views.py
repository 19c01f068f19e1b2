"""What the engine hands back: frozen snapshots, safe to pass across threads.

Callers (the Telegram layer, via ``asyncio.to_thread``) never see ORM rows, so nothing
they hold can lazy-load from a closed session or be mutated by accident. Times are
UTC-aware; rendering them in the chat's zone is the caller's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class UserRef:
    id: int
    first_name: str | None = None
    username: str | None = None


@dataclass(frozen=True)
class ChatView:
    id: int
    type: str
    title: str | None
    language: str
    timezone: str


@dataclass(frozen=True)
class UserView:
    id: int
    first_name: str | None
    username: str | None
    language: str | None
    started_private: bool
    unreachable_since: datetime | None

    @property
    def reachable(self) -> bool:
        """The bot may write to this person privately."""
        return self.started_private and self.unreachable_since is None


@dataclass(frozen=True)
class RoleRef:
    key: str
    nama: str
    eksternal: bool = False


@dataclass(frozen=True)
class OutcomeView:
    key: str
    label: str
    label_en: str | None
    goto: int | None
    alasan_wajib: bool


@dataclass(frozen=True)
class DecisionView:
    pertanyaan: str
    outcomes: tuple[OutcomeView, ...]


@dataclass(frozen=True)
class StepView:
    no: int
    aktivitas: str
    kelengkapan: str | None
    output: str | None
    keterangan: str | None
    minutes: int
    roles: tuple[RoleRef, ...]
    decision: DecisionView | None
    #: Why the actor was inferred, when the document lost it (``inferred:``); else None.
    inferred: str | None = None


@dataclass(frozen=True)
class RunView:
    id: int
    chat_id: int
    number: int
    title: str
    sop_id: str
    sop_nama: str
    sop_version_id: int
    content_hash: str
    status: str
    coordinator: UserRef
    current_step_no: int | None
    pass_no: int
    started_at: datetime
    finished_at: datetime | None
    cancelled_at: datetime | None
    cancelled_by: UserRef | None
    cancel_reason: str | None


@dataclass(frozen=True)
class TaskView:
    id: int
    run_id: int
    chat_id: int
    run_number: int
    run_title: str
    step_no: int
    aktivitas: str
    chain_index: int
    chain_length: int
    pass_no: int
    role: RoleRef
    status: str
    holder: UserRef | None
    started_at: datetime | None
    due_at: datetime | None
    standard_minutes: int
    completed_at: datetime | None
    completed_by: UserRef | None
    on_behalf: bool
    on_behalf_reason: str | None
    note: str | None
    outcome_key: str | None
    decision_reason: str | None
    is_decision: bool
    #: Working minutes since it became active, and past its due time (None: not overdue).
    #: Filled in where the calendar is at hand (get_task, tasks_for_user), else None.
    elapsed_minutes: float | None = None
    late_minutes: float | None = None
    #: Completed by a substitute: "plh" or "plt" (shown "Siti (Plh. Kepala Badan)").
    acting_as: str | None = None
    #: Still to do, and `holder` is a substitute covering the role now ("plh"/"plt"),
    #: for `acting_for` (the assigned holder; None for a vacant role's Plt.).
    acting: str | None = None
    acting_for: UserRef | None = None

    @property
    def unassigned(self) -> bool:
        """Nobody can act on it until someone claims the role (external roles excepted)."""
        return self.status in ("active", "waiting") and self.holder is None and not self.role.eksternal


@dataclass(frozen=True)
class ConfirmResult:
    """What a confirmation, decision or on-behalf confirmation changed."""

    task: TaskView
    next_tasks: tuple[TaskView, ...]
    step_done: bool
    run_finished: bool
    run: RunView
    outcome: OutcomeView | None = None
    new_pass: bool = False
    replayed: bool = False


@dataclass(frozen=True)
class AssignmentView:
    id: int
    run_id: int
    role: RoleRef
    user: UserRef
    status: str
    assigned_by: UserRef | None
    claimed_at: datetime
    assigned_at: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True)
class RoleView:
    role: RoleRef
    holder: UserRef | None
    pending: tuple[UserRef, ...]
    is_supervisor: bool
    active_task_id: int | None


@dataclass(frozen=True)
class ChainEntry:
    index: int
    role: RoleRef
    holder: UserRef | None
    status: str
    task_id: int
    completed_by: UserRef | None
    completed_at: datetime | None
    on_behalf: bool


@dataclass(frozen=True)
class RoleHolder:
    role: RoleRef
    holder: UserRef | None


@dataclass(frozen=True)
class NextStep:
    step: StepView
    holders: tuple[RoleHolder, ...]


@dataclass(frozen=True)
class StatusView:
    """The "what's next" screen of a run."""

    run: RunView
    step: StepView | None
    task: TaskView | None
    role: RoleRef | None
    holder: UserRef | None
    started_at: datetime | None
    due_at: datetime | None
    elapsed_minutes: float | None
    standard_minutes: int | None
    overdue: bool
    chain: tuple[ChainEntry, ...]
    next_steps: tuple[NextStep, ...]
    #: Working minutes past the due time (None when not overdue).
    late_minutes: float | None = None
    #: Outside office hours: when the clock runs again (the elapsed time stands still till then).
    resumes_at: datetime | None = None
    #: The engine's "now" the view was taken at.
    taken_at: datetime | None = None


@dataclass(frozen=True)
class EvidenceInput:
    """Evidence sent along with a confirmation (a document, photo, link or text)."""

    kind: str
    file_id: str | None = None
    filename: str | None = None
    caption: str | None = None
    chat_id: int | None = None
    message_id: int | None = None


@dataclass(frozen=True)
class EvidenceView:
    id: int
    task_id: int
    run_id: int
    kind: str
    file_id: str | None
    chat_id: int | None
    message_id: int | None
    filename: str | None
    caption: str | None
    added_by: UserRef
    added_at: datetime


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: datetime
    kind: str
    actor: UserRef | None
    task_id: int | None
    step_no: int | None
    note: str | None
    data: Mapping[str, Any]
    evidence: tuple[EvidenceView, ...] = ()


@dataclass(frozen=True)
class SopSummary:
    id: str
    nama: str
    steps: int
    content_hash: str


# The outbox's views live in their own module; re-exported so every view imports from here.
from bot.engine.outbox_views import NoticeSnapshot, NotificationView  # noqa: E402, F401

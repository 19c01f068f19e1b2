"""The outbox's messages, typed: one frozen class per kind of notification (their one
serializer and one dedupe rule are in :mod:`bot.domain.outbox_codec`).

A message names ids only; the sender renders it from the database at sending time, so a
late message still tells the truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NotificationKind(StrEnum):
    """The row's ``kind`` column: which class its payload decodes into."""

    TASK_ASSIGNED = "task_assigned"
    TASK_UNASSIGNED = "task_unassigned"
    GROUP_NOTICE = "group_notice"
    START_PRIVATE_PROMPT = "start_private_prompt"
    DEADLINE_DIGEST = "deadline_digest"
    DEADLINE_GROUP = "deadline_group"
    DELEGATION_NOTE = "delegation_note"


class Notice(StrEnum):
    """What a group notice is about."""

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


#: Group notices that report a completed task (who did it, who is next).
COMPLETION_NOTICES = frozenset({Notice.TASK_DONE, Notice.STEP_DONE, Notice.DECISION, Notice.RUN_FINISHED})
ROLE_NOTICES = frozenset({
    Notice.ROLE_CLAIMED, Notice.ROLE_CLAIM_PENDING, Notice.ROLE_CLAIM_REJECTED,
    Notice.ROLE_ASSIGNED, Notice.ROLE_RELEASED, Notice.ROLE_REVOKED,
})
DELEGATION_NOTICES = frozenset({Notice.DELEGATION_ACCEPTED, Notice.DELEGATION_ENDED})


class NoteKind(StrEnum):
    """A private note about a delegation (Plh./Plt.)."""

    #: To the holder: the digest of the period.
    HANDBACK = "handback"
    #: To the substitute: the period is over, their cards lose their buttons.
    OVER = "over"
    #: To the substitute: the holder did a step the substitute was shown.
    HOLDER_ACTED = "holder_acted"


@dataclass(frozen=True)
class TaskRef:
    """The task a message is about, as every task message names it."""

    run_id: int
    chat_id: int
    task_id: int
    step_no: int
    pass_no: int
    role_key: str


@dataclass(frozen=True)
class TaskAssigned:
    """Private card: it is `user_id`'s turn (the coordinator's, `on_behalf`, for an external role)."""

    user_id: int
    task: TaskRef
    on_behalf: bool = False
    #: A substitute's card (Plh./Plt.): its buttons go when the period ends.
    delegation_id: int | None = None


@dataclass(frozen=True)
class StartPrivatePrompt:
    """Group mention: `user_id` must press Start before the bot can write to them."""

    user_id: int
    task: TaskRef
    on_behalf: bool = False
    delegation_id: int | None = None


@dataclass(frozen=True)
class TaskUnassigned:
    """Group message: nobody holds the task's role; it carries the 🙋 claim button."""

    task: TaskRef


@dataclass(frozen=True)
class GroupNotice:
    """Group message about a run; `notice` says what, the other fields what it names."""

    notice: Notice
    run_id: int
    chat_id: int
    task_id: int | None = None
    step_no: int | None = None
    user_id: int | None = None
    by_user_id: int | None = None
    replaced_user_id: int | None = None
    on_behalf: bool | None = None
    outcome_key: str | None = None
    next_task_ids: tuple[int, ...] | None = None
    next_step_no: int | None = None
    role_key: str | None = None
    delegation_id: int | None = None
    holder_id: int | None = None


@dataclass(frozen=True)
class DigestItem:
    """One task in a deadline digest: which nag round, how late, and why this reader hears."""

    task_id: int
    run_id: int
    chat_id: int
    round: int
    late_minutes: int
    holder_id: int | None
    #: Private digests: actor, supervisor or coordinator.
    reason: str | None = None
    #: Group digests: nobody holds the role (claim button) / people to mention.
    unassigned: bool | None = None
    mention: tuple[int, ...] | None = None


@dataclass(frozen=True)
class DeadlineDigest:
    """Private digest of one deadline tick."""

    user_id: int
    items: tuple[DigestItem, ...]


@dataclass(frozen=True)
class DeadlineGroup:
    """Group digest of one deadline tick: unheld overdue tasks, unreachable people."""

    chat_id: int
    items: tuple[DigestItem, ...]


@dataclass(frozen=True)
class DelegationNote:
    """Private note about a delegation to its substitute or its holder."""

    user_id: int
    what: NoteKind
    run_id: int
    chat_id: int
    delegation_id: int
    role_key: str
    task_id: int | None = None


Message = (
    TaskAssigned | StartPrivatePrompt | TaskUnassigned | GroupNotice | DeadlineDigest | DeadlineGroup | DelegationNote
)

KIND_OF: dict[type, NotificationKind] = {
    TaskAssigned: NotificationKind.TASK_ASSIGNED,
    StartPrivatePrompt: NotificationKind.START_PRIVATE_PROMPT,
    TaskUnassigned: NotificationKind.TASK_UNASSIGNED,
    GroupNotice: NotificationKind.GROUP_NOTICE,
    DeadlineDigest: NotificationKind.DEADLINE_DIGEST,
    DeadlineGroup: NotificationKind.DEADLINE_GROUP,
    DelegationNote: NotificationKind.DELEGATION_NOTE,
}


@dataclass(frozen=True)
class Target:
    """Where a row goes: a private chat (user) or a group, exactly one of the two."""

    user_id: int | None = None
    chat_id: int | None = None

    @property
    def key(self) -> str:
        return f"u{self.user_id}" if self.user_id is not None else f"c{self.chat_id}"


class UnknownMessage(ValueError):
    """A row of a kind (or notice) this code does not know."""


def kind_of(message: Message) -> NotificationKind:
    return KIND_OF[type(message)]


def target_of(message: Message) -> Target:
    match message:
        case TaskAssigned() | DeadlineDigest() | DelegationNote():
            return Target(user_id=message.user_id)
        case StartPrivatePrompt() | TaskUnassigned():
            return Target(chat_id=message.task.chat_id)
        case GroupNotice() | DeadlineGroup():
            return Target(chat_id=message.chat_id)
    raise UnknownMessage(type(message).__name__)


def run_of(message: Message) -> int | None:
    """The run the row belongs to (None for a digest spanning several runs)."""
    match message:
        case TaskAssigned() | StartPrivatePrompt() | TaskUnassigned():
            return message.task.run_id
        case GroupNotice() | DelegationNote():
            return message.run_id
        case DeadlineDigest() | DeadlineGroup():
            runs = {i.run_id for i in message.items}
            return runs.pop() if len(runs) == 1 else None
    raise UnknownMessage(type(message).__name__)


def task_of(message: Message) -> int | None:
    """The task a message is about (a digest: its first item's)."""
    match message:
        case TaskAssigned() | StartPrivatePrompt() | TaskUnassigned():
            return message.task.task_id
        case GroupNotice() | DelegationNote():
            return message.task_id
        case DeadlineDigest() | DeadlineGroup():
            return message.items[0].task_id if message.items else None
    raise UnknownMessage(type(message).__name__)

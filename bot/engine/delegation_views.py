"""Frozen views of delegations (Plh./Plt.) for the Telegram layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.engine.views import RoleRef, UserRef


@dataclass(frozen=True)
class DelegationView:
    id: int
    run_id: int
    chat_id: int
    run_number: int
    role: RoleRef
    kind: str
    status: str
    holder: UserRef | None
    substitute: UserRef
    requested_by: UserRef
    reason: str | None
    first_day: str | None
    last_day: str | None
    starts_at: datetime
    ends_at: datetime | None
    accept_by: datetime | None
    #: Reachable privately (pressed Start, not blocked): else the group mention fallback.
    substitute_reachable: bool = False

    @property
    def in_force(self) -> bool:
        return self.status == "accepted"


@dataclass(frozen=True)
class DoneMeanwhile:
    """One step of the role done while the substitute acted."""

    task_id: int
    step_no: int
    aktivitas: str
    completed_by: UserRef | None
    completed_at: datetime | None
    acting_as: str | None
    on_behalf: bool


@dataclass(frozen=True)
class HandbackDigest:
    """What happened while a delegation lasted, for the holder it hands back to."""

    delegation: DelegationView
    done: tuple[DoneMeanwhile, ...]
    #: The role's task active now (back with the holder), if any, and its step.
    current_task_id: int | None
    current_step_no: int | None = None
    #: Reminder rounds of the role's tasks sent during the period (to the substitute).
    reminders: int = 0

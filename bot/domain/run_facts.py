"""A run as it was recorded: the facts every report and monev rollup is computed from.

Frozen, with no ORM attached: the reports' repository (:mod:`storage.repositories.reports`)
builds them in its read-only transaction, and the pure figures in :mod:`bot.reports.model`
read them in any thread. They live in the domain so that storage and reports both depend
on them without depending on each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.sop import SopDefinition


@dataclass(frozen=True)
class TaskFact:
    """One actor's share of one step in one pass, as recorded (cancelled rows left out)."""

    step_no: int
    pass_no: int
    chain_index: int
    role_key: str
    status: str
    standard_minutes: int
    started_at: datetime | None
    completed_at: datetime | None
    completed_by: int | None
    on_behalf: bool
    #: Why the coordinator confirmed for the actor, the decision taken and why (monev).
    on_behalf_reason: str | None = None
    outcome_key: str | None = None
    decision_reason: str | None = None
    #: Completed by a substitute: "plh" or "plt".
    acting_as: str | None = None


@dataclass(frozen=True)
class RunFacts:
    """Everything a report of one run is computed from."""

    run_id: int
    chat_id: int
    number: int
    title: str
    status: str
    sop: SopDefinition
    started_at: datetime
    finished_at: datetime | None
    cancelled_at: datetime | None
    timezone: str
    language: str
    tasks: tuple[TaskFact, ...]
    #: user id -> display name (first name, else @username, else the id).
    names: dict[int, str]

    @property
    def ended_at(self) -> datetime | None:
        """When the run stopped (finished or cancelled); None while it runs."""
        return self.finished_at or self.cancelled_at

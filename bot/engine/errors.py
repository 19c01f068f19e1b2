"""Why the engine refused something: a machine code plus the facts needed to explain it.

No prose lives here on purpose. The Telegram layer owns the words (in Indonesian and
English) and looks them up by ``code``, filling in ``params``; the engine only has to be
precise about *which* rule was broken and *who* is involved (the holder of a role, who
already confirmed a task and when), so the message can say something useful. Errors
about a role carry the run, so its name is read from the SOP version the run is pinned to.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, ClassVar


@dataclass(eq=False)
class EngineError(Exception):
    """Base of every refusal; ``code`` is stable, ``params`` are the fields below."""

    code: ClassVar[str] = "engine_error"

    def __post_init__(self) -> None:
        Exception.__init__(self, str(self))

    @property
    def params(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __str__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.code}({args})"


@dataclass(eq=False)
class RunNotFound(EngineError):
    code = "run_not_found"
    run_id: int | None = None
    chat_id: int | None = None
    number: int | None = None


@dataclass(eq=False)
class RunNotActive(EngineError):
    code = "run_not_active"
    run_id: int
    status: str


@dataclass(eq=False)
class UnknownSop(EngineError):
    code = "unknown_sop"
    sop_id: str


@dataclass(eq=False)
class UnknownRole(EngineError):
    code = "unknown_role"
    role_key: str
    known: tuple[str, ...] = ()
    run_id: int | None = None


@dataclass(eq=False)
class RoleTaken(EngineError):
    code = "role_taken"
    role_key: str
    holder_id: int
    run_id: int | None = None


@dataclass(eq=False)
class RoleIsExternal(EngineError):
    """External parties never hold a role; the coordinator confirms on their behalf."""

    code = "role_is_external"
    role_key: str
    run_id: int | None = None


@dataclass(eq=False)
class RoleNotHeld(EngineError):
    """Releasing (or revoking) a role the person does not hold."""

    code = "role_not_held"
    role_key: str
    user_id: int | None
    holder_id: int | None
    run_id: int | None = None


@dataclass(eq=False)
class NoPendingClaim(EngineError):
    code = "no_pending_claim"
    role_key: str
    user_id: int


@dataclass(eq=False)
class NotCoordinator(EngineError):
    code = "not_coordinator"
    run_id: int
    coordinator_id: int


@dataclass(eq=False)
class NotRoleHolder(EngineError):
    """``holder_id`` None means nobody holds the role yet (it can be claimed)."""

    code = "not_role_holder"
    task_id: int
    role_key: str
    holder_id: int | None
    run_id: int | None = None


@dataclass(eq=False)
class TaskNotCurrent(EngineError):
    """The task moved on: done (by whom, when), cancelled, or still waiting its turn."""

    code = "task_not_current"
    task_id: int
    status: str
    completed_by: int | None = None
    completed_at: datetime | None = None
    on_behalf: bool = False


@dataclass(eq=False)
class NotADecision(EngineError):
    code = "not_a_decision"
    task_id: int


@dataclass(eq=False)
class IsADecision(EngineError):
    """A decision is taken with ``decide`` (an outcome), never a plain confirmation."""

    code = "is_a_decision"
    task_id: int
    outcomes: tuple[str, ...] = ()


@dataclass(eq=False)
class UnknownOutcome(EngineError):
    code = "unknown_outcome"
    outcome_key: str | None
    valid: tuple[str, ...] = ()


@dataclass(eq=False)
class ReasonRequired(EngineError):
    """``action`` is ``on_behalf``, ``decision`` (alasan_wajib) or ``cancel``."""

    code = "reason_required"
    action: str
    outcome_key: str | None = None


@dataclass(eq=False)
class TextRequired(EngineError):
    """A title or note was given with no letter or digit in it (see :mod:`bot.domain.text_rules`)."""

    code = "text_required"
    field: str


@dataclass(eq=False)
class UndoNotAllowed(EngineError):
    """``reason``: not_done, not_author, window_passed, next_acted, run_cancelled."""

    code = "undo_not_allowed"
    task_id: int
    reason: str
    window_minutes: float | None = None


@dataclass(eq=False)
class NoSuchTask(EngineError):
    code = "no_such_task"
    task_id: int


@dataclass(eq=False)
class InvalidSetting(EngineError):
    """A chat language or time zone the engine cannot use."""

    code = "invalid_setting"
    name: str
    value: str


@dataclass(eq=False)
class RequestConflict(EngineError):
    """The request id was already used for a different operation."""

    code = "request_conflict"
    request_id: str
    used_for: str



@dataclass(eq=False)
class DelegationRefused(EngineError):
    """A Plh./Plt. request, answer or end the rules turn down (:mod:`bot.domain.delegation`);
    ``rule`` is the rule's code, ``details`` its facts (ids, dates, limits)."""

    code = "delegation_refused"
    rule: str
    role_key: str | None = None
    run_id: int | None = None
    details: dict[str, Any] | None = None

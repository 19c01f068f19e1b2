"""The refusals of runs, roles and tasks: each a :class:`~bot.domain.refusal.Refusal` naming its message.

They keep a stable ``code`` and their facts as ``params`` (what the audit and the tests
look at); :meth:`EngineError.wording` says which message explains them, with references
(:class:`Person`, :class:`RoleName`…) the Telegram layer resolves. Their class names read
well in an ``except NotRoleHolder``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, ClassVar

from bot.domain.refusal import Moment, Person, Phrase, Refusal, RoleName, Text


@dataclass(eq=False)
class EngineError(Refusal):
    """Base of the engine's refusals: ``code`` is stable, ``params`` are the fields."""

    code: ClassVar[str] = "engine_error"
    key: ClassVar[str] = "error"  # type: ignore[misc]

    def __post_init__(self) -> None:
        Exception.__init__(self, str(self))

    @property
    def params(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def words(self) -> dict[str, Any]:
        return {}

    def wording(self) -> tuple[str, dict[str, Any]]:
        return self.key, self.words()

    def __str__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.code}({args})"


class Stale(EngineError):
    """Refusals a person only meets through an old or forged button."""

    key = "stale_button"


@dataclass(eq=False)
class RunNotFound(EngineError):
    code = "run_not_found"
    run_id: int | None = None
    chat_id: int | None = None
    number: int | None = None

    def wording(self) -> tuple[str, dict[str, Any]]:
        return ("run_number_unknown", {"number": self.number}) if self.number else ("stale_button", {})


@dataclass(eq=False)
class RunNotActive(EngineError):
    code = key = "run_not_active"
    run_id: int
    status: str


@dataclass(eq=False)
class UnknownSop(EngineError):
    code, key = "unknown_sop", "sop_unknown"
    sop_id: str

    def words(self) -> dict[str, Any]:
        return {"id": Text(self.sop_id, 48)}


@dataclass(eq=False)
class UnknownRole(EngineError):
    code, key = "unknown_role", "role_unknown"
    role_key: str
    known: tuple[str, ...] = ()
    run_id: int | None = None

    def words(self) -> dict[str, Any]:
        return {"query": Text(self.role_key, 40), "roles": ", ".join(self.known)}


@dataclass(eq=False)
class RoleTaken(EngineError):
    code = key = "role_taken"
    role_key: str
    holder_id: int
    run_id: int | None = None

    def words(self) -> dict[str, Any]:
        return {"role": RoleName(self.role_key, self.run_id), "holder": Person(self.holder_id)}


@dataclass(eq=False)
class RoleIsExternal(EngineError):
    """External parties never hold a role; the coordinator confirms on their behalf."""

    code = key = "role_is_external"
    role_key: str
    run_id: int | None = None

    def words(self) -> dict[str, Any]:
        return {"role": RoleName(self.role_key, self.run_id)}


@dataclass(eq=False)
class RoleNotHeld(EngineError):
    """Releasing (or revoking) a role the person does not hold."""

    code = key = "role_not_held"
    role_key: str
    user_id: int | None
    holder_id: int | None
    run_id: int | None = None

    def words(self) -> dict[str, Any]:
        return {"role": RoleName(self.role_key, self.run_id)}


@dataclass(eq=False)
class NoPendingClaim(Stale):
    code = "no_pending_claim"
    role_key: str
    user_id: int


@dataclass(eq=False)
class NotCoordinator(EngineError):
    code = key = "not_coordinator"
    run_id: int
    coordinator_id: int

    def words(self) -> dict[str, Any]:
        return {"coordinator": Person(self.coordinator_id)}


@dataclass(eq=False)
class NotAdmin(EngineError):
    """Cancelling a run (or changing a group's settings) needs its coordinator or a group admin."""

    code = key = "not_admin"
    run_id: int | None = None


@dataclass(eq=False)
class NotRoleHolder(EngineError):
    """``holder_id`` None means nobody holds the role yet (it can be claimed)."""

    code, key = "not_role_holder", "not_holder"
    task_id: int
    role_key: str
    holder_id: int | None
    run_id: int | None = None

    def words(self) -> dict[str, Any]:
        return {"role": RoleName(self.role_key, self.run_id)}


@dataclass(eq=False)
class TaskNotCurrent(EngineError):
    """The task moved on: done (by whom, when), cancelled, or still waiting its turn."""

    code = key = "task_not_current"
    task_id: int
    status: str
    completed_by: int | None = None
    completed_at: datetime | None = None
    on_behalf: bool = False

    def words(self) -> dict[str, Any]:
        if self.completed_by is None:
            return {"by": ""}
        return {"by": Phrase("task_done_by", {"user": Person(self.completed_by), "when": Moment(self.completed_at)})}


@dataclass(eq=False)
class NotADecision(Stale):
    code = "not_a_decision"
    task_id: int


@dataclass(eq=False)
class IsADecision(Stale):
    """A decision is taken with ``decide`` (an outcome), never a plain confirmation."""

    code = "is_a_decision"
    task_id: int
    outcomes: tuple[str, ...] = ()


@dataclass(eq=False)
class UnknownOutcome(Stale):
    code = "unknown_outcome"
    outcome_key: str | None
    valid: tuple[str, ...] = ()


@dataclass(eq=False)
class ReasonRequired(EngineError):
    """``action`` is ``on_behalf``, ``decision`` (alasan_wajib) or ``cancel``."""

    code = key = "reason_required"
    action: str
    outcome_key: str | None = None


@dataclass(eq=False)
class TextRequired(EngineError):
    """A title or note was given with no letter or digit in it (see :mod:`bot.domain.text_rules`)."""

    code = "text_required"
    field: str

    def wording(self) -> tuple[str, dict[str, Any]]:
        return f"text_required_{self.field}", {}


@dataclass(eq=False)
class UndoNotAllowed(EngineError):
    """``reason``: not_done, not_author, window_passed, next_acted, run_cancelled."""

    code = key = "undo_not_allowed"
    task_id: int
    reason: str
    window_minutes: float | None = None

    def wording(self) -> tuple[str, dict[str, Any]]:
        return ("undo_not_yours" if self.reason == "not_author" else self.key), {}


@dataclass(eq=False)
class NoSuchTask(Stale):
    code = "no_such_task"
    task_id: int


@dataclass(eq=False)
class InvalidSetting(EngineError):
    """A chat language or time zone the engine cannot use."""

    code, key = "invalid_setting", "language_usage"
    name: str
    value: str


@dataclass(eq=False)
class RequestConflict(EngineError):
    """The request id was already used for a different operation (a bug, worded as one)."""

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

    def wording(self) -> tuple[str, dict[str, Any]]:
        details = {"days": "?", "max_days": "?", **(self.details or {})}
        role: Any = RoleName(self.role_key, self.run_id) if self.role_key else "?"
        return f"plh_refused_{self.rule}", {"role": role, "days": details["days"], "max_days": details["max_days"]}

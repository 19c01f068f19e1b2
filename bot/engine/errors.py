"""The engine's refusals, by the names the engine and its callers import them.

They live in :mod:`bot.domain.run_refusals` (one refusal type for the whole bot, each class
declaring the message that explains it); this module only keeps the engine's import path.
"""

from __future__ import annotations

from bot.domain.refusal import Refusal
from bot.domain.run_refusals import (
    DelegationRefused,
    EngineError,
    InvalidSetting,
    IsADecision,
    NoPendingClaim,
    NoSuchTask,
    NotADecision,
    NotAdmin,
    NotCoordinator,
    NotRoleHolder,
    ReasonRequired,
    RequestConflict,
    RoleIsExternal,
    RoleNotHeld,
    RoleTaken,
    RunNotActive,
    RunNotFound,
    TaskNotCurrent,
    TextRequired,
    UndoNotAllowed,
    UnknownOutcome,
    UnknownRole,
    UnknownSop,
)

__all__ = [
    "DelegationRefused", "EngineError", "InvalidSetting", "IsADecision", "NoPendingClaim", "NoSuchTask",
    "NotADecision", "NotAdmin", "NotCoordinator", "NotRoleHolder", "ReasonRequired", "Refusal", "RequestConflict",
    "RoleIsExternal", "RoleNotHeld", "RoleTaken", "RunNotActive", "RunNotFound", "TaskNotCurrent", "TextRequired",
    "UndoNotAllowed", "UnknownOutcome", "UnknownRole", "UnknownSop",
]

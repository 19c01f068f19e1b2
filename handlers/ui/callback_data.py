"""Typed callback-data codec: every inline button's payload, encoded in at most 64 bytes.

Telegram hands back whatever string a button carried, and anyone can forge one with a
modified client. So decoding is strict (known kind, exact field count, bounded ints,
role-key syntax) and raises only :class:`CallbackError`; what a valid payload *means*
(does the run exist, is the task still current, is the presser the holder) is checked
against the database by the handler on every press.

Format: ``kind|field|field``, e.g. ``dn|42`` (done, task 42) or ``cl|7|kepala_badan``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from handlers.ui.callback_codec import (  # noqa: F401  (re-exported: the handlers and tests use them from here)
    MAX_BYTES,
    MAX_ID,
    SOP_ACTIONS,
    Action,
    Callback,
    CallbackError,
    DraftAction,
    PeriodKey,
    RoleKey,
    Small,
    SopAction,
    SopId,
    _ACTIONS,
    decode_with,
)


@dataclass(frozen=True)
class Claim(Callback):
    """Take a free role of a run (group button)."""

    kind: ClassVar[str] = "cl"
    run_id: int
    role: RoleKey


@dataclass(frozen=True)
class Release(Callback):
    """Give a role back."""

    kind: ClassVar[str] = "rl"
    run_id: int
    role: RoleKey


@dataclass(frozen=True)
class Revoke(Callback):
    """The coordinator takes a role back from its holder."""

    kind: ClassVar[str] = "rv"
    run_id: int
    role: RoleKey


@dataclass(frozen=True)
class Done(Callback):
    """Confirm a task."""

    kind: ClassVar[str] = "dn"
    task_id: int


@dataclass(frozen=True)
class Decide(Callback):
    """Pick a decision outcome (a return asks for the reason next)."""

    kind: ClassVar[str] = "dc"
    task_id: int
    outcome: RoleKey


@dataclass(frozen=True)
class Undo(Callback):
    """Take back one's own confirmation while the window is open."""

    kind: ClassVar[str] = "un"
    task_id: int


@dataclass(frozen=True)
class OnBehalf(Callback):
    """Coordinator confirms a task for its actor (asks for the reason next)."""

    kind: ClassVar[str] = "ob"
    task_id: int


@dataclass(frozen=True)
class OnBehalfDecide(Callback):
    """Coordinator picks a decision's outcome for its actor (asks for the reason next)."""

    kind: ClassVar[str] = "od"
    task_id: int
    outcome: RoleKey


@dataclass(frozen=True)
class PickRun(Callback):
    """Choose which active run a command meant, when a group has several."""

    kind: ClassVar[str] = "pr"
    action: Action
    run_id: int


@dataclass(frozen=True)
class CancelRun(Callback):
    """Second step of /batal: really cancel."""

    kind: ClassVar[str] = "cx"
    run_id: int


@dataclass(frozen=True)
class KeepRun(Callback):
    """Second step of /batal: never mind."""

    kind: ClassVar[str] = "ck"
    run_id: int


@dataclass(frozen=True)
class SopPage(Callback):
    """Page of the /sop list."""

    kind: ClassVar[str] = "sp"
    page: int


@dataclass(frozen=True)
class Approve(Callback):
    """Coordinator approves a pending role claim (STRICT_ROLE_CLAIMS).

    The role travels as its index in the run's pinned SOP (a key of 32 characters plus two
    ids would not fit in 64 bytes).
    """

    kind: ClassVar[str] = "ap"
    run_id: int
    role_index: int
    user_id: int


@dataclass(frozen=True)
class Reject(Callback):
    """Coordinator turns a pending role claim down (STRICT_ROLE_CLAIMS); fields as :class:`Approve`."""

    kind: ClassVar[str] = "rj"
    run_id: int
    role_index: int
    user_id: int


@dataclass(frozen=True)
class SurveyAnswer(Callback):
    """Ya (1) or Tidak (0) on one criterion of one's monev questionnaire."""

    kind: ClassVar[str] = "ea"
    evaluation_id: int
    criterion: int
    value: int


@dataclass(frozen=True)
class SurveyNote(Callback):
    """Add a note to one's monev questionnaire (asks for it next)."""

    kind: ClassVar[str] = "en"
    evaluation_id: int


@dataclass(frozen=True)
class MonevSign(Callback):
    """The supervisor's paraf on the group's monev of one period."""

    kind: ClassVar[str] = "ms"
    period: PeriodKey


@dataclass(frozen=True)
class DraftFix(Callback):
    """A button of an SOP draft under review: which fix, on which step or role."""

    kind: ClassVar[str] = "df"
    draft_id: int
    action: DraftAction
    index: Small
    arg: Small


@dataclass(frozen=True)
class SopStatus(Callback):
    """Confirm withdrawing (``tarik``) or restoring (``pulih``) a catalogue entry, or keep it (``batal``)."""

    kind: ClassVar[str] = "ss"
    action: SopAction
    sop_id: SopId


@dataclass(frozen=True)
class PlhAccept(Callback):
    """The named substitute accepts a Plh./Plt. request."""

    kind: ClassVar[str] = "pa"
    delegation_id: int


@dataclass(frozen=True)
class PlhDecline(Callback):
    """The named substitute declines a Plh./Plt. request."""

    kind: ClassVar[str] = "pd"
    delegation_id: int


@dataclass(frozen=True)
class PlhAsk(Callback):
    """🧳 under /peran: the holder (or coordinator) is asked who the Plh. is (a reply names them)."""

    kind: ClassVar[str] = "pk"
    run_id: int
    role: RoleKey


@dataclass(frozen=True)
class PlhEnd(Callback):
    """End a delegation now (holder, substitute or coordinator), from /peran."""

    kind: ClassVar[str] = "pe"
    delegation_id: int


KINDS: dict[str, type[Callback]] = {
    c.kind: c
    for c in (Claim, Release, Revoke, Done, Decide, Undo, OnBehalf, OnBehalfDecide, PickRun, CancelRun, KeepRun, SopPage, Approve, Reject,
              SurveyAnswer, SurveyNote, MonevSign, DraftFix, SopStatus, PlhAccept, PlhDecline, PlhAsk, PlhEnd)
}


def decode(data: object) -> Callback:
    """Parse a payload; raises CallbackError for anything that is not exactly ours."""
    return decode_with(KINDS, data)

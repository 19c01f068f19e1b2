"""Typed callback-data codec: every inline button's payload, encoded in at most 64 bytes.

Telegram hands back whatever string a button carried, and anyone can forge one with a
modified client. So decoding is strict (known kind, exact field count, bounded ints,
role-key syntax) and raises only :class:`CallbackError`; what a valid payload *means*
(does the run exist, is the task still current, is the presser the holder) is checked
against the database by the handler on every press.

Format: ``kind|field|field``, e.g. ``dn|42`` (done, task 42) or ``cl|7|kepala_badan``.
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass, fields
from typing import ClassVar

MAX_BYTES = 64
MAX_ID = 2**53  # ids are database integers; anything larger is forged
_KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")
_INT = re.compile(r"0|[1-9][0-9]{0,15}")
_PERIOD = re.compile(r"\d{4}-[12]|\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}")
_ACTIONS = frozenset({"status", "history", "roles", "cancel", "onbehalf", "done", "report", "flow"})
_SOP_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,47}")
_SMALL = re.compile(r"0|[1-9][0-9]{0,3}")
#: What a withdraw question's buttons do to a catalogue entry.
SOP_ACTIONS = frozenset({"tarik", "pulih", "batal"})


class CallbackError(ValueError):
    """A payload that is not one of ours (garbage, forged, or from an older bot version)."""


@dataclass(frozen=True)
class Callback:
    """Base of all payloads; subclasses declare `kind` and typed fields (int or str)."""

    kind: ClassVar[str] = ""

    def encode(self) -> str:
        """Serialize; refuses values that would not decode back."""
        parts = [self.kind]
        for f, value in zip(fields(self), astuple(self)):
            _check(f.type, value)
            parts.append(str(value))
        data = "|".join(parts)
        if len(data.encode()) > MAX_BYTES:  # pragma: no cover - fields are bounded (max 62 bytes)
            raise CallbackError(f"callback data too long: {data!r}")
        return data


def _check(type_name: object, value: object) -> None:
    if type_name in (int, "int"):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < MAX_ID:
            raise CallbackError(f"bad id {value!r}")
    elif type_name == "PeriodKey":
        if not isinstance(value, str) or not _PERIOD.fullmatch(value):
            raise CallbackError(f"bad period {value!r}")
    elif type_name == "Small":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 10_000:
            raise CallbackError(f"bad index {value!r}")
    elif type_name == "SopId":
        if not isinstance(value, str) or not _SOP_ID.fullmatch(value):
            raise CallbackError(f"bad SOP id {value!r}")
    elif type_name == "SopAction":
        if value not in SOP_ACTIONS:
            raise CallbackError(f"bad SOP action {value!r}")
    elif type_name in ("RoleKey", "Action", "DraftAction"):
        pattern_ok = isinstance(value, str) and _KEY.fullmatch(value)
        if not pattern_ok or (type_name == "Action" and value not in _ACTIONS):
            raise CallbackError(f"bad key {value!r}")
    else:  # pragma: no cover - programming error
        raise TypeError(type_name)


RoleKey = str
Action = str
PeriodKey = str
SopId = str
SopAction = str
DraftAction = str  # a word of handlers.catalog_review's fixes, in role-key syntax
Small = int  # a position in a draft (step, role, outcome, step number): below 10,000


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


KINDS: dict[str, type[Callback]] = {
    c.kind: c
    for c in (Claim, Release, Revoke, Done, Decide, Undo, OnBehalf, OnBehalfDecide, PickRun, CancelRun, KeepRun, SopPage, Approve,
              SurveyAnswer, SurveyNote, MonevSign, DraftFix, SopStatus)
}


def decode(data: object) -> Callback:
    """Parse a payload; raises CallbackError for anything that is not exactly ours."""
    if not isinstance(data, str) or not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        raise CallbackError("not a callback payload")
    kind, *raw = data.split("|")
    cls = KINDS.get(kind)
    if cls is None:
        raise CallbackError(f"unknown kind {kind!r}")
    specs = fields(cls)
    if len(raw) != len(specs):
        raise CallbackError(f"{kind}: expected {len(specs)} fields, got {len(raw)}")
    values: list[object] = []
    for spec, text in zip(specs, raw):
        if spec.type in (int, "int", "Small"):
            if not (_SMALL if spec.type == "Small" else _INT).fullmatch(text):
                raise CallbackError(f"bad number {text!r}")
            values.append(int(text))
        else:
            values.append(text)
    try:
        callback = cls(*values)
        callback.encode()  # re-validates every field
    except (TypeError, ValueError) as exc:
        raise CallbackError(str(exc)) from exc
    return callback

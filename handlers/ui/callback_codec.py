"""The callback-data codec's machinery: the payload base class, its field types and their
checks, and strict decoding against a table of kinds (the payloads are in :mod:`handlers.ui.callback_data`).

Telegram hands back whatever string a button carried, and anyone can forge one with a modified
client, so every field is bounded and checked both ways (encode refuses what decode would).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import astuple, dataclass, fields
from typing import ClassVar

from bot.domain.refusal import Refusal

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


class CallbackError(Refusal, ValueError):
    """A payload that is not one of ours (garbage, forged, or from an older bot version);
    answered like any stale button, `detail` only logged."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("stale_button")
        self.detail = detail
        self.args = (detail,)


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


def decode_with(kinds: Mapping[str, type[Callback]], data: object) -> Callback:
    """Parse a payload; raises CallbackError for anything that is not exactly ours."""
    if not isinstance(data, str) or not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        raise CallbackError("not a callback payload")
    kind, *raw = data.split("|")
    cls = kinds.get(kind)
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

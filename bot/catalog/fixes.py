"""One fix to a draft, as a pure function: the draft in, a new draft out (or FixError).

Fixes only put well-formed values in (a time that parses, a role name that makes a valid
key, a step number that exists); whether the whole is right is :mod:`bot.catalog.review`'s
job, run after every fix.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from bot.catalog.views import CatalogError
from bot.domain.durations import DurationError, parse_duration
from bot.sop_import.common import is_mark
from bot.sop_import.draft import role_key

#: Longest answer taken as a time ("2 hari 3 jam 30 menit" is 21 characters).
MAX_TIME_TEXT = 40
MAX_NAME_TEXT = 120
MAX_TEXT = 1000
_SOP_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,47}$")
_NIP = re.compile(r"^\d{18}$")
Draft = dict[str, Any]


class FixError(CatalogError, ValueError):
    """A fix that cannot be applied; `code` names the reason, its message is ``catalog_fix_<code>``."""

    prefix = "catalog_fix_"


def _copy(draft: Draft) -> Draft:
    return copy.deepcopy(draft)


def _step(draft: Draft, index: int) -> dict[str, Any]:
    steps = draft.get("steps") or []
    if not 0 <= index < len(steps):
        raise FixError("stale")
    return steps[index]  # type: ignore[no-any-return]


def _role(draft: Draft, index: int) -> dict[str, Any]:
    roles = draft.get("roles") or []
    if not 0 <= index < len(roles):
        raise FixError("stale")
    return roles[index]  # type: ignore[no-any-return]


def _clean(text: str, limit: int) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise FixError("empty")
    if len(cleaned) > limit:
        raise FixError("too_long", limit=limit)
    return cleaned


def parse_time(text: str) -> str:
    """A typed standard time ("2 hari", "30 menit"), normalized in spacing; refuses the rest."""
    cleaned = _clean(text, MAX_TIME_TEXT)
    try:
        parse_duration(cleaned)
    except DurationError:
        raise FixError("bad_time") from None
    return cleaned


def set_actors(draft: Draft, step_index: int, role_indexes: list[int]) -> Draft:
    """The step's actor chain, in the order picked, from the role columns."""
    new = _copy(draft)
    if not role_indexes:
        raise FixError("no_actor")
    keys = []
    for index in role_indexes:
        key = _role(new, index).get("key")
        if is_mark(key):
            raise FixError("role_unnamed", column=index + 1)
        keys.append(key)
    _step(new, step_index)["actors"] = [{"role": k} for k in keys]
    return new


def set_time(draft: Draft, step_index: int, text: str) -> Draft:
    new = _copy(draft)
    _step(new, step_index)["waktu"] = parse_time(text)
    return new


def set_total(draft: Draft, text: str) -> Draft:
    """The document's stated total; "-" removes it (the document states none)."""
    new = _copy(draft)
    if text.strip() == "-":
        new.pop("jumlah_waktu", None)
    else:
        new["jumlah_waktu"] = parse_time(text)
    return new


def name_role(draft: Draft, role_index: int, name: str) -> Draft:
    """Name a role column; its key is made from the name and follows into every reference."""
    new = _copy(draft)
    role = _role(new, role_index)
    nama = _clean(name, MAX_NAME_TEXT)
    old_key = role.get("key")
    taken = {str(r.get("key")) for i, r in enumerate(new["roles"]) if i != role_index}
    key = role_key(nama, taken)
    role["key"], role["nama"] = key, nama
    for step in new.get("steps") or []:
        for actor in step.get("actors") or []:
            if actor.get("role") == old_key:
                actor["role"] = key
    if new.get("supervisor") == old_key:
        new["supervisor"] = key
    return new


def set_supervisor(draft: Draft, role_index: int) -> Draft:
    new = _copy(draft)
    role = _role(new, role_index)
    if is_mark(role.get("key")):
        raise FixError("role_unnamed", column=role_index + 1)
    if role.get("eksternal"):
        raise FixError("supervisor_external")
    new["supervisor"] = role["key"]
    return new


def toggle_external(draft: Draft, role_index: int) -> Draft:
    """Mark a role as a party outside the office (confirmed on its behalf), or take the mark off."""
    new = _copy(draft)
    role = _role(new, role_index)
    if role.get("eksternal"):
        role.pop("eksternal")
    else:
        role["eksternal"] = True
    return new


def _step_number(draft: Draft, number: int) -> int:
    numbers = [s.get("no") for s in draft.get("steps") or []]
    if number not in numbers:
        raise FixError("no_such_step", no=number)
    return number


def make_decision(draft: Draft, step_index: int, goto: int) -> Draft:
    """Turn a step into a decision: go on, or go back to step `goto` (a reason required)."""
    new = _copy(draft)
    step = _step(new, step_index)
    target = _step_number(new, goto)
    step["decision"] = {
        "pertanyaan": str(step.get("aktivitas") or "?"),
        "outcomes": [
            {"key": "lanjut", "label": "Lanjut", "label_en": "Go on"},
            {"key": "kembali", "label": f"Kembali ke langkah {target}", "label_en": f"Back to step {target}",
             "goto": target, "alasan_wajib": True},
        ],
    }
    return new


def set_goto(draft: Draft, step_index: int, outcome_index: int, goto: int) -> Draft:
    new = _copy(draft)
    decision = _step(new, step_index).get("decision") or {}
    outcomes = decision.get("outcomes") or []
    if not 0 <= outcome_index < len(outcomes):
        raise FixError("stale")
    outcomes[outcome_index]["goto"] = _step_number(new, goto)
    return new


def remove_decision(draft: Draft, step_index: int) -> Draft:
    new = _copy(draft)
    _step(new, step_index).pop("decision", None)
    return new


def set_number(draft: Draft, step_index: int, text: str) -> Draft:
    new = _copy(draft)
    cleaned = _clean(text, 4)
    if not cleaned.isascii() or not cleaned.isdigit() or int(cleaned) < 1:
        raise FixError("bad_number")
    number = int(cleaned)
    others = [s.get("no") for i, s in enumerate(new["steps"]) if i != step_index]
    if number in others:
        raise FixError("number_taken", no=number)
    _step(new, step_index)["no"] = number
    return new


def set_id(draft: Draft, text: str) -> Draft:
    new = _copy(draft)
    cleaned = _clean(text, 48).lower()
    if not _SOP_ID.fullmatch(cleaned):
        raise FixError("bad_id")
    new["id"] = cleaned
    return new


def set_text(draft: Draft, path: tuple[str | int, ...], text: str) -> Draft:
    """A text field the document left out (nama, instansi, an activity…); "-" drops a NIP."""
    new = _copy(draft)
    if path == ("id",):
        return set_id(draft, text)
    parent: Any = new
    for part in path[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            raise FixError("stale") from None
    last = path[-1]
    if last == "nip":
        cleaned = text.strip()
        if cleaned == "-":
            parent.pop("nip", None)
            return new
        if not _NIP.fullmatch(cleaned):
            raise FixError("bad_nip")
        parent["nip"] = cleaned
        return new
    parent[last] = _clean(text, MAX_TEXT)
    return new

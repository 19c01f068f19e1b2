"""A drawable stand-in for a draft that still has "??" marks, for its flowchart picture.

The flowchart renderer needs a valid definition; a draft under review is not one yet.
Unnamed columns get a placeholder key, actors nobody named go to one "??" column, an
unreadable time is drawn as one minute (the caption says so), repeated or unreadable
step numbers are counted on. Nothing here is ever published.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from bot.domain.durations import DurationError, parse_duration
from bot.domain.sop import SopDefinition
from bot.sop_import.common import MARK, is_mark

PLACEHOLDER_ROLE = "belum_diisi"


def _readable(value: Any) -> bool:
    try:
        parse_duration(value)
    except (DurationError, TypeError):
        return False
    return True


def provisional_definition(draft: dict[str, Any]) -> SopDefinition | None:
    """The draft with every gap filled by a visible placeholder; None if even that fails."""
    data = copy.deepcopy(draft)
    renamed: dict[str, str] = {}
    for index, role in enumerate(data.get("roles") or []):
        if is_mark(role.get("key")):
            renamed[str(role["key"])] = f"kolom_{index + 1}"
            role["key"] = f"kolom_{index + 1}"
    keys = {r.get("key") for r in data.get("roles") or []}
    placeholder_needed = False
    numbers: set[int] = set()
    for index, step in enumerate(data.get("steps") or []):
        for actor in step.get("actors") or []:
            role = actor.get("role")
            if role in renamed:
                actor["role"] = renamed[role]
            elif role not in keys:
                actor["role"], placeholder_needed = PLACEHOLDER_ROLE, True
        if not _readable(step.get("waktu")):
            step["waktu"] = "1 menit"
        no = step.get("no")
        if not isinstance(no, int) or no in numbers or no < 1:
            step["no"] = no = max(numbers, default=0) + 1
        numbers.add(no)
        decision = step.get("decision")
        for outcome in (decision or {}).get("outcomes") or []:
            if outcome.get("goto") is not None and outcome.get("goto") not in [s.get("no") for s in data["steps"]]:
                outcome.pop("goto")
    if placeholder_needed:
        data.setdefault("roles", []).append({"key": PLACEHOLDER_ROLE, "nama": MARK})
    internal = [r["key"] for r in data.get("roles") or [] if not r.get("eksternal")]
    if data.get("supervisor") not in internal and internal:
        data["supervisor"] = internal[0]
    if "jumlah_waktu" in data and not _readable(data["jumlah_waktu"]):
        data.pop("jumlah_waktu")
    signer = (data.get("identitas") or {}).get("disahkan_oleh")
    if isinstance(signer, dict) and is_mark(signer.get("nip")):
        signer.pop("nip")
    if not _readable_id(data.get("id")):
        data["id"] = "draf-sop"
    try:
        return SopDefinition.model_validate(data)
    except ValidationError:
        return None


def _readable_id(value: Any) -> bool:
    return isinstance(value, str) and not is_mark(value) and 2 <= len(value) <= 48

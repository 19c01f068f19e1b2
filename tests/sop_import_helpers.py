"""Shared helpers of the `sop import` tests: seed paths, mark resolution, comparisons."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.domain.durations import parse_duration
from bot.sop.loader import SopFileError, load_file, parse_text
from bot.domain.sop import SopDefinition
from bot.sop_import import (
    MARK,
    DraftExistsError,
    EmptyDocumentError,
    ImportError_,
    ImportResult,
    MissingColumnError,
    NoProcedureTableError,
    UnreadableDocumentError,
    UnsupportedFormatError,
    import_command,
    import_document,
    render_draft,
    write_draft,
)
from bot.sop_import.export_layout import write_docx, write_xlsx

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SOP_DATA = REPO / "sop_data"
SEED_000 = SEEDS / "000_7a09ff8db2d8aba8.txt"
SEED_001 = SEEDS / "001_7fca38addbe8baf1.txt"
SEED_002 = SEEDS / "002_02df0fbff088ce3a.txt"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,47}$")

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")


def ws(text: str | None) -> str:
    return " ".join((text or "").split())


def definition(name: str) -> SopDefinition:
    path = SOP_DATA / name
    if not path.is_file():
        pytest.skip(f"definition {path} not present yet")
    return load_file(path).definition


def marks_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith(MARK) else []
    if isinstance(value, dict):
        return [m for v in value.values() for m in marks_in(v)]
    if isinstance(value, list):
        return [m for v in value for m in marks_in(v)]
    return []


def resolve_marks(draft: dict[str, Any]) -> dict[str, Any]:
    """What a person does with a draft: replace every "??" with a real value."""
    data = copy.deepcopy(draft)
    renamed: dict[str, str] = {}
    for index, role in enumerate(data["roles"]):
        if str(role["key"]).startswith(MARK):
            renamed[role["key"]] = f"peran_{index + 1}"
            role["key"], role["nama"] = f"peran_{index + 1}", f"Peran {index + 1}"
    internal = [r["key"] for r in data["roles"] if not r.get("eksternal")] or [data["roles"][0]["key"]]
    if str(data["supervisor"]).startswith(MARK):
        data["supervisor"] = internal[0]
    for key in ("nama",):
        if str(data[key]).startswith(MARK):
            data[key] = "SOP"
    if str(data["identitas"]["instansi"]).startswith(MARK):
        data["identitas"]["instansi"] = "Instansi"
    signer = data["identitas"].get("disahkan_oleh") or {}
    if str(signer.get("nip", "")).startswith(MARK):
        del signer["nip"]
    if str(data.get("jumlah_waktu", "")).startswith(MARK):
        del data["jumlah_waktu"]
    highest = max([s["no"] for s in data["steps"] if isinstance(s["no"], int)], default=0)
    for step in data["steps"]:
        if str(step["no"]).startswith(MARK):
            highest += 1
            step["no"] = highest
        if str(step["waktu"]).startswith(MARK):
            step["waktu"] = "1 menit"
        if str(step["aktivitas"]).startswith(MARK):
            step["aktivitas"] = "Aktivitas"
        for actor in step["actors"]:
            if str(actor["role"]).startswith(MARK):
                actor["role"] = renamed.get(actor["role"], internal[0])
    assert marks_in(data) == []
    return data


def parse_resolved(result: ImportResult) -> SopDefinition:
    """Resolve the marks, render with the comment block and load it like `sop check` does."""
    fixed = ImportResult(result.source, resolve_marks(result.draft), [])
    text, _items = render_draft(fixed)
    return parse_text(text, Path(f"{result.sop_id}.yaml"))


def apply_koreksi(sop: SopDefinition, step_no: int, field: str, text: str) -> str:
    """The imported (paper) text with the definition's recorded corrections applied."""
    text = ws(text)
    for k in sop.koreksi:
        if k.step == step_no and k.field == field:
            text = text.replace(ws(k.asli), ws(k.menjadi))
    return text


def chains(draft: dict[str, Any]) -> list[list[tuple[str, int | None]]]:
    names = {r["key"]: r["nama"] for r in draft["roles"]}
    return [[(names[a["role"]], a.get("simbol")) for a in s["actors"]] for s in draft["steps"]]



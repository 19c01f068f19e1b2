"""Figures of one imported document, shared by the corpus benchmark and the corpus test."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.domain.durations import read_duration
from bot.sop_import.common import MARK, ImportError_, is_mark
from bot.sop_import.importer import import_document


@dataclass
class DocFigures:
    name: str
    pages: int = 0
    steps: int = 0
    roles: int = 0
    actors_known: int = 0
    decisions: int = 0
    marks: int = 0
    times_read: int = 0
    seconds: float = 0.0
    refused: str | None = None
    crashed: str | None = None
    role_names: tuple[str, ...] = ()
    step_numbers: tuple[Any, ...] = ()
    minutes: tuple[int | str | None, ...] = ()  # None: no standard time; "??": left for a person
    chains: tuple[tuple[str, ...], ...] = ()  # role names of each step's actors ("??" unknown)
    gotos: tuple[tuple[int, str | None, object], ...] = ()  # (step, label, goto) of decision outcomes


def _pages(draft: dict[str, Any]) -> int:
    for line in draft.get("sumber", {}).get("catatan", []):
        if "halaman)" in line:
            return int(line.split("(")[-1].split()[0])
    return 0


def measure(path: Path) -> DocFigures:
    """Import `path` and count what came out; a refusal or crash is recorded, not raised."""
    figures = DocFigures(path.name)
    start = time.perf_counter()
    try:
        result = import_document(path)
    except ImportError_ as exc:
        figures.refused = exc.problem
        figures.seconds = time.perf_counter() - start
        return figures
    except Exception as exc:  # noqa: BLE001 - the benchmark reports crashes instead of stopping
        figures.crashed = f"{type(exc).__name__}: {exc}"
        figures.seconds = time.perf_counter() - start
        return figures
    figures.seconds = time.perf_counter() - start
    draft = result.draft
    steps = draft["steps"]
    figures.pages = _pages(draft)
    figures.steps = len(steps)
    figures.roles = len(draft["roles"])
    figures.role_names = tuple(str(r["nama"]) for r in draft["roles"])
    figures.actors_known = sum(1 for s in steps if not any(is_mark(a["role"]) for a in s["actors"]))
    figures.decisions = sum(1 for s in steps if "decision" in s)
    figures.marks = len(result.blocking)
    figures.times_read = sum(1 for s in steps if not is_mark(s["waktu"]))
    figures.step_numbers = tuple(s["no"] for s in steps)
    figures.minutes = tuple(MARK if is_mark(s["waktu"]) else read_duration(s["waktu"]).minutes for s in steps)
    names = {r["key"]: str(r["nama"]) for r in draft["roles"]}
    figures.chains = tuple(tuple(MARK if is_mark(a["role"]) else names.get(a["role"], MARK) for a in s["actors"])
                           for s in steps)
    figures.gotos = tuple((s["no"], o.get("label"), o.get("goto")) for s in steps if "decision" in s
                          for o in s["decision"]["outcomes"] if "goto" in o)
    return figures

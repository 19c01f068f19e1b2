"""What a draft still lacks before it can be published, as a list of fixable issues.

Every "??" mark the importer left becomes one issue of a kind the chat knows how to fix
(pick the actors of a step, type a time, name a role column, …). Once no mark is left,
the draft is checked with exactly the rules of `sop check` (:func:`bot.sop.loader.validate_data`),
and whatever those rules still find becomes an issue too, so a fix that breaks another
rule (making the supervisor an external party) shows up at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bot.domain.durations import DurationError, parse_duration
from bot.sop.loader import validate_data
from bot.domain.sop import SopDefinition
from bot.sop_import.common import is_mark

Path_ = tuple[str | int, ...]

#: Issue kinds, in the order they are listed.
KINDS = ("text", "number", "role_name", "supervisor", "actors", "time", "goto", "total", "rule", "decision_hint")
_ALTERNATIVE = re.compile(r"\b(jika|apabila)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Issue:
    """One thing to fix; `blocking` issues stop publication, hints do not."""

    kind: str
    message: str = ""
    step_index: int | None = None
    role_index: int | None = None
    outcome_index: int | None = None
    path: Path_ = ()
    blocking: bool = True


@dataclass(frozen=True)
class Review:
    issues: tuple[Issue, ...]
    #: The checked definition when nothing blocks (what "Terbitkan" publishes).
    definition: SopDefinition | None
    #: Sum of the step times that can be read, and how many cannot.
    total_minutes: int
    unknown_times: int
    stated_minutes: int | None

    @property
    def blocking(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.blocking)

    @property
    def ready(self) -> bool:
        return self.definition is not None


def marks(data: Any, path: Path_ = ()) -> Iterator[Path_]:
    """Paths of every "??" value in the draft, in document order."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from marks(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from marks(value, (*path, index))
    elif is_mark(data):
        yield path


def classify(path: Path_, message: str = "") -> Issue:
    """The issue a problem at `path` is fixed by."""
    if len(path) >= 2 and path[0] == "roles" and isinstance(path[1], int):
        return Issue("role_name", message, role_index=path[1])
    if path[:1] == ("supervisor",):
        return Issue("supervisor", message)
    if path[:1] == ("jumlah_waktu",):
        return Issue("total", message)
    if len(path) >= 3 and path[0] == "steps" and isinstance(path[1], int):
        index, field = path[1], path[2]
        if field == "actors":
            return Issue("actors", message, step_index=index)
        if field == "waktu":
            return Issue("time", message, step_index=index)
        if field == "no":
            return Issue("number", message, step_index=index)
        if field == "decision" and path[-1] == "goto" and isinstance(path[-2], int):
            return Issue("goto", message, step_index=index, outcome_index=path[-2])
        if field == "aktivitas" and len(path) == 3:
            return Issue("text", message, path=path)
    if path[:1] in (("id",), ("nama",), ("identitas",)) and all(isinstance(p, str) for p in path):
        return Issue("text", message, path=path)
    return Issue("rule", message, path=path)


def _unnamed_role_keys(draft: dict[str, Any]) -> set[str]:
    return {str(r.get("key")) for r in draft.get("roles") or [] if isinstance(r, dict) and is_mark(r.get("key"))}


def _times(draft: dict[str, Any]) -> tuple[int, int]:
    total = unknown = 0
    for step in draft.get("steps") or []:
        try:
            total += parse_duration(step.get("waktu") if isinstance(step, dict) else None)  # type: ignore[arg-type]
        except DurationError:
            unknown += 1
    return total, unknown


def _stated(draft: dict[str, Any]) -> int | None:
    value = draft.get("jumlah_waktu")
    try:
        return None if value is None else parse_duration(value)
    except DurationError:
        return None


def _hints(draft: dict[str, Any]) -> list[Issue]:
    """Steps whose text names an alternative ("Jika …") but have no decision yet."""
    found = []
    for index, step in enumerate(draft.get("steps") or []):
        text = step.get("aktivitas") if isinstance(step, dict) else None
        if isinstance(text, str) and _ALTERNATIVE.search(text) and not step.get("decision"):
            found.append(Issue("decision_hint", step_index=index, blocking=False))
    return found


def review(draft: dict[str, Any], lang: str = "id") -> Review:
    """Every issue of `draft`, the rules' messages in `lang`; its definition when none blocks."""
    unnamed = _unnamed_role_keys(draft)
    issues: list[Issue] = []

    def add(issue: Issue) -> None:
        if issue not in issues:
            issues.append(issue)

    mark_paths = list(marks(draft))
    for path in mark_paths:
        value = _value_at(draft, path)
        if path[-1] == "role" and "actors" in path and value in unnamed:
            continue  # the step's actor is known: its column only needs a name
        if path[:1] == ("roles",) and len(path) == 3:
            path = path[:2]  # key and nama of one column are one fix
        add(classify(path))
    definition, problems = validate_data(draft, lang)
    covered = [p[:2] if p[:1] == ("roles",) else p for p in mark_paths]
    for path, message in problems:
        if any(path[: len(c)] == c for c in covered):
            continue
        if path[-1:] == ("role",) and _value_at(draft, path) in unnamed:
            continue
        add(classify(path, message))
    issues.extend(_hints(draft))
    issues.sort(key=lambda i: (KINDS.index(i.kind), i.step_index or 0, i.role_index or 0))
    total, unknown = _times(draft)
    if any(i.blocking for i in issues):
        definition = None
    return Review(tuple(issues), definition, total, unknown, _stated(draft))


def _value_at(data: Any, path: Path_) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data

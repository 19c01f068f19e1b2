"""Cross-field rules of an SOP definition that a single field cannot check.

Each rule returns every problem it finds, each pointing at the step and field, so that
`sop check` lists everything wrong with a file in one go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.sop.messages import rule_message
from bot.domain.sop import SopDefinition

END = 0  # pseudo step number of "finished"


@dataclass(frozen=True)
class Problem:
    """One rule broken: `path` is the YAML path of the field (for the line number); `key`
    and `params` say which rule, in words of either language (:mod:`bot.sop.messages`)."""

    path: tuple[str | int, ...]
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "id") -> str:
        return rule_message(self.key, self.params, lang)

    @property
    def message(self) -> str:
        return self.text("id")


def _step_path(sop: SopDefinition, no: int, *rest: str | int) -> tuple[str | int, ...]:
    index = next(i for i, s in enumerate(sop.steps) if s.no == no)
    return ("steps", index, *rest)


def check_definition(sop: SopDefinition) -> list[Problem]:
    """All cross-field problems of `sop`, in file order."""
    problems: list[Problem] = []
    role_keys = [r.key for r in sop.roles]
    for key in sorted({k for k in role_keys if role_keys.count(k) > 1}):
        problems.append(Problem(("roles",), "duplicate_role", {"key": key}))
    known = set(role_keys)
    if sop.supervisor not in known:
        problems.append(Problem(("supervisor",), "supervisor_unknown", {"key": sop.supervisor}))
    elif sop.role_by_key[sop.supervisor].eksternal:
        problems.append(Problem(("supervisor",), "supervisor_external", {"key": sop.supervisor}))

    seen: set[int] = set()
    for index, step in enumerate(sop.steps):
        if step.no in seen:
            problems.append(Problem(("steps", index, "no"), "duplicate_step", {"no": step.no}))
        seen.add(step.no)
        for a_index, actor in enumerate(step.actors):
            if actor.role not in known:
                problems.append(
                    Problem(
                        ("steps", index, "actors", a_index, "role"),
                        "unknown_actor",
                        {"no": step.no, "role": actor.role, "known": ", ".join(role_keys)},
                    )
                )
    if len(seen) != len(sop.steps):
        return problems  # jumps are ambiguous while numbers repeat

    numbers = {s.no for s in sop.steps}
    for step in sop.steps:
        if step.decision is None:
            continue
        for o_index, outcome in enumerate(step.decision.outcomes):
            if outcome.goto is not None and outcome.goto not in numbers:
                problems.append(
                    Problem(
                        _step_path(sop, step.no, "decision", "outcomes", o_index, "goto"),
                        "missing_target",
                        {"no": step.no, "outcome": outcome.key, "target": outcome.goto},
                    )
                )
    if not problems:
        problems.extend(_trapped_steps(sop))
    return problems


def successors(sop: SopDefinition, no: int) -> list[int]:
    """Where a run can go after step `no` (END for finished)."""
    step = sop.step_by_no[no]
    following = sop.next_step_no(no)
    if step.decision is None:
        return [END if following is None else following]
    result = []
    for outcome in step.decision.outcomes:
        target = outcome.goto if outcome.goto is not None else following
        result.append(END if target is None else target)
    return result


def _trapped_steps(sop: SopDefinition) -> list[Problem]:
    """Steps reachable from the first one from which the end can never be reached."""
    first = sop.steps[0].no
    reachable: set[int] = set()
    stack = [first]
    while stack:
        no = stack.pop()
        if no in reachable or no == END:
            continue
        reachable.add(no)
        stack.extend(successors(sop, no))
    can_finish: set[int] = set()
    changed = True
    while changed:
        changed = False
        for no in reachable - can_finish:
            if any(n == END or n in can_finish for n in successors(sop, no)):
                can_finish.add(no)
                changed = True
    trapped = sorted(reachable - can_finish)
    if not trapped:
        return []
    listed = ", ".join(str(n) for n in trapped)
    return [
        Problem(
            _step_path(sop, trapped[0]),
            "trapped",
            {"steps": listed},
        )
    ]

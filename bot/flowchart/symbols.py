"""The symbols of each step before pages give them coordinates: which kind (terminator,
process, decision), in which lane, stacked how, and whether the actor was inferred.

SOP AP draws one symbol per actor of a step in the actor's column; the first activity
opens with a terminator and the last closes with one; a decision is a diamond on the
chain's last actor. A step whose actor the document lost (``inferred:`` in the YAML) is
drawn with a dashed outline, so the chart does not pass a guess off as the document's.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.flowchart.geometry import ShapeKind
from bot.domain.sop import SopDefinition

SIZES: dict[ShapeKind, tuple[float, float]] = {
    "process": (40.0, 26.0),
    "terminator": (46.0, 26.0),
    "decision": (54.0, 38.0),
    "connector": (30.0, 26.0),
}


@dataclass
class PlannedSymbol:
    """A symbol planned for a step before pages give it coordinates."""

    id: str
    kind: ShapeKind
    role_key: str
    actor_index: int | None
    terminal: str | None = None
    text: str = ""
    slot: int = 0
    inferred: bool = False


def plan_symbols(sop: SopDefinition, lane_of: dict[str, int]) -> dict[int, list[PlannedSymbol]]:
    """Every step's symbols in flow order, with terminators and stacking slots decided."""
    plans: dict[int, list[PlannedSymbol]] = {}
    for index, step in enumerate(sop.steps):
        last_actor = len(step.actors) - 1
        guessed = step.inferred is not None
        syms = [
            PlannedSymbol(
                f"step{step.no}.{i}",
                "decision" if step.decision is not None and i == last_actor else "process",
                actor.role,
                i,
                text=str(actor.simbol or ""),
                inferred=guessed,
            )
            for i, actor in enumerate(step.actors)
        ]
        if index == 0:
            if syms[0].kind == "process":
                syms[0].kind, syms[0].terminal = "terminator", "start"
            else:
                syms.insert(0, PlannedSymbol(f"step{step.no}.start", "terminator", syms[0].role_key, None, "start"))
        if index == len(sop.steps) - 1:
            if syms[-1].kind == "process" and syms[-1].terminal is None:
                syms[-1].kind, syms[-1].terminal = "terminator", "end"
            else:
                syms.append(PlannedSymbol(f"step{step.no}.end", "terminator", syms[-1].role_key, None, "end"))
        lanes = [lane_of[s.role_key] for s in syms]
        steps = [b - a for a, b in zip(lanes, lanes[1:])]
        one_line = all(d > 0 for d in steps) or all(d < 0 for d in steps)
        for slot, sym in enumerate(syms):
            sym.slot = 0 if one_line else slot
        plans[step.no] = syms
    return plans


def first_actor(syms: list[PlannedSymbol]) -> PlannedSymbol:
    """Where a jump lands: the step's first actor, not an opening terminator (Mulai is not redone)."""
    return next(s for s in syms if s.actor_index is not None)

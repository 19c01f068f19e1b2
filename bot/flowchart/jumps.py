"""How a decision's outcomes read on the chart: which way is "Ya", which jumps elsewhere.

SOP AP diamonds carry two exits, Ya and Tidak. In the definitions an outcome without
`goto` (or going to the next step) carries on, and the other jumps back to be redone or
ahead; with exactly that pair the chart says Ya/Tidak. Any other shape of decision keeps
the outcomes' own short labels, so nothing is mislabelled.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.flowchart.geometry import ArrowKind
from bot.flowchart.text import label
from bot.domain.sop import Outcome, SopDefinition, Step


@dataclass(frozen=True)
class Jump:
    """A decision outcome that leaves the normal order: to `target`, back (loop) or ahead."""

    key: str
    target: int
    kind: ArrowKind
    label: str
    note: str


def _short(outcome: Outcome, lang: str) -> str:
    text = outcome.label_en if lang == "en" and outcome.label_en else outcome.label
    return text.split(" — ")[0].split(" - ")[0].strip()


def _is_forward(sop: SopDefinition, step: Step, outcome: Outcome) -> bool:
    return outcome.goto is None or outcome.goto == sop.next_step_no(step.no)


def _yes_no(sop: SopDefinition, step: Step) -> bool:
    """True for the classic diamond: two outcomes, exactly one carrying on."""
    assert step.decision is not None
    outcomes = step.decision.outcomes
    return len(outcomes) == 2 and sum(_is_forward(sop, step, o) for o in outcomes) == 1


def decision_jumps(sop: SopDefinition, step: Step, lang: str) -> list[Jump]:
    """The outcomes of `step` that do not simply carry on, in document order."""
    if step.decision is None:
        return []
    yes_no = _yes_no(sop, step)
    jumps = []
    for outcome in step.decision.outcomes:
        if _is_forward(sop, step, outcome) or outcome.goto is None:
            continue
        back = outcome.goto <= step.no
        jumps.append(
            Jump(
                key=outcome.key,
                target=outcome.goto,
                kind="loop" if back else "branch",
                label=label(lang, "no_branch") if yes_no else _short(outcome, lang),
                note=label(lang, "back_to" if back else "skip_to", step=outcome.goto),
            )
        )
    return jumps


def forward_label(sop: SopDefinition, step_no: int, lang: str) -> str | None:
    """The label on a decision's carry-on line ("Ya"), or None for an ordinary step."""
    step = sop.step_by_no[step_no]
    if step.decision is None:
        return None
    if _yes_no(sop, step):
        return label(lang, "yes")
    forward = [o for o in step.decision.outcomes if _is_forward(sop, step, o)]
    return " / ".join(_short(o, lang) for o in forward) or None

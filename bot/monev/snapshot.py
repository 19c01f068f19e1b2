"""A signed-off form as JSON and back: the snapshot that keeps a period's figures frozen.

Pure. Datetimes travel as ISO strings; everything else is already plain.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.monev.model import (
    CriterionTally,
    EvaluationRow,
    LateStep,
    MonevForm,
    MonitoringRow,
    OnBehalfFact,
    Paraf,
    ReturnFact,
)

def form_to_json(form: MonevForm) -> dict[str, Any]:
    """A form as plain JSON (datetimes as ISO strings): the sign-off snapshot."""
    return _plain(dataclasses.asdict(form))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def form_from_json(data: Mapping[str, Any]) -> MonevForm:
    """The form a snapshot holds, exactly as it was signed off."""
    def row(d: Mapping[str, Any]) -> MonitoringRow:
        return MonitoringRow(**{**d, "late_steps": tuple(LateStep(**x) for x in d["late_steps"]),
                                "returns": tuple(ReturnFact(**{**x, "reasons": tuple(x["reasons"])})
                                                 for x in d["returns"]),
                                "on_behalf": tuple(OnBehalfFact(**{**x, "reasons": tuple(x["reasons"])})
                                                   for x in d["on_behalf"])})

    def evaluation(d: Mapping[str, Any]) -> EvaluationRow:
        return EvaluationRow(**{**d, "criteria": tuple(CriterionTally(**c) for c in d["criteria"]),
                                "notes": tuple(d["notes"])})

    return MonevForm(
        period=data["period"], first=data["first"], last=data["last"],
        generated_at=datetime.fromisoformat(data["generated_at"]), min_on_time=data["min_on_time"],
        max_cancelled=data["max_cancelled"], monitoring=tuple(row(r) for r in data["monitoring"]),
        evaluation=tuple(evaluation(e) for e in data["evaluation"]),
        parafs=tuple(Paraf(p["chat_id"], p["name"], p["user_id"], datetime.fromisoformat(p["signed_at"]))
                     for p in data.get("parafs", ())),
        timezone=data.get("timezone", "Asia/Jakarta"), details=tuple(tuple(d) for d in data.get("details", ())),
    )

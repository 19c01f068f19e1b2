"""The normalized JSON export of an SOP (`sop show ID --json`), for other tools to consume.

Times are working minutes, actors are role keys in chain order, and decisions name their
targets explicitly (`goto: null` means "the next step, or the end after the last one").
"""

from __future__ import annotations

from typing import Any

from bot.domain.sop import SopDefinition


def export_definition(sop: SopDefinition) -> dict[str, Any]:
    steps = []
    for step in sop.steps:
        item: dict[str, Any] = {
            "no": step.no,
            "aktivitas": step.aktivitas,
            "actors": step.actor_keys,
            "simbol": [a.simbol for a in step.actors],
            "kelengkapan": step.kelengkapan,
            "waktu": step.waktu,
            "minutes": step.minutes,
            "output": step.output,
            "keterangan": step.keterangan,
            "inferred": step.inferred,
            "decision": None,
        }
        if step.decision is not None:
            following = sop.next_step_no(step.no)
            item["decision"] = {
                "pertanyaan": step.decision.pertanyaan,
                "outcomes": [
                    {
                        "key": o.key,
                        "label": o.label,
                        "goto": o.goto,
                        "target": o.goto if o.goto is not None else following,
                        "alasan_wajib": o.alasan_wajib,
                    }
                    for o in step.decision.outcomes
                ],
            }
        steps.append(item)
    return {
        "id": sop.id,
        "nama": sop.nama,
        "identitas": sop.identitas.model_dump(mode="json"),
        "roles": [{"key": r.key, "nama": r.nama, "eksternal": r.eksternal} for r in sop.roles],
        "supervisor": sop.supervisor,
        "steps": steps,
        "total_minutes": sop.total_minutes,
        "stated_total_minutes": sop.stated_total_minutes,
        "content_hash": sop.content_hash(),
    }

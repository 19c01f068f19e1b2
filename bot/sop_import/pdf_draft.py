"""Finish a draft read from a PDF: decisions from the diamonds, and where the draft came from.

The rows-to-draft builder is shared by every format and knows nothing of flowcharts, so the
PDF's decisions are added here, after it. A branch whose label or target could not be read
gets a "??" mark rather than a guess; a branch back to an earlier step asks for a reason,
as returning work does in the seeds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.sop_import.common import Mark, Unresolved
from bot.sop_import.draft import role_key
from bot.sop_import.pdf_reader import BranchInfo


def _outcome(branch: BranchInfo, step_no: int, next_no: int | None, taken: set[str], index: int,
             path: tuple[Any, ...], notes: list[Unresolved]) -> dict[str, Any]:
    outcome: dict[str, Any] = {}
    if branch.label:
        outcome["key"] = role_key(branch.label, taken)
        outcome["label"] = branch.label
    else:
        outcome["key"] = Mark(f"cabang {index + 1}")
        outcome["label"] = Mark()
        notes.append(Unresolved(f"langkah {step_no}: label cabang ke-{index + 1} keputusan tidak terbaca — "
                                "isi key dan label", (*path, index, "key"), step_no))
    if branch.target is None:
        outcome["goto"] = Mark()
        notes.append(Unresolved(f"langkah {step_no}: panah cabang {branch.label or index + 1!r} tidak berujung pada "
                                "simbol yang terbaca — isi `goto` (nomor langkah) atau hapus bila ke langkah "
                                "berikutnya", (*path, index, "goto"), step_no))
    elif branch.back:
        outcome["goto"] = branch.target
        outcome["alasan_wajib"] = True
    elif branch.target != next_no:
        outcome["goto"] = branch.target
    return outcome


def add_decisions(draft: dict[str, Any], decisions: dict[int, list[BranchInfo]], notes: list[Unresolved]) -> None:
    """Give each step with a diamond its `decision` with one outcome per drawn branch."""
    steps = draft["steps"]
    numbers = [s["no"] for s in steps]
    for index, step in enumerate(steps):
        branches = decisions.get(step["no"]) if isinstance(step["no"], int) else None
        if branches is None:
            continue
        next_no = numbers[index + 1] if index + 1 < len(numbers) and isinstance(numbers[index + 1], int) else None
        path = ("steps", index, "decision", "outcomes")
        taken: set[str] = set()
        outcomes = [_outcome(b, step["no"], next_no, taken, i, path, notes) for i, b in enumerate(branches)]
        while len(outcomes) < 2:
            n = len(outcomes)
            outcomes.append({"key": Mark(f"cabang {n + 1}"), "label": Mark()})
            notes.append(Unresolved(f"langkah {step['no']}: simbol keputusan dengan kurang dari dua cabang terbaca — "
                                    "lengkapi hasil keputusan", (*path, n, "key"), step["no"]))
        notes[:] = [n for n in notes if not (n.step == step["no"] and "menyebut alternatif" in n.message)]
        step["decision"] = {"pertanyaan": f"{step['aktivitas']}?" if isinstance(step["aktivitas"], str) else Mark(),
                            "outcomes": outcomes}
        notes.append(Unresolved(f"langkah {step['no']}: keputusan dibaca dari simbol belah ketupat; pertanyaan "
                                "diambil dari aktivitas — rumuskan bila perlu", ("steps", index, "decision",
                                                                               "pertanyaan"), step["no"],
                                blocking=False))


def pdf_sumber(file: Path, pages: int, method: str, image_pages: list[int], part: str | None = None) -> dict[str, Any]:
    where = f"{pages} halaman" + (f", {part}" if part else "")
    catatan = [
        f"Draf dibuat oleh `sop import` dari {file.name} ({where}); periksa terhadap dokumen asli.",
        f"Dibaca dengan {method}.",
    ]
    if image_pages:
        shown = ", ".join(str(p) for p in image_pages)
        catatan.append(f"Diagram alir halaman {shown} berupa gambar: pelaku langkah di sana diisi manual.")
    return {"dokumen": file.name, "catatan": catatan}

"""A plain-text view of an SOP for the terminal (`python -m bot sop show ID`)."""

from __future__ import annotations

from bot.domain.durations import format_minutes
from bot.domain.sop import SopDefinition


def describe(sop: SopDefinition) -> str:
    ident = sop.identitas
    lines = [f"{sop.nama}  [{sop.id}]", f"  {ident.instansi}" + (f" — {ident.unit}" if ident.unit else "")]
    if ident.nomor:
        lines.append(f"  Nomor SOP: {ident.nomor}")
    if ident.disahkan_oleh:
        signer = ident.disahkan_oleh
        lines.append(f"  Disahkan oleh: {signer.jabatan}" + (f", {signer.nama}" if signer.nama else ""))
    lines.append("")
    lines.append("Peran (Pelaksana):")
    for role in sop.roles:
        marks = [m for m, on in (("eksternal", role.eksternal), ("supervisor", role.key == sop.supervisor)) if on]
        suffix = f"  ({', '.join(marks)})" if marks else ""
        lines.append(f"  {role.key:<28} {role.nama}{suffix}")
    lines.append("")
    lines.append("Langkah:")
    for step in sop.steps:
        chain = " → ".join(sop.role_by_key[k].nama for k in step.actor_keys)
        lines.append(f"  {step.no:>2}. {step.aktivitas}")
        lines.append(f"      Pelaksana: {chain}" + ("  [disimpulkan]" if step.inferred else ""))
        lines.append(f"      Waktu: {format_minutes(step.minutes) if step.has_standard_time else f'— ({step.waktu})'}" + (f" · Output: {step.output}" if step.output else ""))
        if step.decision:
            for outcome in step.decision.outcomes:
                goto = outcome.goto or sop.next_step_no(step.no)
                target = f"langkah {goto}" if goto else "selesai"
                lines.append(f"      ◇ {outcome.label} → {target}")
    lines.append("")
    total = f"Jumlah waktu: {format_minutes(sop.total_minutes)} ({sop.total_minutes} menit kerja)"
    if sop.stated_total_minutes is not None:
        total += f"; dokumen: {format_minutes(sop.stated_total_minutes)}"
    lines.append(total)
    return "\n".join(lines)

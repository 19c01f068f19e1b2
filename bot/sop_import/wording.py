"""What `sop import` prints, in the language of the person running it.

The importer words its findings in Indonesian as it goes (they also head the draft file,
which stays Indonesian like the format's keys). For an English run, each finding is said
again from what it is about — its field named in words (:func:`bot.sop.messages.field_words`)
and what to do there — so no Indonesian sentence reaches an English reader. Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

from bot.sop.messages import field_words, sop_text
from bot.sop_import.common import (
    DraftExistsError,
    EmptyDocumentError,
    ImportError_,
    MissingColumnError,
    NoProcedureTableError,
    Unresolved,
    UnreadableDocumentError,
    UnsupportedFormatError,
)

_CLI: dict[str, tuple[str, str]] = {
    "written": ("Draf ditulis: {target} ({steps} langkah, {roles} peran)",
                "Draft written: {target} ({steps} steps, {roles} roles)"),
    "blocking": ("Belum selesai ({count}) — ganti nilai \"??\" lalu jalankan `sop check`:",
                 "Not finished ({count}) — replace each \"??\" value, then run `sop check`:"),
    "notes": ("Catatan ({count}):", "Notes ({count}):"),
    "none_left": ("Tidak ada isian yang tertinggal.", "Nothing is left to fill in."),
    "several": ("{name} memuat {count} SOP: satu draf per SOP.", "{name} holds {count} SOPs: one draft each."),
    "cannot_write": ("{name}: tidak dapat menulis draf ({error})", "{name}: cannot write the draft ({error})"),
}

#: English for a finding, by the last field of its path (blocking, note).
_HINTS: dict[str, tuple[str, str]] = {
    "role": ("no actor could be read from the Pelaksana columns — write the acting role's key",
             "check the actor"),
    "actors": ("no actor could be read — write the acting roles",
               "mixed marks (symbol numbers and others); the actor order follows the columns — check it"),
    "key": ("a Pelaksana column without a name (or no Pelaksana column at all) — give the role a key and a name "
            "(also where actors refer to it)", "check the role"),
    "waktu": ("empty or unreadable — write e.g. \"2 days\" or \"30 minutes\"", "check the time"),
    "no": ("unreadable or used twice — write the right step number",
           "repeated, so the second was renumbered and recorded under `koreksi` — check it"),
    "aktivitas": ("empty — write the activity",
                  "mentions an alternative (\"Jika\"/\"apabila\"), which the table cannot show — add a `decision` "
                  "if this step branches"),
    "instansi": ("agency name not found — fill in identitas.instansi", "check the agency"),
    "jabatan": ("the signer's position could not be read — fill it in", "check the position"),
    "nip": ("the signer's NIP is not 18 digits — correct it or remove it", "check the NIP"),
    "nama": ("SOP name not found — fill in `nama`", "check the name"),
    "supervisor": ("no Kasubag role found — choose the supervisor (a role key)", "check the supervisor"),
    "jumlah_waktu": ("the stated total time cannot be read — correct it", "check the stated total time"),
}
_FALLBACK = ("could not be read from the document — fill it in", "worth a look")

#: English for a document that gives no draft at all, by its kind.
_PROBLEMS: tuple[tuple[type[ImportError_], str], ...] = (
    (UnsupportedFormatError, "not a format the importer reads (.docx, .xlsx, .txt, .pdf, .png, .jpg)"),
    (EmptyDocumentError, "the document holds no text"),
    (MissingColumnError, "the procedure table has no Aktivitas column"),
    (NoProcedureTableError, "no procedure table found (a header row with No, Aktivitas, Pelaksana, Mutu Baku "
                            "and numbered steps)"),
    (DraftExistsError, "the file already exists; use --force to replace it"),
)


def cli_text(lang: str, key: str, /, **params: Any) -> str:
    """One line of the command's own output in ``lang``."""
    pair = _CLI[key]
    return (pair[1] if lang == "en" else pair[0]).format(**params)


def _where(item: Unresolved) -> str:
    path = list(item.path or ())
    if path[:1] == ["steps"] and len(path) >= 2 and isinstance(path[1], int):
        step = sop_text("en", "step_no", no=item.step if item.step is not None else f"(row {path[1] + 1})")
        rest = field_words(path[2:], "en")
        return f"{step} › {rest}" if rest else step
    return field_words(path, "en") if path else "document"


def item_text(item: Unresolved, lang: str) -> str:
    """A finding as a sentence naming its field: the importer's own words, or English."""
    if lang != "en":
        return item.message
    last = next((p for p in reversed(item.path or ()) if isinstance(p, str)), "")
    blocking, note = _HINTS.get(last, _FALLBACK)
    return f"{_where(item)}: {blocking if item.blocking else note}"


def problem_reason(exc: ImportError_, lang: str) -> str:
    """Why a document gives no draft (without the file's name)."""
    if lang != "en":
        return exc.problem
    reason = next((text for kind, text in _PROBLEMS if isinstance(exc, kind)), None)
    if reason is None and type(exc) is not ImportError_ and not isinstance(exc, UnreadableDocumentError):
        return exc.problem  # a reader's own finding (what a PDF holds, which packages OCR needs): its words
    return reason or "the file cannot be read (missing, damaged, or not what its extension says)"


def problem_text(exc: ImportError_, lang: str) -> str:
    """Why a document gives no draft, naming the file."""
    return f"{exc.file.name}: {problem_reason(exc, lang)}"

"""What is wrong with an SOP file, said to the person who transcribed it, in their language.

Pydantic reports "String should match pattern '^[a-z][a-z0-9_]{0,31}$'" at
``steps.2.actors.0.role``; an official fixing an import draft needs "pelaksana ke-1 ›
peran: kunci peran ditulis huruf kecil, angka atau garis bawah … (tertulis: '?? isi')".
This module names every field of the format in words (Indonesian and English) and turns
pydantic's error types and the cross-field rules of :mod:`bot.sop.validate` into sentences.
Pure: no I/O.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["field_words", "pydantic_message", "rule_message", "sop_text"]

#: YAML key -> (Indonesian, English) words.
FIELDS: dict[str, tuple[str, str]] = {
    "id": ("ID SOP", "SOP id"), "nama": ("nama", "name"), "identitas": ("identitas", "identity block"),
    "nomor": ("nomor SOP", "SOP number"), "pemerintah": ("pemerintah", "government"),
    "instansi": ("instansi", "agency"), "unit": ("unit kerja", "work unit"),
    "tanggal_pembuatan": ("tanggal pembuatan", "date made"), "tanggal_revisi": ("tanggal revisi", "revision date"),
    "tanggal_efektif": ("tanggal efektif", "effective date"), "disahkan_oleh": ("pengesah", "approved by"),
    "jabatan": ("jabatan", "position"), "pangkat": ("pangkat", "rank"), "nip": ("NIP", "NIP (civil servant no.)"),
    "dasar_hukum": ("dasar hukum", "legal basis"), "kualifikasi_pelaksana": ("kualifikasi pelaksana", "actor qualifications"),
    "keterkaitan": ("keterkaitan", "related SOPs"), "peralatan": ("peralatan/perlengkapan", "equipment"),
    "peringatan": ("peringatan", "warnings"), "pencatatan": ("pencatatan dan pendataan", "records"),
    "roles": ("peran", "role"), "key": ("kunci", "key"), "eksternal": ("pihak luar", "external"),
    "supervisor": ("supervisor (penerima peringatan keterlambatan)", "supervisor (receives overdue alerts)"),
    "steps": ("langkah", "step"), "no": ("nomor langkah", "step number"), "aktivitas": ("aktivitas", "activity"),
    "actors": ("pelaksana", "actor"), "role": ("peran", "role"), "simbol": ("nomor simbol", "symbol number"),
    "kelengkapan": ("kelengkapan", "requirements"), "waktu": ("waktu (mutu baku)", "standard time"),
    "output": ("output", "output"), "keterangan": ("keterangan", "remarks"),
    "inferred": ("catatan pelaksana disimpulkan", "inferred-actor note"), "decision": ("keputusan", "decision"),
    "pertanyaan": ("pertanyaan", "question"), "outcomes": ("pilihan hasil", "outcome"), "label": ("label", "label"),
    "label_en": ("label bahasa Inggris", "English label"), "goto": ("langkah tujuan", "target step"),
    "alasan_wajib": ("alasan wajib", "reason required"), "jumlah_waktu": ("jumlah waktu", "stated total time"),
    "koreksi": ("koreksi", "correction"), "step": ("langkah", "step"), "field": ("kolom", "field"),
    "asli": ("tulisan asli", "original"), "menjadi": ("menjadi", "corrected to"), "alasan": ("alasan", "reason"),
    "sumber": ("sumber", "source"), "dokumen": ("dokumen", "document"), "catatan": ("catatan", "note"),
}

_TYPES: dict[str, tuple[str, str]] = {
    "string_type": ("harus berupa teks", "must be text"),
    "int_type": ("harus berupa bilangan bulat", "must be a whole number"),
    "int_parsing": ("harus berupa bilangan bulat", "must be a whole number"),
    "int_from_float": ("harus berupa bilangan bulat", "must be a whole number"),
    "bool_type": ("harus true atau false", "must be true or false"),
    "bool_parsing": ("harus true atau false", "must be true or false"),
    "list_type": ("harus berupa daftar (baris diawali '- ')", "must be a list (lines starting with '- ')"),
    "model_type": ("harus berupa kumpulan 'kunci: nilai'", "must be a set of 'key: value' lines"),
    "dict_type": ("harus berupa kumpulan 'kunci: nilai'", "must be a set of 'key: value' lines"),
}

_PATTERNS: dict[str, tuple[str, str]] = {
    "^[a-z][a-z0-9_]{0,31}$": (
        "ditulis huruf kecil, angka atau garis bawah, diawali huruf, paling panjang 32 (contoh: kasubbag_renja)",
        "is written in lowercase letters, digits or underscores, starting with a letter, at most 32 (e.g. kasubbag_renja)",
    ),
    "^[a-z0-9][a-z0-9-]{1,47}$": (
        "ditulis huruf kecil, angka dan tanda hubung, 2 sampai 48 karakter (contoh: renja-bappeda-kalbar)",
        "is written in lowercase letters, digits and dashes, 2 to 48 characters (e.g. renja-bappeda-kalbar)",
    ),
    r"^\d{18}$": ("terdiri dari 18 angka", "has 18 digits"),
}

_SENTENCES: dict[str, tuple[str, str]] = {
    "missing": ("wajib diisi", "is required"),
    "extra": ("kolom {key!r} tidak dikenal{hint}", "unknown field {key!r}{hint}"),
    "hint": (" (maksudnya {close!r}?)", " (did you mean {close!r}?)"),
    "type": ("{what}; tertulis: {value}", "{what}; found: {value}"),
    "pattern": ("{what}; tertulis: {value}", "{what}; found: {value}"),
    "empty": ("tidak boleh kosong", "must not be empty"),
    "too_short": ("harus berisi paling sedikit {count} butir", "needs at least {count} items"),
    "at_least": ("paling kecil {limit}; tertulis: {value}", "must be at least {limit}; found: {value}"),
    "invalid": ("{detail}", "{detail}"),
    # Cross-field rules (bot.sop.validate).
    "duplicate_role": ("peran ganda: {key!r}", "role listed twice: {key!r}"),
    "supervisor_unknown": ("supervisor {key!r} bukan peran yang terdaftar", "supervisor {key!r} is not a listed role"),
    "supervisor_external": ("supervisor {key!r} adalah pihak eksternal", "supervisor {key!r} is an external party"),
    "duplicate_step": ("nomor langkah ganda", "step number used twice"),
    "unknown_actor": (
        "peran {role!r} tidak dikenal (dikenal: {known})",
        "unknown role {role!r} (known: {known})",
    ),
    "missing_target": (
        "keputusan {outcome!r} menuju langkah {target} yang tidak ada",
        "decision {outcome!r} goes to step {target}, which does not exist",
    ),
    "trapped": (
        "langkah {steps}: siklus tanpa jalan keluar (tidak pernah mencapai akhir SOP)",
        "steps {steps}: a loop with no way out (the SOP can never finish)",
    ),
    # Words around the messages.
    "step_no": ("langkah {no}", "step {no}"),
    "nth": ("{what} ke-{n}", "{what} #{n}"),
    "error": ("GALAT", "ERROR"),
    "warning": ("PERINGATAN", "WARNING"),
    "check_summary": ("{count} SOP valid, {errors} galat, {warnings} peringatan",
                      "{count} SOPs valid, {errors} errors, {warnings} warnings"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def sop_text(lang: str, key: str, /, **params: Any) -> str:
    """One sentence of this module in ``lang`` (Indonesian for anything but "en")."""
    return _pick(_SENTENCES[key], lang).format(**params)


def field_words(path: Sequence[str | int], lang: str) -> str:
    """``("actors", 0, "role")`` → "pelaksana ke-1 › peran" / "actor #1 › role"."""
    words: list[str] = []
    for part in path:
        if isinstance(part, int):
            if words:
                words[-1] = sop_text(lang, "nth", what=words[-1], n=part + 1)
            continue
        words.append(_pick(FIELDS[part], lang) if part in FIELDS else str(part))
    return " › ".join(words)


def _shown(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def pydantic_message(error: Mapping[str, Any], path: Sequence[str | int], lang: str) -> str:
    """One pydantic error (``ValidationError.errors()`` item) as a sentence about the field
    at ``path``, which :class:`bot.sop.loader.SopError` names in words before it."""
    kind, ctx = str(error.get("type", "")), error.get("ctx") or {}
    value = _shown(error.get("input"))
    if kind == "missing":
        return sop_text(lang, "missing")
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        close = difflib.get_close_matches(key, list(FIELDS), n=1, cutoff=0.75)
        hint = sop_text(lang, "hint", close=close[0]) if close else ""
        return sop_text(lang, "extra", key=key, hint=hint)
    if kind in _TYPES:
        return sop_text(lang, "type", what=_pick(_TYPES[kind], lang), value=value)
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        what = _PATTERNS.get(pattern, (f"harus cocok dengan pola {pattern}", f"must match the pattern {pattern}"))
        return sop_text(lang, "pattern", what=_pick(what, lang), value=value)
    if kind == "string_too_short":
        return sop_text(lang, "empty")
    if kind == "too_short":
        return sop_text(lang, "too_short", count=ctx.get("min_length", 1))
    if kind in ("greater_than_equal", "greater_than"):
        return sop_text(lang, "at_least", limit=ctx.get("ge", ctx.get("gt", "")), value=value)
    detail = str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    return sop_text(lang, "invalid", detail=detail)


def rule_message(key: str, params: Mapping[str, Any], lang: str) -> str:
    """A cross-field rule broken (:class:`bot.sop.validate.Problem`), as a sentence."""
    return sop_text(lang, key, **params)

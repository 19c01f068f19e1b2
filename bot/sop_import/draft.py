"""Turn the rows of any reader into a draft definition plus the list of what is unresolved.

This is the one place that knows the SOP AP layout, so that Word, Excel and text tables
give the same draft. Whatever cannot be determined gets a "??" mark (see
:data:`bot.sop_import.common.MARK`) at the exact field, so the draft fails `sop check`
there until a person fixes it — and nothing else is invented.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from bot.domain.durations import format_minutes, read_duration
from bot.sop_import.common import Mark, Rows, Unresolved, is_mark
from bot.sop_import.front import SECTION_KEYS, Front, read_front
from bot.sop_import.table import RawStep, Table, is_duration, read_table

_EXTERNAL = re.compile(r"^(bappeda|forum skpd|skpd\b|skpd/bagian|inspektorat|pihak (luar|eksternal))", re.IGNORECASE)
_SUPERVISOR = re.compile(r"^(kasubag|kasubbag|kepala sub ?bagian|kepala sub-bagian)\b", re.IGNORECASE)
_SYMBOLS = re.compile(r"^\d{1,3}(?:\s*[,;/&+-]\s*\d{1,3})*$")
_ALTERNATIVE = re.compile(r"\b(jika|apabila)\b", re.IGNORECASE)
_ID_STOPWORDS = {"sop", "dan", "yang", "di", "ke", "dari", "untuk", "atas", "the"}
_PLACE_WORDS = {"pemerintah", "kota", "kabupaten", "kab", "provinsi", "prov"}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _ascii(text).lower())


def role_key(name: str, taken: set[str]) -> str:
    """snake_case key of a header name, ≤ 32 chars, starting with a letter, unique."""
    words = _words(name) or ["peran"]
    key = ""
    for word in words:
        candidate = f"{key}_{word}" if key else word
        if len(candidate) > 32:
            break
        key = candidate
    key = key or words[0][:32]
    if not key[0].isalpha():
        key = f"p_{key}"[:32]
    base, n = key, 2
    while key in taken:
        suffix = f"_{n}"
        key, n = base[: 32 - len(suffix)] + suffix, n + 1
    taken.add(key)
    return key


def generate_id(nama: str, instansi: str | None, pemerintah: str | None, fallback: str) -> str:
    """A readable id: SOP name, agency acronym, place ("mekanisme-forum-skpd-bkpsdm-tangerang")."""
    name_words = [w for w in _words(nama) if w not in _ID_STOPWORDS] or _words(fallback) or ["sop"]
    tail: list[str] = []
    place = [w for w in _words(pemerintah or "") if w not in _PLACE_WORDS]
    agency = [w for w in _words(instansi or "") if w not in _ID_STOPWORDS and w not in place and w not in _PLACE_WORDS]
    if len(agency) > 2:  # "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia" -> bkpsdm
        tail.append("".join(w[0] for w in agency))
    elif agency:
        tail.extend(agency)
    tail.extend(place)
    tail_text = "-".join(tail)
    words: list[str] = []
    for word in name_words:
        candidate = "-".join(words + [word] + ([tail_text] if tail_text else []))
        if len(candidate) > 48:
            break
        words.append(word)
    if not words:
        words = [name_words[0][: max(2, 47 - len(tail_text))]]
    text = "-".join(words + ([tail_text] if tail_text else []))[:48].strip("-")
    if len(text) < 2 or not text[0].isalnum():
        text = ("sop-" + text).strip("-")[:48]
    return text


def _actors(step: RawStep, roles: list[dict[str, Any]], index: int, notes: list[Unresolved]) -> list[dict[str, Any]]:
    """Actor chain from the marks: symbol numbers give the order, else column order."""
    path = ("steps", index, "actors", 0, "role")
    label = step.no if step.no is not None else step.no_text
    if not step.marks:
        notes.append(Unresolved(f"langkah {label}: tidak ada tanda pada kolom Pelaksana — isi peran pelaku", path, step.no))
        return [{"role": Mark()}]
    if step.shifted:
        shown = ", ".join(text for _i, text in step.marks)
        notes.append(Unresolved(
            f"langkah {label}: baris bergeser satu kolom (waktu terpecah dua sel); tanda pelaksana {shown!r} "
            "tidak dapat dipastikan kolomnya — isi peran pelaku", path, step.no))
        return [{"role": Mark(shown)}]
    actors: list[tuple[int | None, int, dict[str, Any]]] = []  # (symbol, column order, actor)
    for order, (role_index, text) in enumerate(step.marks):
        key = roles[role_index]["key"]
        numbers = [int(n) for n in re.findall(r"\d+", text) if int(n) >= 1] if _SYMBOLS.match(text) else []
        if numbers:
            actors.extend((n, order, {"role": key, "simbol": n}) for n in numbers)
        else:
            actors.append((None, order, {"role": key}))
    if all(symbol is not None for symbol, _o, _a in actors):
        return [a for _s, _o, a in sorted(actors, key=lambda t: (t[0], t[1]))]
    if any(symbol is not None for symbol, _o, _a in actors):
        notes.append(Unresolved(
            f"langkah {label}: tanda campuran (nomor simbol dan tanda lain); urutan pelaku menurut kolom — periksa",
            ("steps", index, "actors"), step.no, blocking=False))
    return [a for _s, _o, a in sorted(actors, key=lambda t: t[1])]


def _roles(table: Table, notes: list[Unresolved]) -> list[dict[str, Any]]:
    """Roles from the Pelaksana headers; unnamed columns without any mark are layout, not roles."""
    aligned = [step for step in table.steps if not step.shifted]  # a shifted row's columns are unknown
    used = {index for step in aligned for index, _text in step.marks}
    kept = [i for i, (_col, name) in enumerate(table.columns.roles) if name or i in used]
    remap = {old: new for new, old in enumerate(kept)}
    for step in aligned:
        step.marks = [(remap[i], t) for i, t in step.marks if i in remap]
    taken: set[str] = set()
    roles: list[dict[str, Any]] = []
    for old in kept:
        column, name = table.columns.roles[old]
        if name:
            role: dict[str, Any] = {"key": role_key(name, taken), "nama": name}
            if _EXTERNAL.match(name):
                role["eksternal"] = True
        else:
            role = {"key": Mark(f"kolom {column + 1}"), "nama": Mark(f"kolom {column + 1}")}
            notes.append(Unresolved(
                f"kolom Pelaksana ke-{column + 1} tidak bernama tetapi berisi tanda — beri key dan nama peran "
                "(juga pada pelaku yang merujuknya)", ("roles", len(roles), "key")))
        roles.append(role)
    if not roles:
        roles = [{"key": Mark("peran"), "nama": Mark("peran")}]
        notes.append(Unresolved("tabel tidak mempunyai kolom Pelaksana — daftarkan peran", ("roles", 0, "key")))
    return roles


def _waktu(step: RawStep, index: int, notes: list[Unresolved]) -> str:
    if is_duration(step.waktu):
        return step.waktu
    what = "kosong" if not step.waktu else f"tidak dapat dibaca ({step.waktu!r})"
    label = step.no if step.no is not None else step.no_text
    notes.append(Unresolved(f"langkah {label}: waktu {what} — tulis mis. \"2 hari\" atau \"30 menit\"",
                            ("steps", index, "waktu"), step.no))
    return Mark(step.waktu)


def _obvious_renumbering(table: Table, index: int, seen: set[int]) -> int | None:
    """The number a repeated step obviously meant, or None when a person must decide.

    Obvious means the repeat directly follows its twin and the next number is used
    nowhere in the table (seed 000 numbers its last two steps "10"); anything else is
    ambiguous and stays marked.
    """
    raw = table.steps[index]
    if raw.no is None or index == 0 or table.steps[index - 1].no != raw.no:
        return None
    candidate = raw.no + 1
    used = {s.no for s in table.steps if s.no is not None} | seen
    return None if candidate in used else candidate


def _steps(
    table: Table, roles: list[dict[str, Any]], notes: list[Unresolved], koreksi: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    seen: set[int] = set()
    for index, raw in enumerate(table.steps):
        no: int | str
        renumbered = _obvious_renumbering(table, index, seen) if raw.no in seen else None
        if raw.no is None:
            no = Mark(raw.no_text)
            notes.append(Unresolved(f"langkah {raw.no_text!r}: nomor langkah tidak terbaca — tulis nomornya",
                                    ("steps", index, "no")))
        elif renumbered is not None:
            no = renumbered
            seen.add(renumbered)
            koreksi.append({"step": renumbered, "field": "no", "asli": str(raw.no), "menjadi": str(renumbered),
                            "alasan": f"Nomor {raw.no} tertulis dua kali berturut-turut; langkah kedua adalah "
                                      f"langkah {renumbered} (dibetulkan oleh sop import)."})
            notes.append(Unresolved(
                f"langkah {raw.no} muncul dua kali berturut-turut (baris ke-{index + 1} tabel); yang kedua "
                f"dinomori {renumbered} dan dicatat di `koreksi` — periksa", ("steps", index, "no"), renumbered,
                blocking=False))
        elif raw.no in seen:
            no = Mark(str(raw.no))
            notes.append(Unresolved(
                f"langkah {raw.no} muncul dua kali (baris ke-{index + 1} tabel); keduanya dipertahankan — "
                "beri nomor yang benar pada yang kedua", ("steps", index, "no"), raw.no))
        else:
            no = raw.no
            seen.add(raw.no)
        step: dict[str, Any] = {"no": no, "aktivitas": raw.aktivitas or Mark()}
        if not raw.aktivitas:
            notes.append(Unresolved(f"langkah {raw.no_text}: aktivitas kosong", ("steps", index, "aktivitas"), raw.no))
        step["actors"] = _actors(raw, roles, index, notes)
        if raw.kelengkapan:
            step["kelengkapan"] = raw.kelengkapan
        step["waktu"] = _waktu(raw, index, notes)
        if raw.output:
            step["output"] = raw.output
        if raw.keterangan:
            step["keterangan"] = raw.keterangan
        if raw.aktivitas and _ALTERNATIVE.search(raw.aktivitas):
            notes.append(Unresolved(
                f"langkah {raw.no_text}: aktivitas menyebut alternatif (\"Jika\"/\"apabila\"); keputusan tidak "
                "dapat dibaca dari tabel — tambahkan `decision` bila langkah ini bercabang",
                ("steps", index, "aktivitas"), raw.no, blocking=False))
        steps.append(step)
    return steps


def _identitas(front: Front, notes: list[Unresolved]) -> dict[str, Any]:
    order = ("nomor", "pemerintah", "instansi", "unit", "tanggal_pembuatan", "tanggal_revisi",
             "tanggal_efektif", "disahkan_oleh")
    ident = {k: front.identitas[k] for k in order if front.identitas.get(k)}
    if "instansi" not in ident:
        ident["instansi"] = Mark()
        notes.append(Unresolved("nama instansi tidak ditemukan — isi identitas.instansi", ("identitas", "instansi")))
    signer = ident.get("disahkan_oleh")
    if signer is not None:
        ident["disahkan_oleh"] = {k: signer[k] for k in ("jabatan", "nama", "pangkat", "nip") if k in signer}
        if "jabatan" not in signer:
            ident["disahkan_oleh"] = {"jabatan": Mark(), **ident["disahkan_oleh"]}
            notes.append(Unresolved("jabatan pengesah tidak terbaca", ("identitas", "disahkan_oleh", "jabatan")))
        if front.bad_nip:
            ident["disahkan_oleh"]["nip"] = Mark(front.bad_nip)
            notes.append(Unresolved(f"NIP pengesah {front.bad_nip!r} bukan 18 angka — perbaiki atau hapus",
                                    ("identitas", "disahkan_oleh", "nip")))
    return {k: ident[k] for k in order if k in ident}


def _compare_total(draft: dict[str, Any], notes: list[Unresolved]) -> None:
    """Note a stated Jumlah waktu that differs from the sum of the steps' times."""
    times = [s["waktu"] for s in draft["steps"]]
    if any(is_mark(t) for t in times):
        return
    stated = read_duration(draft["jumlah_waktu"]).minutes or 0  # steps without a standard time add nothing
    total = sum(read_duration(t).minutes or 0 for t in times)
    if stated != total:
        notes.append(Unresolved(
            f"jumlah waktu dokumen ({format_minutes(stated)}) berbeda dari jumlah waktu langkah "
            f"({format_minutes(total)}) — periksa waktu langkah", ("jumlah_waktu",), blocking=False))


def build_draft(rows: Rows, file: Path) -> tuple[dict[str, Any], list[Unresolved]]:
    """The draft definition (format key order) and the unresolved items of `rows`."""
    table = read_table(rows, file)
    front = read_front(rows[: table.header_row])
    notes: list[Unresolved] = []
    identitas = _identitas(front, notes)
    nama: str = front.nama or Mark()
    if not front.nama:
        notes.append(Unresolved("nama SOP tidak ditemukan — isi `nama`", ("nama",)))
    roles = _roles(table, notes)
    koreksi: list[dict[str, Any]] = []
    steps = _steps(table, roles, notes, koreksi)
    supervisor = next((r["key"] for r in roles if _SUPERVISOR.match(str(r["nama"])) and not r.get("eksternal")), None)
    if supervisor is None:
        supervisor = Mark()
        notes.append(Unresolved("tidak ada peran Kasubag/Kepala Sub Bagian — tentukan supervisor (key peran)",
                                ("supervisor",)))
    instansi = identitas["instansi"]
    draft: dict[str, Any] = {
        "id": generate_id(front.nama or "", None if is_mark(instansi) else instansi,
                          identitas.get("pemerintah"), file.stem),
        "nama": nama,
        "identitas": identitas,
        **{key: front.sections[key] for key in SECTION_KEYS},
        "roles": roles,
        "supervisor": supervisor,
        "steps": steps,
    }
    if table.jumlah_waktu:
        if is_duration(table.jumlah_waktu):
            draft["jumlah_waktu"] = table.jumlah_waktu
            _compare_total(draft, notes)
        else:
            draft["jumlah_waktu"] = Mark(table.jumlah_waktu)
            notes.append(Unresolved(f"jumlah waktu {table.jumlah_waktu!r} tidak dapat dibaca", ("jumlah_waktu",)))
    if koreksi:
        draft["koreksi"] = koreksi
    draft["sumber"] = {
        "dokumen": file.name,
        "catatan": [
            f"Draf dibuat oleh `sop import` dari {file.name}; periksa terhadap dokumen asli.",
            "Keputusan (simbol belah ketupat) tidak dapat dinyatakan dalam tabel; langkah keputusan terbaca "
            "sebagai langkah biasa.",
        ],
    }
    return draft, notes

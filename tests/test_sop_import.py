"""`sop import`: SOP AP documents (text, Word, Excel) become draft definitions.

The seeds are the real documents the hand-written definitions in sop_data/ were
transcribed from, so importing them must reproduce those definitions' steps. Every
definition is also written out as Word and Excel in the SOP AP layout and imported back.
"""

from __future__ import annotations

from pathlib import Path
import re

import pytest

from sop_import_helpers import (
    apply_koreksi,
    chains,
    definition,
    ID_PATTERN,
    import_document,
    load_file,
    MARK,
    needs_seeds,
    parse_duration,
    parse_resolved,
    parse_text,
    render_draft,
    SEED_000,
    SEED_001,
    SEED_002,
    SOP_DATA,
    SopDefinition,
    SopFileError,
    write_docx,
    write_xlsx,
    ws,
)

# --- the seed documents ---------------------------------------------------------------


@needs_seeds
def test_seed_000_gives_the_steps_and_actor_chains_of_its_definition() -> None:
    sop = definition("forum-skpd-bkpsdm-tangerang.yaml")
    result = import_document(SEED_000)
    assert result.blocking == []  # the repeated "10" is obvious: renumbered, recorded, noted
    assert [u.message for u in result.unresolved] == [
        "langkah 10 muncul dua kali berturut-turut (baris ke-11 tabel); yang kedua dinomori 11 dan dicatat "
        "di `koreksi` — periksa"
    ]
    steps = result.draft["steps"]
    assert [s["no"] for s in steps] == list(range(1, 12))
    assert result.draft["koreksi"] == [{
        "step": 11, "field": "no", "asli": "10", "menjadi": "11",
        "alasan": "Nomor 10 tertulis dua kali berturut-turut; langkah kedua adalah langkah 11 (dibetulkan oleh sop import).",
    }]
    resolved = parse_resolved(result)
    assert [s.no for s in resolved.steps] == [s.no for s in sop.steps]
    for mine, theirs in zip(resolved.steps, sop.steps):
        assert apply_koreksi(sop, theirs.no, "aktivitas", mine.aktivitas) == ws(theirs.aktivitas)
        assert apply_koreksi(sop, theirs.no, "kelengkapan", mine.kelengkapan or "") == ws(theirs.kelengkapan)
        assert ws(mine.output) == ws(theirs.output)
        assert mine.minutes == theirs.minutes
    expected = [[(sop.role_by_key[a.role].nama, a.simbol) for a in s.actors] for s in sop.steps]
    assert chains(result.draft) == expected
    assert chains(result.draft)[4] == [("Pelaksana", 5), ("Kasubag Perencanaan", 6), ("Sekretaris", 7), ("Ka. Badan", 8)]
    assert [(r.nama, r.eksternal) for r in resolved.roles] == [(r.nama, r.eksternal) for r in sop.roles]
    assert resolved.role_by_key[resolved.supervisor].nama == "Kasubag Perencanaan"
    assert resolved.total_minutes == sop.total_minutes
    assert ID_PATTERN.match(result.sop_id)


@pytest.mark.skipif(not SEED_002.is_file(), reason=f"seed 002 not found at {SEED_002}")
def test_seed_002_one_cell_per_line_imports_its_table_and_sections() -> None:
    sop = definition("renja-bappeda-kalbar.yaml")
    result = import_document(SEED_002)
    draft = result.draft
    assert [r["nama"] for r in draft["roles"]] == [r.nama for r in sop.roles]
    assert [s["no"] for s in draft["steps"]] == [s.no for s in sop.steps]
    assert [parse_duration(s["waktu"]) for s in draft["steps"]] == [s.minutes for s in sop.steps]
    for mine, theirs in zip(draft["steps"], sop.steps):
        assert apply_koreksi(sop, theirs.no, "aktivitas", mine["aktivitas"]) == ws(theirs.aktivitas)
    assert draft["jumlah_waktu"] == "230 menit" and draft["nama"] == sop.nama.upper()
    assert draft["kualifikasi_pelaksana"] == ["Pendidikan Minimal S1", "Memiliki Pengetahuan Perencanaan"]
    assert len(draft["dasar_hukum"]) == 6 and draft["keterkaitan"] == ["SOP Penyusunan RKA"]
    blocking = [u.message for u in result.blocking]  # the source lost the marks and names no instansi
    assert sum("tidak ada tanda" in m for m in blocking) == 5 and any("instansi" in m for m in blocking)


@needs_seeds
def test_seed_000_identity_and_sections() -> None:
    sop = definition("forum-skpd-bkpsdm-tangerang.yaml")
    draft = import_document(SEED_000).draft
    ident = draft["identitas"]
    assert draft["nama"].casefold() == sop.nama.casefold()
    for key in ("nomor", "pemerintah", "instansi", "unit", "tanggal_pembuatan", "tanggal_efektif"):
        assert ident[key].casefold() == (getattr(sop.identitas, key) or "").casefold(), key
    assert "tanggal_revisi" not in ident  # blank on the paper
    signer = sop.identitas.disahkan_oleh
    assert ident["disahkan_oleh"] == {"jabatan": "KEPALA BKPSDM", "nama": signer.nama, "nip": signer.nip}
    for key in ("dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan", "peringatan", "pencatatan"):
        assert draft[key] == getattr(sop, key), key
    assert draft["id"] == "mekanisme-forum-skpd-bkpsdm-tangerang"


@needs_seeds
def test_seed_001_split_time_cells_and_lost_actor_columns() -> None:
    sop = definition("renja-kesbangpol-tangerang.yaml")
    result = import_document(SEED_001)
    steps = result.draft["steps"]
    assert len(steps) == 17
    assert [s["no"] for s in steps] == [s.no for s in sop.steps]
    # the only open items are the 17 empty Pelaksana rows, one per step, at the actor
    assert [(u.step, u.path) for u in result.blocking] == [
        (n, ("steps", n - 1, "actors", 0, "role")) for n in range(1, 18)
    ]
    assert all("tidak ada tanda" in u.message for u in result.blocking)
    assert [u for u in result.unresolved if not u.blocking] == []
    for mine, theirs in zip(steps, sop.steps):
        assert apply_koreksi(sop, theirs.no, "aktivitas", mine["aktivitas"]) == ws(theirs.aktivitas)
        assert ws(mine["kelengkapan"]) == ws(theirs.kelengkapan)  # shifted rows re-aligned
        assert ws(mine["output"]) == ws(theirs.output)
        assert parse_duration(mine["waktu"]) == theirs.minutes
    total = sum(parse_duration(s["waktu"]) for s in steps)
    assert total == 3365 == parse_duration(result.draft["jumlah_waktu"]) == sop.stated_total_minutes
    assert [r["nama"] for r in result.draft["roles"]] == [r.nama for r in sop.roles]
    assert result.draft["supervisor"] == "kasubag_tu"
    resolved = parse_resolved(result)
    assert resolved.total_minutes == resolved.stated_total_minutes == 3365


@needs_seeds
def test_seed_001_identity_and_sections() -> None:
    sop = definition("renja-kesbangpol-tangerang.yaml")
    draft = import_document(SEED_001).draft
    assert draft["nama"] == sop.nama
    ident = draft["identitas"]
    for key in ("nomor", "pemerintah", "instansi", "unit", "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif"):
        assert ident[key].casefold() == getattr(sop.identitas, key).casefold(), key
    signer = sop.identitas.disahkan_oleh
    assert ident["disahkan_oleh"] == {
        "jabatan": "KEPALA KANTOR", "nama": signer.nama, "pangkat": signer.pangkat, "nip": signer.nip
    }
    for key in ("dasar_hukum", "kualifikasi_pelaksana", "keterkaitan"):
        assert draft[key] == getattr(sop, key), key


@needs_seeds
def test_seed_000_draft_passes_check_as_imported() -> None:
    text, items = render_draft(import_document(SEED_000))
    sop = parse_text(text, Path("draft.yaml"))
    assert [s.no for s in sop.steps] == list(range(1, 12))
    assert [k.step for k in sop.koreksi] == [11]
    assert [item.blocking for item in items] == [False]


@needs_seeds
def test_unresolved_marks_fail_check_at_the_listed_lines() -> None:
    result = import_document(SEED_001)
    text, items = render_draft(result)
    with pytest.raises(SopFileError) as failure:
        parse_text(text, Path("draft.yaml"))
    error_lines = {e.line for e in failure.value.errors}
    listed = {u.line for u in items if u.blocking}
    assert listed and listed <= error_lines
    for item in items:
        assert f"baris {item.line}: {item.message}" in text.split("\n\n", 1)[0]
        assert MARK in text.splitlines()[item.line - 1] or not item.blocking


# --- definitions written out as Word / Excel and imported back ------------------------

DEFINITIONS = sorted(SOP_DATA.glob("*.yaml"))


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
@pytest.mark.parametrize("path", DEFINITIONS, ids=[p.stem for p in DEFINITIONS])
def test_definition_round_trips_through_office_layout(path: Path, fmt: str, tmp_path: Path) -> None:
    sop = load_file(path).definition
    document = tmp_path / f"{sop.id}.{fmt}"
    (write_docx if fmt == "docx" else write_xlsx)(sop, document)
    result = import_document(document)
    draft = result.draft

    assert result.blocking == []
    imported = parse_text(render_draft(result)[0], Path("draft.yaml"))  # valid as it stands
    assert [s.no for s in imported.steps] == [s.no for s in sop.steps]
    for mine, theirs in zip(imported.steps, sop.steps):
        assert mine.aktivitas == ws(theirs.aktivitas)
        assert (mine.kelengkapan, mine.output, mine.keterangan) == (
            theirs.kelengkapan and ws(theirs.kelengkapan), theirs.output and ws(theirs.output),
            theirs.keterangan and ws(theirs.keterangan))
        assert mine.minutes == theirs.minutes
        assert [imported.role_by_key[k].nama for k in mine.actor_keys] == [sop.role_by_key[k].nama for k in theirs.actor_keys]
        assert mine.decision is None  # the table has no place for decisions
    assert [r.nama for r in imported.roles] == [r.nama for r in sop.roles]
    assert imported.stated_total_minutes == sop.stated_total_minutes
    assert imported.nama == sop.nama
    assert imported.identitas.model_dump() == sop.identitas.model_dump()
    for key in ("dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan", "peringatan", "pencatatan"):
        assert getattr(imported, key) == getattr(sop, key), key
    supervisor = sop.role_by_key[sop.supervisor].nama
    if re.match(r"(?i)kasu?bb?ag", supervisor):
        assert imported.role_by_key[imported.supervisor].nama == supervisor
    assert ID_PATTERN.match(draft["id"])
    # a step whose activity names alternatives is flagged for a person to add the decision
    flagged = {u.step for u in result.unresolved if "alternatif" in u.message}
    assert flagged == {s.no for s in sop.steps if re.search(r"(?i)\b(jika|apabila)\b", s.aktivitas)}
    assert all(s.no in flagged for s in sop.steps if s.decision is not None and re.search(r"(?i)jika|apabila", s.aktivitas))


def test_symbol_numbers_order_a_chain_and_a_role_may_act_twice(tmp_path: Path) -> None:
    sop = SopDefinition.model_validate({
        "id": "uji-rantai", "nama": "Uji rantai", "identitas": {"instansi": "Dinas Uji"},
        "roles": [{"key": "staf", "nama": "Staf"}, {"key": "kasubag", "nama": "Kasubag Umum"},
                  {"key": "kepala", "nama": "Kepala Dinas"}],
        "supervisor": "kasubag",
        "steps": [
            {"no": 1, "aktivitas": "Menyusun", "actors": [{"role": "kepala"}, {"role": "staf"}], "waktu": "1 jam"},
            {"no": 2, "aktivitas": "Memaraf", "actors": [{"role": "staf"}, {"role": "kasubag"}, {"role": "staf"}],
             "waktu": ["10", "Menit"]},
        ],
    })
    for writer, ext in ((write_docx, "docx"), (write_xlsx, "xlsx")):
        document = tmp_path / f"rantai.{ext}"
        writer(sop, document)
        draft = import_document(document).draft
        assert chains(draft) == [[("Kepala Dinas", 1), ("Staf", 2)], [("Staf", 3), ("Kasubag Umum", 4), ("Staf", 5)]]
        assert draft["supervisor"] == "kasubag_umum"

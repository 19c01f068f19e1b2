"""`sop import`: SOP AP documents (text, Word, Excel) become draft definitions.

The seeds are the real documents the hand-written definitions in sop_data/ were
transcribed from, so importing them must reproduce those definitions' steps. Every
definition is also written out as Word and Excel in the SOP AP layout and imported back.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.sop.durations import parse_duration
from bot.sop.loader import SopFileError, load_file, parse_text
from bot.sop.model import SopDefinition
from bot.sop_import import (
    MARK,
    DraftExistsError,
    EmptyDocumentError,
    ImportError_,
    ImportResult,
    MissingColumnError,
    NoProcedureTableError,
    UnreadableDocumentError,
    UnsupportedFormatError,
    import_command,
    import_document,
    render_draft,
    write_draft,
)
from bot.sop_import.export_layout import write_docx, write_xlsx

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SOP_DATA = REPO / "sop_data"
SEED_000 = SEEDS / "000_7a09ff8db2d8aba8.txt"
SEED_001 = SEEDS / "001_7fca38addbe8baf1.txt"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,47}$")

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")


def ws(text: str | None) -> str:
    return " ".join((text or "").split())


def definition(name: str) -> SopDefinition:
    path = SOP_DATA / name
    if not path.is_file():
        pytest.skip(f"definition {path} not present yet")
    return load_file(path).definition


def marks_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith(MARK) else []
    if isinstance(value, dict):
        return [m for v in value.values() for m in marks_in(v)]
    if isinstance(value, list):
        return [m for v in value for m in marks_in(v)]
    return []


def resolve_marks(draft: dict[str, Any]) -> dict[str, Any]:
    """What a person does with a draft: replace every "??" with a real value."""
    data = copy.deepcopy(draft)
    renamed: dict[str, str] = {}
    for index, role in enumerate(data["roles"]):
        if str(role["key"]).startswith(MARK):
            renamed[role["key"]] = f"peran_{index + 1}"
            role["key"], role["nama"] = f"peran_{index + 1}", f"Peran {index + 1}"
    internal = [r["key"] for r in data["roles"] if not r.get("eksternal")] or [data["roles"][0]["key"]]
    if str(data["supervisor"]).startswith(MARK):
        data["supervisor"] = internal[0]
    for key in ("nama",):
        if str(data[key]).startswith(MARK):
            data[key] = "SOP"
    if str(data["identitas"]["instansi"]).startswith(MARK):
        data["identitas"]["instansi"] = "Instansi"
    signer = data["identitas"].get("disahkan_oleh") or {}
    if str(signer.get("nip", "")).startswith(MARK):
        del signer["nip"]
    if str(data.get("jumlah_waktu", "")).startswith(MARK):
        del data["jumlah_waktu"]
    highest = max([s["no"] for s in data["steps"] if isinstance(s["no"], int)], default=0)
    for step in data["steps"]:
        if str(step["no"]).startswith(MARK):
            highest += 1
            step["no"] = highest
        if str(step["waktu"]).startswith(MARK):
            step["waktu"] = "1 menit"
        if str(step["aktivitas"]).startswith(MARK):
            step["aktivitas"] = "Aktivitas"
        for actor in step["actors"]:
            if str(actor["role"]).startswith(MARK):
                actor["role"] = renamed.get(actor["role"], internal[0])
    assert marks_in(data) == []
    return data


def parse_resolved(result: ImportResult) -> SopDefinition:
    """Resolve the marks, render with the comment block and load it like `sop check` does."""
    fixed = ImportResult(result.source, resolve_marks(result.draft), [])
    text, _items = render_draft(fixed)
    return parse_text(text, Path(f"{result.sop_id}.yaml"))


def apply_koreksi(sop: SopDefinition, step_no: int, field: str, text: str) -> str:
    """The imported (paper) text with the definition's recorded corrections applied."""
    text = ws(text)
    for k in sop.koreksi:
        if k.step == step_no and k.field == field:
            text = text.replace(ws(k.asli), ws(k.menjadi))
    return text


def chains(draft: dict[str, Any]) -> list[list[tuple[str, int | None]]]:
    names = {r["key"]: r["nama"] for r in draft["roles"]}
    return [[(names[a["role"]], a.get("simbol")) for a in s["actors"]] for s in draft["steps"]]


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


# --- text tables: the odd cases ---------------------------------------------------------

HEADER = "No\tAktivitas\tPelaksana\t\t\tMutu Baku\t\t\tKet.\n\t\tStaf\t{third}\tKepala\tKelengkapan\tWaktu\tOutput\t\n"


def import_text(tmp_path: Path, body: str, third: str = "Kasubbag Umum", name: str = "uji.txt") -> ImportResult:
    path = tmp_path / name
    path.write_text("Instansi\tDinas Uji\nNama SOP\tUji\n\n" + HEADER.format(third=third) + body, encoding="utf-8")
    return import_document(path)


def test_text_marks_in_column_order_symbol_lists_and_split_time_to_the_right(tmp_path: Path) -> None:
    result = import_text(tmp_path, (
        "1\tMenyusun\tx\t\t√\tBerkas\t2\thari\tDraf\t\n"
        "2.\tMemaraf\t1, 3\t2\t\tDraf\t1 jam 30 menit\tParaf\tsegera\n"
        "\tdan mengirim\t\t\t\t\t\t\t\n"
        "Jumlah waktu\t\t\t\t\t\t2 hari 1 jam 30 menit\t\t\n"
    ))
    draft = result.draft
    assert chains(draft) == [[("Staf", None), ("Kepala", None)],
                             [("Staf", 1), ("Kasubbag Umum", 2), ("Staf", 3)]]
    assert [parse_duration(s["waktu"]) for s in draft["steps"]] == [960, 90]
    assert draft["steps"][0]["output"] == "Draf"  # the split pushed Output one column right
    assert draft["steps"][1]["aktivitas"] == "Memaraf dan mengirim"  # unnumbered row continues the step
    assert draft["steps"][1]["keterangan"] == "segera"
    assert draft["supervisor"] == "kasubbag_umum" and result.unresolved == []
    assert parse_resolved(result).stated_total_minutes == 1050


def test_text_every_unknown_is_marked_listed_and_fixable(tmp_path: Path) -> None:
    result = import_text(tmp_path, (
        "1\tMenyusun\t\t\t\tBerkas\t2 minggu\tDraf\t\n"
        "2\tMemeriksa\t1\t\t\tDraf\t\tDraf\t\n"
        "2\tMengirim\t\t3\t4\tDraf\t5 menit\tSurat\t\n"
        "3\tMenyimpan\t5\t\tDraf\t10\tMenit\tArsip\t\n"
        "4\tJika lengkap, apabila tidak kembali\t\t\t6\tArsip\t5 menit\tArsip\t\n"
    ), third="")
    text, items = render_draft(result)
    messages = [u.message for u in result.unresolved]
    assert any("tidak bernama" in m for m in messages)
    assert any("langkah 1: tidak ada tanda" in m for m in messages)
    assert any("langkah 1: waktu tidak dapat dibaca ('2 minggu')" in m for m in messages)
    assert any("langkah 2: waktu kosong" in m for m in messages)
    assert any("langkah 2 muncul dua kali" in m for m in messages)
    assert any("langkah 3: baris bergeser" in m for m in messages)
    assert any("tentukan supervisor" in m for m in messages)
    assert [u.step for u in result.unresolved if not u.blocking] == [4]  # the "Jika" note
    assert all(u.line for u in items)
    steps = result.draft["steps"]
    assert steps[0]["waktu"] == f"{MARK} 2 minggu" and steps[2]["no"] == f"{MARK} 2"
    assert result.draft["roles"][1]["key"] == f"{MARK} kolom 4"
    with pytest.raises(SopFileError):
        parse_text(text, Path("draft.yaml"))
    resolved = parse_resolved(result)
    assert [s.no for s in resolved.steps] == [1, 2, 5, 3, 4]
    assert resolved.steps[2].actor_keys == ["peran_2", "kepala"]  # the unnamed column, once named


def test_text_mixed_marks_keep_column_order_and_a_wrong_total_is_noted(tmp_path: Path) -> None:
    result = import_text(tmp_path, (
        "1\tMenyusun\t2\t\tx\tBerkas\t1 jam\tDraf\t\n"
        "Jumlah waktu\t\t\t\t\t\t2 jam\t\t\n"
    ))
    assert chains(result.draft) == [[("Staf", 2), ("Kepala", None)]]
    notes = [u.message for u in result.unresolved]
    assert len(notes) == 2 and not result.blocking
    assert "tanda campuran" in notes[0]
    assert notes[1] == "jumlah waktu dokumen (2 jam) berbeda dari jumlah waktu langkah (1 jam) — periksa waktu langkah"


def test_text_header_variants_and_repeated_header(tmp_path: Path) -> None:
    path = tmp_path / "varian.txt"
    path.write_text(
        "NAMA SOP : Uji Varian\nUnit Kerja\tSubbag Umum\nInstansi\tDinas Uji\nNo. SOP\t:\t12/2020\n"
        "NO.\tAKTIVITAS\tPELAKSANAAN\t\tMUTU  BAKU\t\t\tKETERANGAN\n"
        "\t\tKepala Sub Bagian Umum\tInspektorat\tPersyaratan/ kelengkapan\tWAKTU\tOUTPUT\t\n"
        "1\t2\t3\t4\t5\t6\t7\t8\n"
        "1\tMenyusun\t1\t\tBerkas\t1 hari\tDraf\t\n"
        "NO.\tAKTIVITAS\tPELAKSANAAN\t\tMUTU  BAKU\t\t\tKETERANGAN\n"
        "\t\tKepala Sub Bagian Umum\tInspektorat\tPersyaratan/ kelengkapan\tWAKTU\tOUTPUT\t\n"
        "2\tMemeriksa\t\t2\tDraf\t0,5 hari\tHasil\t\n",
        encoding="utf-8",
    )
    result = import_document(path)
    draft = result.draft
    assert draft["nama"] == "Uji Varian"
    assert draft["identitas"] == {"nomor": "12/2020", "instansi": "Dinas Uji", "unit": "Subbag Umum"}
    assert [s["no"] for s in draft["steps"]] == [1, 2]
    assert draft["roles"][1] == {"key": "inspektorat", "nama": "Inspektorat", "eksternal": True}
    assert draft["supervisor"] == "kepala_sub_bagian_umum"
    assert draft["steps"][0]["kelengkapan"] == "Berkas"
    assert result.unresolved == []


# --- broken documents -------------------------------------------------------------------


def _docx_with(tmp_path: Path, rows: list[list[str]] | None) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Catatan rapat tanpa tabel")
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    path = tmp_path / "dokumen.docx"
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("palsu.docx", b"ini bukan dokumen Word", UnreadableDocumentError),
        ("palsu.xlsx", b"PK\x03\x04 rusak", UnreadableDocumentError),
        ("kosong.txt", b"", EmptyDocumentError),
        ("kosong.docx", b"", EmptyDocumentError),
        ("kosong.xlsx", b"", EmptyDocumentError),
        ("spasi.txt", b"  \n\t\n", EmptyDocumentError),
        ("biner.txt", b"\x00\x01\x02binary", UnreadableDocumentError),
        ("sop.pdf", b"%PDF-1.4", UnsupportedFormatError),
        ("sop.doc", b"\xd0\xcf\x11\xe0", UnsupportedFormatError),
        ("tanpa_ekstensi", b"No\tAktivitas", UnsupportedFormatError),
        ("catatan.txt", "Rapat\tSelasa\nHadir\t5 orang\n".encode(), NoProcedureTableError),
        ("tanpa_aktivitas.txt", "No\tUraian\tPelaksana\tWaktu\n1\tx\t1\t5 menit\n".encode(), MissingColumnError),
        ("tanpa_langkah.txt", "No\tAktivitas\tStaf\tWaktu\n".encode(), NoProcedureTableError),
    ],
)
def test_broken_documents_give_a_clear_error_naming_the_file(
    tmp_path: Path, name: str, content: bytes, error: type[ImportError_]
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error) as failure:
        import_document(path)
    assert str(failure.value).startswith(f"{name}: ")


def test_docx_without_procedure_table_or_aktivitas_column(tmp_path: Path) -> None:
    with pytest.raises(NoProcedureTableError, match="dokumen.docx: tabel prosedur tidak ditemukan"):
        import_document(_docx_with(tmp_path, None))
    rows = [["No", "Uraian", "Pelaksana", "Waktu"], ["1", "Menyusun", "1", "5 menit"]]
    with pytest.raises(MissingColumnError, match="dokumen.docx: .*Aktivitas"):
        import_document(_docx_with(tmp_path, rows))


def test_missing_file_and_command_errors_are_messages_not_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UnreadableDocumentError, match="tidak_ada.docx: berkas tidak ditemukan"):
        import_document(tmp_path / "tidak_ada.docx")
    (tmp_path / "sop.pdf").write_bytes(b"%PDF")
    assert import_command(tmp_path / "sop.pdf", None, False) == 1
    err = capsys.readouterr().err
    assert "sop.pdf: format .pdf tidak didukung" in err and "Traceback" not in err


# --- writing the draft --------------------------------------------------------------------


@needs_seeds
def test_import_command_writes_default_path_and_never_overwrites_without_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert import_command(SEED_000, None, False) == 0
    out = tmp_path / "sop_data" / "mekanisme-forum-skpd-bkpsdm-tangerang.yaml"
    text = out.read_text(encoding="utf-8")
    printed = capsys.readouterr().out
    assert printed.rstrip().splitlines()[-1] == "Tidak ada isian yang tertinggal."
    assert "langkah 10 muncul dua kali berturut-turut (baris ke-11 tabel); yang kedua dinomori 11" in printed
    line = int(re.search(r"\.yaml:(\d+): langkah 10 muncul", printed).group(1))
    assert text.splitlines()[line - 1].strip() == "- no: 11"
    assert MARK not in text
    assert yaml.safe_load(text)["id"] == "mekanisme-forum-skpd-bkpsdm-tangerang"

    out.write_text("# tulisan tangan\n", encoding="utf-8")
    assert import_command(SEED_000, None, False) == 1
    assert "--force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "# tulisan tangan\n"
    assert import_command(SEED_000, None, True) == 0
    assert out.read_text(encoding="utf-8") == text


def test_write_draft_refuses_existing_file(tmp_path: Path) -> None:
    result = import_text(tmp_path, "1\tMenyusun\t1\t\t\tBerkas\t1 hari\tDraf\t\n")
    target = tmp_path / "keluar" / "uji.yaml"
    write_draft(result, target, force=False)
    with pytest.raises(DraftExistsError, match="uji.yaml: berkas sudah ada"):
        write_draft(result, target, force=False)
    write_draft(result, target, force=True)
    assert parse_text(target.read_text(encoding="utf-8"), target).steps[0].actor_keys == ["staf"]
    write_draft(result, target.parent, force=False)  # a folder gets <id>.yaml
    assert (target.parent / f"{result.sop_id}.yaml").is_file()


def test_excel_values_come_back_as_written() -> None:
    from datetime import date, datetime

    from bot.sop_import.xlsx_reader import cell_text

    assert cell_text(10.0) == "10"
    assert cell_text(0.5) == "0,5"
    assert cell_text(datetime(2017, 12, 26)) == "26 Desember 2017"
    assert cell_text(date(2018, 9, 1)) == "1 September 2018"
    assert cell_text(None) == ""


def test_docx_auto_numbered_no_column_and_check_marks(tmp_path: Path) -> None:
    """Word's list numbering stores no text; the steps must still get their numbers."""
    import docx

    document = docx.Document()
    document.add_paragraph("Instansi: Dinas Uji")
    document.add_paragraph("Nama SOP: Penomoran Otomatis")
    table = document.add_table(rows=4, cols=6)
    for c, text in enumerate(["No", "Aktivitas", "Kasubag Umum", "Staf", "Waktu", "Output"]):
        table.cell(0, c).text = text
    for r, (akt, marks) in enumerate((("Menyusun", ("", "√")), ("Memeriksa", ("√", "")), ("Mengirim", ("", "x"))), 1):
        table.cell(r, 0).paragraphs[0].style = document.styles["List Number"]
        table.cell(r, 1).text = akt
        table.cell(r, 2).text, table.cell(r, 3).text = marks
        table.cell(r, 4).text = "15 menit"
    path = tmp_path / "otomatis.docx"
    document.save(str(path))
    result = import_document(path)
    assert result.unresolved == []
    assert result.draft["nama"] == "Penomoran Otomatis" and result.draft["identitas"]["instansi"] == "Dinas Uji"
    assert [s["no"] for s in result.draft["steps"]] == [1, 2, 3]
    assert chains(result.draft) == [[("Staf", None)], [("Kasubag Umum", None)], [("Staf", None)]]
    assert parse_resolved(result).total_minutes == 45

"""`sop import` of hand-made tables: odd text layouts, broken documents, writing drafts."""

from __future__ import annotations

from pathlib import Path
import re

import pytest
import yaml

from sop_import_helpers import (
    chains,
    DraftExistsError,
    EmptyDocumentError,
    import_command,
    import_document,
    ImportError_,
    ImportResult,
    MARK,
    MissingColumnError,
    needs_seeds,
    NoProcedureTableError,
    parse_duration,
    parse_resolved,
    parse_text,
    render_draft,
    SEED_000,
    SopFileError,
    UnreadableDocumentError,
    UnsupportedFormatError,
    write_draft,
)

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
        "1\tMenyusun\t\t\t\tBerkas\t2 windu\tDraf\t\n"
        "2\tMemeriksa\t1\t\t\tDraf\t\tDraf\t\n"
        "2\tMengirim\t\t3\t4\tDraf\t5 menit\tSurat\t\n"
        "3\tMenyimpan\t5\t\tDraf\t10\tMenit\tArsip\t\n"
        "4\tJika lengkap, apabila tidak kembali\t\t\t6\tArsip\t5 menit\tArsip\t\n"
    ), third="")
    text, items = render_draft(result)
    messages = [u.message for u in result.unresolved]
    assert any("tidak bernama" in m for m in messages)
    assert any("langkah 1: tidak ada tanda" in m for m in messages)
    assert any("langkah 1: waktu tidak dapat dibaca ('2 windu')" in m for m in messages)
    assert any("langkah 2: waktu kosong" in m for m in messages)
    assert any("langkah 2 muncul dua kali" in m for m in messages)
    assert any("langkah 3: baris bergeser" in m for m in messages)
    assert any("tentukan supervisor" in m for m in messages)
    assert [u.step for u in result.unresolved if not u.blocking] == [4]  # the "Jika" note
    assert all(u.line for u in items)
    steps = result.draft["steps"]
    assert steps[0]["waktu"] == f"{MARK} 2 windu" and steps[2]["no"] == f"{MARK} 2"
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
        ("sop.pdf", b"%PDF-1.4", UnreadableDocumentError),
        ("sop.doc", b"\xd0\xcf\x11\xe0", UnsupportedFormatError),
        ("tanpa_ekstensi", b"No\tAktivitas", UnsupportedFormatError),
        ("catatan.txt", "Rapat\tSelasa\nHadir\t5 orang\n".encode(), NoProcedureTableError),
        ("tanpa_aktivitas.txt", "No\tJudul\tPelaksana\tWaktu\n1\tx\t1\t5 menit\n".encode(), MissingColumnError),
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
    rows = [["No", "Judul", "Pelaksana", "Waktu"], ["1", "Menyusun", "1", "5 menit"]]
    with pytest.raises(MissingColumnError, match="dokumen.docx: .*Aktivitas"):
        import_document(_docx_with(tmp_path, rows))


def test_missing_file_and_command_errors_are_messages_not_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UnreadableDocumentError, match="tidak_ada.docx: berkas tidak ditemukan"):
        import_document(tmp_path / "tidak_ada.docx")
    (tmp_path / "sop.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert import_command(tmp_path / "sop.doc", None, False) == 1
    err = capsys.readouterr().err
    assert "sop.doc: format .doc tidak didukung" in err and "Traceback" not in err
    (tmp_path / "rusak.pdf").write_bytes(b"%PDF")
    assert import_command(tmp_path / "rusak.pdf", None, False) == 1
    assert "rusak.pdf: PDF tidak dapat dibaca" in capsys.readouterr().err


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

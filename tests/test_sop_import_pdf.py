"""`sop import` of PDFs: generated layouts (always) and the public corpus (when present)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.domain.durations import NoStandardTimeError, parse_duration, read_duration
from bot.sop_import import import_command, import_document
from bot.sop_import.common import NoProcedureTableError
from bot.sop_import.corpus import measure
from corpus_facts import FACTS, KNOWN_MISSES
from pdf_fixtures import write_bound_pdf, write_prose_pdf, write_sop_pdf

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def test_generated_pdf_reads_chain_decision_back_arrow_and_headerless_continuation(tmp_path: Path) -> None:
    result = import_document(write_sop_pdf(tmp_path / "uji.pdf"))
    draft = result.draft
    assert [r["nama"] for r in draft["roles"]] == ["Kepala Sub Bagian Umum", "Staf Pelaksana", "Pihak Ketiga"]
    assert [s["no"] for s in draft["steps"]] == [1, 2, 3, 4, 5]  # the column-number row is skipped
    chains = [[a["role"] for a in s["actors"]] for s in draft["steps"]]
    assert chains == [["kepala_sub_bagian_umum"], ["kepala_sub_bagian_umum", "staf_pelaksana"],
                      ["staf_pelaksana"], ["staf_pelaksana"], ["pihak_ketiga"]]  # page 3 has no header
    outcomes = {o["key"]: o for o in draft["steps"][2]["decision"]["outcomes"]}
    assert outcomes["tidak"] == {"key": "tidak", "label": "Tidak", "goto": 1, "alasan_wajib": True}
    assert outcomes["ya"] == {"key": "ya", "label": "Ya"}  # the next step: no goto
    assert [s["waktu"] for s in draft["steps"]] == ["10 Menit", "2 Minggu", "1 x 24 jam", "1 - 2 hari kerja",
                                                    "Sesuai jadwal"]
    assert draft["identitas"]["nomor"] == "SOP-7/UJI/2026" and draft["nama"] == "Uji Impor Surat"
    assert "3 halaman" in draft["sumber"]["catatan"][0] and "pdfplumber" in draft["sumber"]["catatan"][1]
    assert result.blocking == []


def test_generated_pdf_draft_passes_sop_check(tmp_path: Path) -> None:
    out = tmp_path / "sop" / "uji.yaml"
    assert import_command(write_sop_pdf(tmp_path / "uji.pdf"), out, False) == 0
    from bot.sop.loader import load_file

    sop = load_file(out).definition
    assert sop.step_by_no[5].has_standard_time is False and sop.step_by_no[5].minutes == 0
    assert sop.step_by_no[2].minutes == 2 * 5 * 480


def test_prose_pdf_is_refused_with_what_was_found_and_no_file(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    pdf = write_prose_pdf(tmp_path / "peraturan.pdf")
    with pytest.raises(NoProcedureTableError, match="bukan SOP AP"):
        import_document(pdf)
    out = tmp_path / "draft.yaml"
    assert import_command(pdf, out, False) == 1
    assert "peraturan.pdf: PDF ini berisi teks (1 halaman" in capsys.readouterr().err and not out.exists()


def test_scan_without_tesseract_names_the_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    import bot.sop_import.ocr_reader as ocr

    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)  # Tesseract is installed here; pretend not
    image = tmp_path / "pindai.png"
    Image.new("RGB", (200, 100), "white").save(image)
    assert import_command(image, tmp_path / "d.yaml", False) == 1
    assert "apt-get install tesseract-ocr tesseract-ocr-ind" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "minutes", "low"), [
    ("1 Hari Kerja", 480, None), ("2 Minggu", 4800, None), ("3 Bulan", 28800, None), ("1 Semester", 57600, None),
    ("1 x 24 jam", 480, None), ("2-3 hari", 1440, 960), ("1 - 5 hari Kerja", 2400, 480),
    ("Paling lambat 17 hari kerja", 8160, None), ("7 hr 5 Menit", 3365, None),
])
def test_published_duration_forms(text: str, minutes: int, low: int | None) -> None:
    assert parse_duration(text) == minutes
    assert read_duration(text).minutes == minutes and read_duration(text).low == low


@pytest.mark.parametrize("text", ["Setiap Saat", "Sesuai jadwal", "sesuai kebutuhan"])
def test_no_standard_time_phrases(text: str) -> None:
    assert read_duration(text).minutes is None
    with pytest.raises(NoStandardTimeError):
        parse_duration(text)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus folder ../shared/corpus absent")
@pytest.mark.parametrize("name", sorted(FACTS))
def test_corpus_text_pdf_matches_the_hand_checked_facts(name: str, request: pytest.FixtureRequest) -> None:
    if name in KNOWN_MISSES:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_MISSES[name], strict=True))
    facts = FACTS[name]
    figures = measure(CORPUS / name)
    assert figures.crashed is None and figures.refused is None
    assert figures.step_numbers == facts["numbers"]
    assert tuple(" ".join(r.split()) for r in figures.role_names) == facts["roles"]
    assert figures.minutes == facts["minutes"]
    if "chains" in facts:
        assert tuple(tuple(" ".join(n.split()) for n in c) for c in figures.chains) == facts["chains"]
    if "gotos" in facts:
        assert figures.gotos == facts["gotos"]


def test_a_pdf_binding_two_sops_writes_one_draft_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = write_bound_pdf(tmp_path / "jilid.pdf", ["Uji Impor Surat", "Uji Arsip Dinas"])
    out = tmp_path / "sop"
    out.mkdir()
    assert import_command(pdf, out, False) == 0
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 2 and "memuat 2 SOP" in capsys.readouterr().out
    from bot.sop.loader import load_file

    sops = [load_file(out / name).definition for name in written]
    assert sorted(s.nama for s in sops) == ["Uji Arsip Dinas", "Uji Impor Surat"]
    assert all([s.no for s in sop.steps] == [1, 2, 3, 4, 5] for sop in sops)
    assert sorted(sop.sumber.catatan[0].split("(")[1].split(")")[0] for sop in sops if sop.sumber) == [
        "3 halaman, halaman 1–3 dari 6", "3 halaman, halaman 4–6 dari 6"]
    assert import_command(pdf, out, False) == 1  # nothing overwritten without --force


needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="Tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-ind)")


@needs_tesseract
def test_a_scanned_page_gives_an_ocr_draft_with_its_steps_in_order(tmp_path: Path) -> None:
    import pdfplumber

    pdf = write_sop_pdf(tmp_path / "asli.pdf")
    with pdfplumber.open(pdf) as doc:  # the step table page, as a photo would have it: pixels only
        doc.pages[1].to_image(resolution=250).original.convert("RGB").save(tmp_path / "pindai.png")
    result = import_document(tmp_path / "pindai.png")
    steps = result.draft["steps"]
    assert [s["no"] for s in steps] == [1, 2, 3, 4]
    assert [s["waktu"] for s in steps][:2] == ["10 Menit", "2 Minggu"]
    assert all(a["role"] == "??" for s in steps for a in s["actors"])  # symbols are not read from pixels
    names = [r["nama"] for r in result.draft["roles"]]  # OCR may misread a letter ("Stat" for "Staf")
    assert len(names) == 3 and names[0] == "Kepala Sub Bagian Umum" and names[2] == "Pihak Ketiga"
    assert "Tesseract" in result.draft["sumber"]["catatan"][1]


SCANS = {"scan-kalbar-02.pdf": (3, 3), "scan-kalbar-03.pdf": (6, 4), "opensop-13.pdf": (8, 4)}  # steps, roles on the page


@needs_tesseract
@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus folder ../shared/corpus absent")
@pytest.mark.parametrize("name", sorted(SCANS))
def test_corpus_scans_give_drafts_with_their_steps_in_order(name: str) -> None:
    figures = measure(CORPUS / name)
    assert figures.crashed is None and figures.refused is None
    steps, roles = SCANS[name]
    assert figures.steps == steps and figures.roles == roles
    read = [n for n in figures.step_numbers if isinstance(n, int)]
    assert read == sorted(read) and len(read) >= steps - 1


@needs_tesseract
@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus folder ../shared/corpus absent")
def test_a_scanned_prose_sop_is_refused_with_what_was_missing() -> None:
    figures = measure(CORPUS / "scan-kalbar-01.pdf")  # "Prosedur Peringatan Dini dan Evakuasi": prose lists
    assert figures.refused is not None and "tidak memuat tabel langkah" in figures.refused


def test_the_importer_is_pure_and_its_modules_small() -> None:
    """No Telegram, no database in the importer (issue 14's layering); every file under 300 lines."""
    import ast

    root = Path(__file__).resolve().parents[1] / "bot" / "sop_import"
    for path in sorted(root.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert len(source.splitlines()) < 300, f"{path.name} is too long"
        names = {alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import)
                 for alias in node.names}
        names |= {node.module for node in ast.walk(ast.parse(source))
                  if isinstance(node, ast.ImportFrom) and node.module}
        assert not {n.split(".")[0] for n in names} & {"telegram", "handlers", "sqlalchemy", "sqlmodel", "storage"}, path


def test_a_text_table_with_a_no_standard_time_step_and_a_total_imports(tmp_path: Path) -> None:
    path = tmp_path / "sop.txt"
    path.write_text("Instansi\tDinas Uji\nNama SOP\tUji\n\nNo\tAktivitas\tKasubag Umum\tWaktu\n"
                    "1\tMenyusun\t1\t2 hari\n2\tMenunggu rapat\t2\tSesuai jadwal\n"
                    "Jumlah waktu\t\t\t2 hari\n", encoding="utf-8")
    result = import_document(path)
    assert [s["waktu"] for s in result.draft["steps"]] == ["2 hari", "Sesuai jadwal"]
    assert result.blocking == [] and not any("jumlah waktu" in u.message for u in result.unresolved)

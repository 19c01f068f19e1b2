"""`sop import --lang en`: every line the command prints is English and names its field in words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from catalog_fixtures import marked_docx

from bot.cli import main
from bot.sop_import import import_command

#: Words only the importer's Indonesian sentences use (the format's own keys excepted).
INDONESIAN = re.compile(r"\b(langkah|tidak|isi|tulis|peran|kolom|ditulis|belum|ganti|jalankan|catatan|berkas|"
                        r"ditemukan|waktu|kosong|nama instansi|pengesah)\b", re.IGNORECASE)
TEXT = ("Nama SOP\tUji\n\n"
        "No\tAktivitas\tPelaksana\t\t\tMutu Baku\t\t\tKet.\n\t\tStaf\t\tKepala\tKelengkapan\tWaktu\tOutput\t\n"
        "1\tMenyusun jika perlu\tx\t\t\tBerkas\tsecepatnya\tDraf\t\n"
        "2\tMemaraf\t\tx\t\tDraf\t1 jam\tParaf\t\n"
        "3\t\t\t\t\tDraf\t1 jam\tParaf\t\n")


def findings(printed: str) -> list[str]:
    return [line.split(": ", 1)[1] for line in printed.splitlines() if re.match(r"\s+\S+\.yaml:\d+: ", line)]


def test_an_english_import_lists_every_finding_in_english_with_its_field(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "uji.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert import_command(source, tmp_path / "out.yaml", False, lang="en") == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Draft written: ") and "Not finished (" in printed and "Notes (1):" in printed
    listed = findings(printed)
    assert "step 1 › standard time: empty or unreadable — write e.g. \"2 days\" or \"30 minutes\"" in listed
    assert "step 3 › activity: empty — write the activity" in listed
    assert "identity block › agency: agency name not found — fill in identitas.instansi" in listed
    assert any(line.startswith("role #2 › key: a Pelaksana column without a name") for line in listed)
    assert not INDONESIAN.search(printed), printed


def test_indonesian_stays_the_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "uji.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert import_command(source, tmp_path / "out.yaml", False) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Draf ditulis: ") and "langkah 1: waktu tidak dapat dibaca ('secepatnya')" in printed


def test_the_cli_takes_lang_for_a_word_file_and_for_a_refusal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    word = tmp_path / "SOP Renja.docx"
    word.write_bytes(marked_docx(tmp_path))
    assert main(["sop", "import", str(word), "--out", str(tmp_path / "renja.yaml"), "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "step 2 › actor #1 › role: no actor could be read" in printed
    assert "supervisor (receives overdue alerts): no Kasubag role found" in printed
    assert not INDONESIAN.search(printed), printed
    (tmp_path / "notes.txt").write_text("rapat jam 2\nmakan siang\n", encoding="utf-8")
    assert main(["sop", "import", str(tmp_path / "notes.txt"), "--lang", "en", "--out", str(tmp_path / "x.yaml")]) == 1
    assert capsys.readouterr().err.strip() == "sop import: notes.txt: no procedure table found (a header row with No, " \
                                              "Aktivitas, Pelaksana, Mutu Baku and numbered steps)"
    assert main(["sop", "import", str(word), "--out", str(tmp_path / "renja.yaml"), "--lang", "en"]) == 1
    assert "the file already exists; use --force" in capsys.readouterr().err



#: Step 2 written twice: the importer renumbers the second and leaves a note (not a blocker).
REPEATED = ("Nama SOP\tUji\n\n"
            "No\tAktivitas\tPelaksana\t\t\tMutu Baku\t\t\tKet.\n\t\tStaf\t\tKepala\tKelengkapan\tWaktu\tOutput\t\n"
            "1\tMenyusun\tx\t\t\tBerkas\t1 jam\tDraf\t\n"
            "2\tMemaraf\t\tx\t\tDraf\t1 jam\tParaf\t\n"
            "2\tMengirim\t\tx\t\tDraf\t1 jam\tParaf\t\n")


def test_an_upload_from_an_english_chat_keeps_its_notes_in_english() -> None:
    """The catalogue upload stores the importer's notes for the review: in the chat's language."""
    from bot.catalog.upload import import_bytes

    data = REPEATED.encode()
    english = import_bytes("uji.txt", data, "en").notes
    indonesian = import_bytes("uji.txt", data).notes
    assert english == ["step 3 › step number: repeated, so the second was renumbered and recorded under `koreksi` "
                       "— check it"]
    assert not INDONESIAN.search(" ".join(english)), english
    assert len(indonesian) == 1 and indonesian[0].startswith("langkah 2 muncul dua kali")

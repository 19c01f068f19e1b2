"""Loading and validating SOP files: every kind of broken file gets an error naming file, step, field and line."""

from __future__ import annotations

import copy
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.sop.loader import SopFileError, load_directory, load_file, parse_text

BASE: dict[str, Any] = {
    "id": "contoh-sop",
    "nama": "Contoh",
    "identitas": {"instansi": "Bappeda Contoh"},
    "roles": [
        {"key": "kasubag", "nama": "Kasubag"},
        {"key": "kepala", "nama": "Kepala Badan"},
        {"key": "forum", "nama": "Forum SKPD", "eksternal": True},
    ],
    "supervisor": "kasubag",
    "steps": [
        {"no": 1, "aktivitas": "Menyusun konsep", "actors": [{"role": "kasubag"}], "waktu": "1 hari"},
        {"no": 2, "aktivitas": "Membahas di forum", "actors": [{"role": "forum"}], "waktu": ["30", "menit"]},
        {
            "no": 3,
            "aktivitas": "Menelaah",
            "actors": [{"role": "kepala"}],
            "waktu": "10 menit",
            "decision": {
                "pertanyaan": "Sempurna?",
                "outcomes": [
                    {"key": "setuju", "label": "Ya"},
                    {"key": "kembali", "label": "Tidak", "goto": 1, "alasan_wajib": True},
                ],
            },
        },
    ],
    "jumlah_waktu": "1 hari 40 menit",
}


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def errors_of(data: dict[str, Any] | str, tmp_path: Path) -> list[str]:
    path = tmp_path / "x.yaml"
    path.write_text(data if isinstance(data, str) else dump(data), encoding="utf-8")
    with pytest.raises(SopFileError) as info:
        load_file(path)
    return [str(e) for e in info.value.errors]


def mutate(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def test_valid_file_loads_with_step_keys_named_no(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(dump(BASE), encoding="utf-8")
    loaded = load_file(path)
    assert [s.no for s in loaded.definition.steps] == [1, 2, 3]
    assert loaded.definition.total_minutes == 480 + 30 + 10
    assert loaded.warnings == ()


def test_malformed_yaml_reports_the_line(tmp_path: Path) -> None:
    (message,) = errors_of("id: a\nnama: [tidak ditutup\nsteps: 1\n", tmp_path)
    assert "x.yaml:" in message and "YAML rusak" in message
    assert ":3:" in message or ":2:" in message


def test_a_key_written_twice_is_an_error(tmp_path: Path) -> None:
    text = dump(BASE).replace("nama: Contoh\n", "nama: Contoh\nnama: Lagi\n", 1)
    (message,) = errors_of(text, tmp_path)
    assert "kunci ganda 'nama'" in message and "x.yaml:3" in message


def test_unknown_role_in_a_step_names_step_field_and_line(tmp_path: Path) -> None:
    data = mutate()
    data["steps"][1]["actors"] = [{"role": "kabag"}]
    (message,) = errors_of(data, tmp_path)
    assert "langkah 2" in message and "pelaksana ke-1 › peran (actors[0].role)" in message and "'kabag'" in message
    line = int(message.split(":")[1])
    assert "kabag" in dump(data).splitlines()[line - 1]


def test_duplicate_step_numbers_are_an_error(tmp_path: Path) -> None:
    data = mutate()
    data["steps"][1]["no"] = 1
    (message,) = errors_of(data, tmp_path)
    assert "langkah 1" in message and "nomor langkah (no): nomor langkah ganda" in message


def test_decision_pointing_at_a_missing_step_is_an_error(tmp_path: Path) -> None:
    data = mutate()
    data["steps"][2]["decision"]["outcomes"][1]["goto"] = 9
    (message,) = errors_of(data, tmp_path)
    assert "langkah 3" in message and "decision.outcomes[1].goto" in message and "langkah 9" in message


def test_step_with_no_actor_is_an_error(tmp_path: Path) -> None:
    data = mutate()
    data["steps"][0]["actors"] = []
    (message,) = errors_of(data, tmp_path)
    assert "langkah 1: pelaksana (actors): harus berisi paling sedikit 1 butir" in message


def test_unparseable_waktu_is_an_error(tmp_path: Path) -> None:
    data = mutate()
    data["steps"][0]["waktu"] = "dua hari"
    (message,) = errors_of(data, tmp_path)
    assert "langkah 1" in message and "waktu (mutu baku) (waktu): waktu tidak dapat dibaca" in message and "dua hari" in message


def test_cycle_with_no_way_out_is_an_error(tmp_path: Path) -> None:
    data = mutate()
    data["steps"][2]["decision"]["outcomes"][0]["goto"] = 2
    (message,) = errors_of(data, tmp_path)
    assert "siklus tanpa jalan keluar" in message


def test_missing_supervisor_is_an_error(tmp_path: Path) -> None:
    data = mutate()
    del data["supervisor"]
    (message,) = errors_of(data, tmp_path)
    assert "supervisor (penerima peringatan keterlambatan) (supervisor): wajib diisi" in message


def test_supervisor_must_be_a_declared_internal_role(tmp_path: Path) -> None:
    assert "bukan peran yang terdaftar" in errors_of(mutate(supervisor="kabag"), tmp_path)[0]
    assert "pihak eksternal" in errors_of(mutate(supervisor="forum"), tmp_path)[0]


def test_unknown_field_is_an_error_so_typos_do_not_vanish(tmp_path: Path) -> None:
    data = mutate()
    data["steps"][0]["aktifitas"] = "salah ketik"
    (message,) = errors_of(data, tmp_path)
    assert "langkah 1: aktifitas: kolom 'aktifitas' tidak dikenal (maksudnya 'aktivitas'?)" in message


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    data = mutate()
    data["steps"][0]["actors"] = [{"role": "a"}]
    data["steps"][1]["actors"] = [{"role": "b"}]
    assert len(errors_of(data, tmp_path)) == 2


def test_stated_total_mismatch_is_a_warning_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(dump(mutate(jumlah_waktu="2 hari")), encoding="utf-8")
    (warning,) = load_file(path).warnings
    assert "960" in warning and "520" in warning


def test_bad_file_is_skipped_loudly_and_the_others_stay_available(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "a.yaml").write_text(dump(BASE), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: [", encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        result = load_directory(tmp_path)
    assert list(result.sops) == ["contoh-sop"]
    assert len(result.errors) == 1 and "b.yaml" in str(result.errors[0])
    assert "b.yaml" in caplog.text


def test_two_files_with_one_id_keep_the_first(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(dump(BASE), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(dump(BASE), encoding="utf-8")
    result = load_directory(tmp_path)
    assert result.sops["contoh-sop"].path.name == "a.yaml"
    assert "sudah dipakai" in str(result.errors[0]) and "b.yaml:1" in str(result.errors[0])


def test_non_mapping_file_is_an_error(tmp_path: Path) -> None:
    (message,) = errors_of("- satu\n- dua\n", tmp_path)
    assert "mapping" in message


def test_parse_text_accepts_yes_no_words_as_text_not_booleans() -> None:
    data = mutate()
    data["steps"][0]["keterangan"] = "no"
    sop = parse_text(dump(data).replace("keterangan: 'no'", "keterangan: no"), Path("t.yaml"))
    assert sop.steps[0].keterangan == "no"


def test_messages_name_the_field_in_words_in_english_too(tmp_path: Path) -> None:
    data = mutate()
    data["steps"][1]["actors"] = [{"role": "kabag"}]
    data["roles"][0]["key"] = "?? isi kunci"
    path = tmp_path / "x.yaml"
    path.write_text(dump(data), encoding="utf-8")
    with pytest.raises(SopFileError) as caught:
        load_file(path, lang="en")
    (message,) = [str(e) for e in caught.value.errors]
    assert "role #1 › key (roles[0].key): is written in lowercase letters, digits or underscores" in message
    assert "found: '?? isi kunci'" in message and "should match" not in message
    with pytest.raises(SopFileError) as caught:
        load_file(path)
    assert "peran ke-1 › kunci (roles[0].key): ditulis huruf kecil" in str(caught.value.errors[0])


@pytest.mark.parametrize(
    ("change", "english", "indonesian"),
    [
        ({"supervisor": None}, "must be text; found: None", "harus berupa teks; tertulis: None"),
        ({"id": "Renja Kantor"}, "SOP id (id): is written in lowercase letters, digits and dashes",
         "ID SOP (id): ditulis huruf kecil, angka dan tanda hubung"),
        ({"steps": []}, "step (steps): needs at least 1 items", "langkah (steps): harus berisi paling sedikit 1 butir"),
    ],
)
def test_no_raw_pydantic_english_reaches_the_person(tmp_path: Path, change: dict, english: str, indonesian: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(dump(mutate(**change)), encoding="utf-8")
    for lang, expected in (("en", english), ("id", indonesian)):
        with pytest.raises(SopFileError) as caught:
            load_file(path, lang=lang)
        text = "\n".join(str(e) for e in caught.value.errors)
        assert expected in text, text
        for raw in ("Input should", "String should", "Field required", "List should"):
            assert raw not in text

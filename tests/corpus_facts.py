"""What the corpus documents (../shared/corpus, public SOP AP PDFs) really say.

Hand-checked on the pages rendered with pdftoppm: step numbers as printed (opensop-02
skips 3, opensop-09 skips 7), the role column names, and each step's Waktu in working
minutes (None: a "no standard time" phrase such as "Sesuai kebutuhan"; "??": not a
duration at all, which the draft must leave marked). `chains` are the role names of each
step's drawn symbols in flow order, listed only where every symbol could be checked by
eye; `gotos` are the decision outcomes that jump (step, label, target).
These are facts about the public documents, not copies of them.
"""

from __future__ import annotations

from typing import Any

H = 480  # one hari kerja in working minutes
MARK = "??"

FACTS: dict[str, dict[str, Any]] = {
    "opensop-01.pdf": {
        "numbers": (1, 2, 3, 4, 5),
        "roles": ("Kurir external", "SATPAM Piket", "Pegawai Pengelola Surat / Sekretaris"),
        "minutes": (3, 2, 2, 10, 10),
        "chains": (("Kurir external",), ("SATPAM Piket",), ("SATPAM Piket",), ("SATPAM Piket",),
                   ("Pegawai Pengelola Surat / Sekretaris",)),
        "gotos": ((2, "Tidak", 1),),
    },
    "opensop-02.pdf": {
        "numbers": (1, 2, 4, 5, 6),
        "roles": ("Tim Kerja Statistik Sosial", "KPA", "PPK", "Tim Bagian Umum"),
        "minutes": (180, 3 * H, 20 * H, H, 3 * H),
        "chains": (("Tim Kerja Statistik Sosial",), ("KPA",), ("PPK",), ("Tim Kerja Statistik Sosial",),
                   ("Tim Bagian Umum",)),
        "gotos": ((2, "T", 1), (5, "T", 4)),
    },
    "opensop-03.pdf": {
        "numbers": (1, 2, 3),
        "roles": ("Ketua Tim Metodologi dan Analisis Statistik", "Ketua Project Analisis Lintas Sektor", "Anggota"),
        "minutes": (H, 3 * H, 3 * H),
        "chains": (("Ketua Tim Metodologi dan Analisis Statistik", "Ketua Project Analisis Lintas Sektor"),
                   ("Ketua Project Analisis Lintas Sektor",), ("Ketua Project Analisis Lintas Sektor", "Anggota")),
        "gotos": (),
    },
    "opensop-04.pdf": {
        "numbers": (1, 2, 3, 4, 5),
        "roles": ("Ketua Tim Kerja Statistik Sosial", "Tim Penyusunan", "Kepala BPS Provinsi", "Tim DLS"),
        "minutes": (60, 40 * H, 5 * H, 3 * H, 60),
        "chains": (("Ketua Tim Kerja Statistik Sosial",), ("Tim Penyusunan",), ("Kepala BPS Provinsi",), ("Tim DLS",),
                   ("Tim DLS",)),
        "gotos": ((3, "T", 2), (4, "T", 2)),
    },
    "opensop-05.pdf": {  # flowchart pasted as a picture; no rule between the first two role columns
        "numbers": tuple(range(1, 13)),
        "roles": ("Subject Matter", "Tim Layanan Gudang/Bagian Umum/ Subbagian Umum",
                  "Tim Laporan Persediaan (Operator)", "Tim Laporan Persediaan (Approver )"),
        "minutes": (5, 5, 5, 15, 5, 10, 30, 30, 10, 10, 5, 5),
    },
    "opensop-06.pdf": {
        "numbers": tuple(range(1, 9)),
        "roles": ("Kepala BPS Provinsi", "Kepala Bagian Umum", "Tim perencanaan, Penganggaran dan Evaluasi"),
        "minutes": (H,) * 8,
        "chains": (("Kepala BPS Provinsi", "Kepala Bagian Umum", "Tim perencanaan, Penganggaran dan Evaluasi"),
                   *(("Tim perencanaan, Penganggaran dan Evaluasi",),) * 6,
                   ("Kepala Bagian Umum", "Kepala BPS Provinsi")),
        "gotos": ((4, "Tidak butuh perbaikan", 6),),
    },
    "opensop-07.pdf": {
        "numbers": tuple(range(1, 13)),
        "roles": ("Ketua Tim Kerja", "Tim Perencanaan, Penganggaran dan Evaluasi", "PPK", "Admin Anggaran", "KPA"),
        "minutes": (MARK, *(H,) * 7, 2 * H, H, H, H),  # step 1: "Sebelum periode revisi bulan berjalan"
        "gotos": ((4, "Tidak", 1), (6, "Tidak", 1), (8, "Tidak", 1)),
    },
    "opensop-08.pdf": {
        "numbers": (1, 2, 3, 4, 5),
        "roles": ("KPA", "PPK"),
        "minutes": (H, 3 * H, H, 3 * H, H),
        "chains": (("KPA",), ("PPK",), ("KPA",), ("PPK",), ("KPA",)),
        "gotos": (),
    },
    "opensop-09.pdf": {
        "numbers": (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13),
        "roles": ("Pokja Pemilihan", "Peserta"),
        "minutes": (5 * H, H, 3 * H, None, H, None, H, 5 * H, 3 * H, H, None, None),
        "chains": (("Pokja Pemilihan",), ("Peserta",), *(("Pokja Pemilihan",),) * 5, ("Peserta",),
                   *(("Pokja Pemilihan",),) * 4),
        "gotos": (),
    },
    "opensop-10.pdf": {
        "numbers": tuple(range(1, 9)),
        "roles": ("Ketua Tim Metodologi dan Analisis Statistik", "Ketua Project Analisis Statistik Lintas Sektor",
                  "Editor", "Penyusun", "Tim Diseminasi"),
        "minutes": (5 * H, 3 * H, 5 * H, 20 * H, 10 * H, 5 * H, 3 * H, 3 * H),
    },
    "opensop-11.pdf": {
        "numbers": (1, 2, 3, 4),
        "roles": ("Kepala BPS Provinsi", "Ketua Tim Statistik Sosial BPS Provinsi", "Tim Hansos BPS Provinsi",
                  "Tim Pengolahan BPS Provinsi", "BPS Kabupaten/Kota"),
        "minutes": (30 * H, 40 * H, 20 * H, 20 * H),
        "gotos": ((3, "T", 2),),
    },
    "opensop-12.pdf": {
        "numbers": (1, 2, 3, 4, 5),
        "roles": ("PJK Terkait", "PJK TIP", "PJK TI"),
        "minutes": (30, 10, 10, 60, 5),
        "chains": (("PJK Terkait",), ("PJK TIP",), ("PJK TI",), ("PJK Terkait",), ("PJK Terkait",)),
        "gotos": (),
    },
    "opensop-14.pdf": {
        "numbers": tuple(range(1, 30)),
        "roles": ("KPA", "PPK", "Penyedia"),
        "minutes": (H, 3 * H, *(H,) * 10, 3 * H, H, H, H, None, None, H, H, None, None, 14 * H, H, H, None, H, H, H),
    },
}

KNOWN_MISSES = {
    "opensop-05.pdf": "no rule is drawn between 'Subject Matter' and 'Tim Layanan'; the two columns read as one",
}

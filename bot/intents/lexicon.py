"""The words of a question about a run, in Indonesian and English, by what they mean.

Every word a question may contain is listed here, either with a *concept* (what it
contributes: "next", "who", "how long" …) or as a *filler* (particles such as ya, dong,
nih, sih; pronouns of the group; politeness; auxiliaries). A message with a word that is
in neither list is ordinary talk ("selanjutnya kita **rapat** jam 2"), which is what keeps
the recogniser from answering chatter. Slang and chat abbreviations that cannot be derived
(``yg``, ``udh``, ``sapa``) are listed as words of their own; the vowel-less
abbreviations (``brp``, ``lgkh``, ``slnjtnya``) and typos are derived in
:mod:`bot.intents.tokens`.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["Concept", "FILLERS", "WORDS"]


class Concept(Enum):
    NEXT = "next"  # selanjutnya, berikutnya, lanjut, next, then
    AFTER = "after"  # habis (ini), setelah, after
    THIS = "this"  # ini, this
    STEP = "step"  # langkah, tahap, tugas, step
    WHAT = "what"  # apa, what, which
    DO_WHAT = "do_what"  # ngapain (do what)
    HOW = "how"  # gimana, bagaimana, how
    WHO = "who"  # siapa, who, whose
    WHERE = "where"  # mana, dimana, where
    REACH = "reach"  # sampai, far, posisi
    STATUS = "status"  # status, progres, progress
    TURN = "turn"  # giliran, turn
    DO = "do"  # mengerjakan, pegang, pelaksana, responsible
    NOW = "now"  # sekarang, now, current
    COUNT = "count"  # berapa
    LONG = "long"  # lama, long
    LATE = "late"  # telat, terlambat, late, overdue, behind
    LEFT = "left"  # sisa, lagi (after lama), left, remaining
    TIME = "time"  # waktu, time
    DUE = "due"  # tenggat, deadline, batas, due
    WHEN = "when"  # kapan, when
    DONE = "done"  # selesai, finish
    WE = "we"  # kita, kami, we


_BY_CONCEPT: dict[Concept, tuple[str, ...]] = {
    Concept.NEXT: (
        "selanjutnya", "berikutnya", "lanjut", "lanjutnya", "kemudian", "lalu", "terus", "trus",
        "next", "then", "afterwards", "nextnya",
    ),
    Concept.AFTER: ("habis", "abis", "setelah", "sesudah", "sehabis", "after"),
    Concept.THIS: ("ini", "this"),
    Concept.STEP: (
        "langkah", "tahap", "tahapan", "tugas", "kegiatan", "aktivitas", "proses", "prosedur", "sop",
        "step", "steps", "task", "stage", "procedure",
    ),
    Concept.WHAT: ("apa", "apaan", "what", "which"),
    Concept.DO_WHAT: ("ngapain",),
    Concept.HOW: ("gimana", "bagaimana", "gmn", "gmna", "how"),
    Concept.WHO: ("siapa", "sapa", "who", "whose", "whom"),
    Concept.WHERE: ("mana", "dimana", "where"),
    Concept.REACH: ("sampai", "sampe", "nyampe", "hingga", "posisi", "far", "along"),
    Concept.STATUS: ("status", "progres", "progress", "perkembangan", "kemajuan"),
    Concept.TURN: ("giliran", "turn"),
    Concept.DO: (
        "mengerjakan", "kerjakan", "dikerjakan", "ngerjain", "ngerjakan", "garap", "menggarap", "pegang",
        "memegang", "megang", "bertugas", "pelaksana", "pic", "menangani", "handle", "handling", "do",
        "doing", "working", "responsible", "charge", "lakukan", "dilakukan", "melakukan",
    ),
    Concept.NOW: ("sekarang", "skrg", "skrng", "kini", "now", "currently", "current"),
    Concept.COUNT: ("berapa", "seberapa", "brp", "much"),
    Concept.LONG: ("lama", "long", "longer"),
    Concept.LATE: ("telat", "terlambat", "molor", "late", "overdue", "behind", "delayed"),
    Concept.LEFT: ("sisa", "tersisa", "left", "remaining", "until"),
    Concept.TIME: ("waktu", "waktunya", "time"),
    Concept.DUE: ("tenggat", "deadline", "batas", "due"),
    Concept.WHEN: ("kapan", "when"),
    Concept.DONE: ("selesai", "rampung", "finish", "finished", "done"),
    Concept.WE: ("kita", "kami", "we", "us"),
}

#: Words with no meaning of their own in a question: particles, auxiliaries, politeness.
FILLERS: frozenset[str] = frozenset(
    """
    ya yah yak dong donk nih ni sih deh kah kok tuh nah lho loh kan toh
    yang yg itu tu nya si sang
    sudah udah udh sdh dah telah masih msh harus hrs mesti perlu bisa akan mau
    lagi lg sedang lagian
    ke di pada untuk buat dari dgn dengan
    belum blm ga gak nggak enggak tidak tdk gk
    jadi jd so ok oke okay okey baik nah
    pak bu bapak ibu mas mbak kak bang bos min gan guys teman temen rekan rekan2 semua semuanya
    tolong mohon please pls plz info cek check kasih tahu tau update
    halo hai hi hello hey bot pandu
    is are am was were be been the a an it its of to for on in at
    does did has have had should must can could would will shall there
    any everyone all team tim again i me my with about
    happens happen comes come
    ke
    """.split()
)

#: word -> concept, for every word of every concept.
WORDS: dict[str, Concept] = {word: concept for concept, words in _BY_CONCEPT.items() for word in words}

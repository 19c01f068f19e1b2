"""The regulation's evaluation criteria and the rule that says whether an SOP "berjalan
dengan baik".

Permenpan RB 35/2012 (BAB IV, "Evaluasi penerapan SOP AP") evaluates an SOP against
seven yes/no criteria; see README "Monev" for where the wording was found. Their keys
travel in questionnaire buttons (as the criterion's index) and in the stored answers.

Monitoring column 3 ("Penilaian terhadap penerapan") has two values only: *berjalan
dengan baik* or *tidak berjalan dengan baik*. The regulation leaves the judgement to the
assessor; Pandu proposes one from the facts with :class:`AssessmentRule`, whose two
thresholds are settings (``MONEV_MIN_ON_TIME_PERCENT``, ``MONEV_MAX_CANCELLED``).
"""

from __future__ import annotations

from dataclasses import dataclass

#: (key, Bahasa Indonesia, English), in the regulation's order.
CRITERIA: tuple[tuple[str, str, str], ...] = (
    ("kinerja", "Mampu mendorong peningkatan kinerja", "Helps improve performance"),
    ("dipahami", "Mudah dipahami", "Easy to understand"),
    ("dilaksanakan", "Mudah dilaksanakan", "Easy to carry out"),
    ("peran", "Semua orang dapat menjalankan perannya masing-masing", "Everyone can play their own role"),
    ("masalah", "Mampu mengatasi permasalahan yang berkaitan dengan proses",
     "Solves the problems that arise in the process"),
    ("kebutuhan", "Mampu menjawab kebutuhan peningkatan kinerja organisasi",
     "Meets the organisation's need to perform better"),
    ("sinergi", "Sinergi satu dengan lainnya", "Works in synergy with the other SOPs"),
)
CRITERION_KEYS: tuple[str, ...] = tuple(c[0] for c in CRITERIA)


def criterion_text(index: int, lang: str) -> str:
    _, indonesian, english = CRITERIA[index]
    return english if lang == "en" else indonesian


@dataclass(frozen=True)
class AssessmentRule:
    """*Berjalan dengan baik* when at least `min_on_time` of the finished step passes kept
    their Mutu Baku time and at most `max_cancelled` runs were abandoned; with no finished
    pass there is nothing to judge yet (None)."""

    min_on_time: float = 0.8
    max_cancelled: int = 0

    def assess(self, finished_passes: int, on_time_passes: int, cancelled_runs: int) -> bool | None:
        if finished_passes == 0:
            return None
        return on_time_passes / finished_passes >= self.min_on_time and cancelled_runs <= self.max_cancelled

    def describe(self, lang: str) -> str:
        """The rule in words, printed under the monitoring table."""
        percent = round(self.min_on_time * 100)
        if lang == "en":
            return (f"Assessment rule: \"running well\" when at least {percent}% of the finished step passes kept "
                    f"their standard time and at most {self.max_cancelled} run(s) were cancelled.")
        return (f"Aturan penilaian: \"berjalan dengan baik\" bila sedikitnya {percent}% putaran langkah yang selesai "
                f"tepat dalam waktu baku dan paling banyak {self.max_cancelled} kali dibatalkan.")

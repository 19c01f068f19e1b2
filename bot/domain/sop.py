"""The SOP definition format: one YAML file per SOP AP document (Permenpan RB No. 35/2012).

The model mirrors the document's sections so a transcription can be checked against the
paper line by line, and adds what Pandu needs to run it: role keys, the supervisor who
receives overdue alerts, actor chains and decision outcomes. Cross-field rules (unknown
roles, dangling jumps, cycles) live in :mod:`bot.sop.validate`, so that every problem in a
file is reported at once instead of the first one only.
"""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from bot.domain.durations import parse_duration, read_duration

RoleKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
SopId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,47}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    """Unknown keys are errors: a typo in a transcription must not vanish silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Pengesah(_Strict):
    """Who signed the SOP into force (Disahkan oleh)."""

    jabatan: Text
    nama: Text | None = None
    pangkat: Text | None = None
    nip: Annotated[str, StringConstraints(pattern=r"^\d{18}$")] | None = None


class Identitas(_Strict):
    """The identity block of the cover table. Dates stay as written: offices leave blanks."""

    nomor: Text | None = None
    pemerintah: Text | None = None
    instansi: Text
    unit: Text | None = None
    tanggal_pembuatan: Text | None = None
    tanggal_revisi: Text | None = None
    tanggal_efektif: Text | None = None
    disahkan_oleh: Pengesah | None = None


class Role(_Strict):
    """A Pelaksana column. External parties (Bappeda, Forum SKPD) are confirmed on their behalf."""

    key: RoleKey
    nama: Text
    eksternal: bool = False


class Actor(_Strict):
    """One actor in a step's chain; `simbol` is the flowchart symbol number, where the paper has it."""

    role: RoleKey
    simbol: int | None = Field(default=None, ge=1)


class Outcome(_Strict):
    """One way out of a decision step.

    `goto` names the step to continue with; without it the run continues with the next
    step in order (or finishes after the last one).
    """

    key: RoleKey
    label: Text
    label_en: Text | None = None
    goto: int | None = Field(default=None, ge=1)
    alasan_wajib: bool = False


class Decision(_Strict):
    """A decision step's question and its outcomes (the diamond of the flowchart)."""

    pertanyaan: Text
    outcomes: list[Outcome] = Field(min_length=2)

    @field_validator("outcomes")
    @classmethod
    def _unique_keys(cls, outcomes: list[Outcome]) -> list[Outcome]:
        keys = [o.key for o in outcomes]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"outcome key ganda: {', '.join(dupes)}")
        return outcomes


class Step(_Strict):
    """One row of the procedure table."""

    no: int = Field(ge=1)
    aktivitas: Text
    actors: list[Actor] = Field(min_length=1)
    kelengkapan: Text | None = None
    waktu: str | list[str] | int
    output: Text | None = None
    keterangan: Text | None = None
    inferred: Text | None = None
    decision: Decision | None = None

    @field_validator("waktu")
    @classmethod
    def _parse_waktu(cls, value: str | list[str] | int) -> str | list[str] | int:
        read_duration(value)
        return value

    @property
    def minutes(self) -> int:
        """Standard time in working minutes; 0 when the document states none ("Setiap Saat")."""
        return read_duration(self.waktu).minutes or 0

    @property
    def has_standard_time(self) -> bool:
        """False for "Setiap Saat" / "Sesuai jadwal": such a step is never due, never nagged."""
        return read_duration(self.waktu).minutes is not None

    @property
    def actor_keys(self) -> list[str]:
        return [a.role for a in self.actors]


class Koreksi(_Strict):
    """A defect of the source document fixed in the transcription, kept for the record."""

    step: int | None = None
    field: Text
    asli: Text
    menjadi: Text
    alasan: Text


class Sumber(_Strict):
    """Where the transcription came from and what was lost on the way."""

    dokumen: Text
    catatan: list[Text] = Field(default_factory=list)


class SopDefinition(_Strict):
    """A whole SOP AP document."""

    id: SopId
    nama: Text
    identitas: Identitas
    dasar_hukum: list[Text] = Field(default_factory=list)
    kualifikasi_pelaksana: list[Text] = Field(default_factory=list)
    keterkaitan: list[Text] = Field(default_factory=list)
    peralatan: list[Text] = Field(default_factory=list)
    peringatan: list[Text] = Field(default_factory=list)
    pencatatan: list[Text] = Field(default_factory=list)
    roles: list[Role] = Field(min_length=1)
    supervisor: RoleKey
    steps: list[Step] = Field(min_length=1)
    jumlah_waktu: str | list[str] | None = None
    koreksi: list[Koreksi] = Field(default_factory=list)
    sumber: Sumber | None = None

    @cached_property
    def role_by_key(self) -> dict[str, Role]:
        return {r.key: r for r in self.roles}

    @cached_property
    def step_by_no(self) -> dict[int, Step]:
        return {s.no: s for s in self.steps}

    @property
    def total_minutes(self) -> int:
        """Sum of the steps' standard times (one pass through, no decision loops)."""
        return sum(s.minutes for s in self.steps)

    @property
    def stated_total_minutes(self) -> int | None:
        """The document's own Jumlah waktu, when it states one."""
        return None if self.jumlah_waktu is None else parse_duration(self.jumlah_waktu)

    def next_step_no(self, no: int) -> int | None:
        """The step that follows `no` in document order, or None after the last."""
        numbers = [s.no for s in self.steps]
        index = numbers.index(no)
        return numbers[index + 1] if index + 1 < len(numbers) else None

    def content_hash(self) -> str:
        """A stable fingerprint of the content, used to pin the version a run started with."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

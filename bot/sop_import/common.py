"""Types shared by the readers, the draft builder and the renderer of `sop import`.

Every reader (text, Word, Excel) reduces its document to the same thing — a list of rows of
cell strings, merged cells written once in their top-left cell — so that recognising the
SOP AP layout is written once, in :mod:`bot.sop_import.draft`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Rows = list[list[str]]
YamlPath = tuple[str | int, ...]

MARK = "??"
"""Prefix of every value a person must still fill in.

"??" is neither a valid role key (pattern ^[a-z]...), nor a step number, nor a duration, so
a draft that still holds one fails `sop check` at exactly that line.
"""


class Mark(str):
    """A placeholder value ("??" + what the document had); rendered double-quoted."""

    def __new__(cls, original: str = "") -> Mark:
        text = " ".join(original.split())
        return super().__new__(cls, f"{MARK} {text}" if text else MARK)


def is_mark(value: object) -> bool:
    return isinstance(value, str) and value.startswith(MARK)


@dataclass(frozen=True)
class Unresolved:
    """Something the importer could not determine.

    `blocking` items left a "??" mark at `path` in the draft (so `sop check` fails until a
    person fixes them); the others are notes worth a look that do not stop the draft.
    `line` is filled in when the draft is rendered.
    """

    message: str
    path: YamlPath | None = None
    step: int | None = None
    blocking: bool = True
    line: int | None = None

    def __str__(self) -> str:
        where = f"baris {self.line}: " if self.line else ""
        return f"{where}{self.message}"


@dataclass
class ImportResult:
    """The draft definition (plain dict in the format's key order) and what is left to do."""

    source: Path
    draft: dict[str, Any]
    unresolved: list[Unresolved] = field(default_factory=list)

    @property
    def sop_id(self) -> str:
        return str(self.draft["id"])

    @property
    def blocking(self) -> list[Unresolved]:
        return [u for u in self.unresolved if u.blocking]


class ImportError_(Exception):  # noqa: N801 - trailing underscore: not the builtin ImportError
    """A document that cannot be imported at all; the message names the file."""

    def __init__(self, file: Path, problem: str) -> None:
        super().__init__(f"{file.name}: {problem}")
        self.file = file
        self.problem = problem


class UnsupportedFormatError(ImportError_):
    """The extension is not one the importer reads (.docx, .xlsx, .txt/.tsv)."""


class UnreadableDocumentError(ImportError_):
    """The file is missing, or its content is not what its extension says."""


class EmptyDocumentError(ImportError_):
    """The file holds no text at all."""


class NoProcedureTableError(ImportError_):
    """No table with the No / Aktivitas / Pelaksana header of an SOP AP procedure."""


class MissingColumnError(ImportError_):
    """A procedure table was found but lacks a column the draft cannot do without."""


class DraftExistsError(ImportError_):
    """The output file exists and --force was not given."""

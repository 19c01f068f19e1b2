"""An uploaded document to a draft: the bytes go through the importer's public entry point.

Runs in a worker thread (the readers parse XML; a big workbook takes a while). The
importer picks its reader by the file's extension, so a format it learns later (PDF,
issue 12) works here without a change; until then it refuses with its own message.
Only a password-protected Office file is recognised here, because the readers would call
it "not a valid .docx": it is an OLE container (encrypted package), not a zip.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from bot.sop_import import ImportError_, import_document
from bot.sop_import.wording import item_text, problem_reason

#: What an SOP admin may upload: the importer's formats, and PDF for when it reads them.
ACCEPTED = (".pdf", ".docx", ".xlsx", ".txt")
#: Telegram lets a bot download 20 MB at most.
MAX_BYTES = 20 * 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UploadError(Exception):
    """A document that gives no draft; `code` for the sentence, `detail` the importer's words
    (`detail_en` the same in English, for an English chat)."""

    def __init__(self, code: str, detail: str = "", detail_en: str = "") -> None:
        super().__init__(code)
        self.code, self.detail, self.detail_en = code, detail, detail_en or detail


@dataclass(frozen=True)
class Imported:
    content: dict[str, Any]
    notes: list[str]
    source_name: str
    source_hash: str


def safe_name(name: str | None) -> str:
    """The file's own name, without any folder part a client may send."""
    return PurePath((name or "").replace("\\", "/")).name[:200] or "dokumen"


def suffix_of(name: str | None) -> str:
    return PurePath(safe_name(name)).suffix.lower()


def import_bytes(name: str | None, data: bytes, lang: str = "id") -> Imported:
    """Import a downloaded document; UploadError when it cannot give a draft.

    The notes are kept in the uploading chat's `lang` (as `sop import --lang` prints them):
    the review shows them to the same people. The draft itself stays Indonesian, like the
    format's keys.
    """
    filename = safe_name(name)
    suffix = suffix_of(filename)
    if suffix not in ACCEPTED:
        raise UploadError("bad_type")
    if len(data) > MAX_BYTES:
        raise UploadError("too_big")
    if suffix in (".docx", ".xlsx") and data.startswith(_OLE):
        raise UploadError("protected")
    with tempfile.TemporaryDirectory(prefix="pandu-sop-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            result = import_document(path)
        except ImportError_ as exc:
            raise UploadError("import", exc.problem, problem_reason(exc, "en")) from None
    # Marks are a str subclass; JSON makes the draft plain data, as the database stores it.
    content = json.loads(json.dumps(result.draft, ensure_ascii=False))
    sumber = content.get("sumber")
    if isinstance(sumber, dict):
        sumber["dokumen"] = filename
        sumber["catatan"] = [c.replace(path.name, filename) for c in sumber.get("catatan") or []]
    # The "Jika …" note is offered as a fix of its own (make the step a decision).
    notes = [item_text(u, lang) for u in result.unresolved if not u.blocking and (u.path or ())[-1:] != ("aktivitas",)]
    return Imported(content, notes, filename, hashlib.sha256(data).hexdigest())

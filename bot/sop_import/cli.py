"""`python -m bot sop import FILE [--out sop_data/ID.yaml] [--force]` (wired in by the CLI).

Prints where the draft went and, last, everything left to fix with its line, so the
person running it sees the work list without opening the file first.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.sop_import.common import DraftExistsError, ImportError_, ImportResult
from bot.sop_import.importer import import_documents
from bot.sop_import.render import render_draft, write_draft

DEFAULT_DIR = Path("sop_data")


def _targets(results: list[ImportResult], out: Path | None) -> list[Path]:
    """Where each draft goes; a second SOP of the same file gets "-2" (and so on) after the name."""
    targets: list[Path] = []
    for index, result in enumerate(results):
        if out is None or out.is_dir():
            target = (out or DEFAULT_DIR) / f"{result.sop_id}.yaml"
        else:
            target = out if index == 0 else out.with_name(f"{out.stem}-{index + 1}{out.suffix}")
        n = 2
        while target in targets:
            target, n = target.with_name(f"{result.sop_id}-{n}.yaml"), n + 1
        targets.append(target)
    return targets


def _report(result: ImportResult, target: Path, stdout: TextIO) -> None:
    _text, items = render_draft(result)
    steps = result.draft["steps"]
    print(f"Draf ditulis: {target} ({len(steps)} langkah, {len(result.draft['roles'])} peran)", file=stdout)
    blocking = [u for u in items if u.blocking]
    notes = [u for u in items if not u.blocking]
    if blocking:
        print(f"\nBelum selesai ({len(blocking)}) — ganti nilai \"??\" lalu jalankan `sop check`:", file=stdout)
        for item in blocking:
            print(f"  {target}:{item.line}: {item.message}", file=stdout)
    if notes:
        print(f"\nCatatan ({len(notes)}):", file=stdout)
        for item in notes:
            print(f"  {target}:{item.line}: {item.message}", file=stdout)
    if not blocking:
        print("\nTidak ada isian yang tertinggal.", file=stdout)


def import_command(file: Path, out: Path | None, force: bool, stdout: TextIO | None = None,
                   stderr: TextIO | None = None) -> int:
    """Import `file` and write its draft(s); 0 when written, 1 when not (message on stderr).

    Nothing is written unless every draft can be: an existing file stops them all.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        results = import_documents(file)
        targets = _targets(results, out)
        existing = [t for t in targets if t.exists()]
        if existing and not force:
            raise DraftExistsError(existing[0], "berkas sudah ada; gunakan --force untuk menimpanya")
        for result, target in zip(results, targets):
            write_draft(result, target, force)
    except ImportError_ as exc:
        print(f"sop import: {exc}", file=stderr)
        return 1
    except OSError as exc:
        print(f"sop import: {file.name}: tidak dapat menulis draf ({exc})", file=stderr)
        return 1
    if len(results) > 1:
        print(f"{file.name} memuat {len(results)} SOP: satu draf per SOP.\n", file=stdout)
    for index, (result, target) in enumerate(zip(results, targets)):
        if index:
            print("", file=stdout)
        _report(result, target, stdout)
    return 0

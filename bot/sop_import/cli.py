"""`python -m bot sop import FILE [--out sop_data/ID.yaml] [--force]` (wired in by the CLI).

Prints where the draft went and, last, everything left to fix with its line, so the
person running it sees the work list without opening the file first.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.sop_import.common import ImportError_
from bot.sop_import.importer import import_document
from bot.sop_import.render import draft_path, render_draft, write_draft

DEFAULT_DIR = Path("sop_data")


def import_command(file: Path, out: Path | None, force: bool, stdout: TextIO | None = None,
                   stderr: TextIO | None = None) -> int:
    """Import `file` and write the draft; 0 when written, 1 when not (message on stderr)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        result = import_document(file)
        target = draft_path(result, out) if out is not None else DEFAULT_DIR / f"{result.sop_id}.yaml"
        write_draft(result, target, force)
    except ImportError_ as exc:
        print(f"sop import: {exc}", file=stderr)
        return 1
    except OSError as exc:
        print(f"sop import: {file.name}: tidak dapat menulis draf ({exc})", file=stderr)
        return 1
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
    return 0

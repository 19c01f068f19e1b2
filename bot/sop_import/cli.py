"""`python -m bot sop import FILE [--out sop_data/ID.yaml] [--force] [--lang en]` (wired in by the CLI).

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
from bot.sop_import.wording import cli_text, item_text, problem_text

DEFAULT_DIR = Path("sop_data")


def import_command(file: Path, out: Path | None, force: bool, stdout: TextIO | None = None,
                   stderr: TextIO | None = None, lang: str = "id") -> int:
    """Import `file` and write the draft; 0 when written, 1 when not (message on stderr, in `lang`)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        result = import_document(file)
        target = draft_path(result, out) if out is not None else DEFAULT_DIR / f"{result.sop_id}.yaml"
        write_draft(result, target, force)
    except ImportError_ as exc:
        print(f"sop import: {problem_text(exc, lang)}", file=stderr)
        return 1
    except OSError as exc:
        print(f"sop import: {cli_text(lang, 'cannot_write', name=file.name, error=exc)}", file=stderr)
        return 1
    _text, items = render_draft(result)
    steps = result.draft["steps"]
    print(cli_text(lang, "written", target=target, steps=len(steps), roles=len(result.draft["roles"])), file=stdout)
    blocking = [u for u in items if u.blocking]
    notes = [u for u in items if not u.blocking]
    if blocking:
        print("\n" + cli_text(lang, "blocking", count=len(blocking)), file=stdout)
        for item in blocking:
            print(f"  {target}:{item.line}: {item_text(item, lang)}", file=stdout)
    if notes:
        print("\n" + cli_text(lang, "notes", count=len(notes)), file=stdout)
        for item in notes:
            print(f"  {target}:{item.line}: {item_text(item, lang)}", file=stdout)
    if not blocking:
        print("\n" + cli_text(lang, "none_left"), file=stdout)
    return 0

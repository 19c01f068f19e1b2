"""`python -m bot sop import FILE [--out sop_data/ID.yaml] [--force] [--lang en]` (wired in by the CLI).

Prints where each draft went and, last, everything left to fix with its line, so the
person running it sees the work list without opening the file first.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.sop_import.common import DraftExistsError, ImportError_, ImportResult
from bot.sop_import.importer import import_documents
from bot.sop_import.draft_yaml import render_draft, write_draft
from bot.sop_import.wording import cli_text, item_text, problem_text

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


def _report(result: ImportResult, target: Path, stdout: TextIO, lang: str) -> None:
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


def import_command(file: Path, out: Path | None, force: bool, stdout: TextIO | None = None,
                   stderr: TextIO | None = None, lang: str = "id") -> int:
    """Import `file` and write its draft(s); 0 when written, 1 when not (message on stderr, in `lang`).

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
        print(f"sop import: {problem_text(exc, lang)}", file=stderr)
        return 1
    except OSError as exc:
        print(f"sop import: {cli_text(lang, 'cannot_write', name=file.name, error=exc)}", file=stderr)
        return 1
    if len(results) > 1:
        print(cli_text(lang, "several", name=file.name, count=len(results)) + "\n", file=stdout)
    for index, (result, target) in enumerate(zip(results, targets)):
        if index:
            print("", file=stdout)
        _report(result, target, stdout, lang)
    return 0

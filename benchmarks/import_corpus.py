"""Import every PDF of a folder and print what came out: `python -m benchmarks.import_corpus DIR`.

Per document: pages, steps, role columns, steps whose actors are all known, decisions,
"??" marks left for a person, seconds; then totals. Nothing is written: the drafts are
built in memory only. A refusal (not an SOP AP) or a crash is a row, not an abort.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.sop_import.corpus import DocFigures, measure

_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg"}


def _row(f: DocFigures) -> str:
    if f.crashed:
        return f"{f.name:<22} CRASH {f.crashed}"
    if f.refused:
        return f"{f.name:<22} refused ({f.seconds:.2f} s): {f.refused[:90]}"
    return (f"{f.name:<22} {f.pages:>5} {f.steps:>5} {f.roles:>5} {f.actors_known:>7} {f.decisions:>5} "
            f"{f.times_read:>5} {f.marks:>5} {f.seconds:>7.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    files = sorted(p for p in args.folder.iterdir() if p.suffix.lower() in _SUFFIXES)
    if not files:
        print(f"no PDF or image in {args.folder}", file=sys.stderr)
        return 1
    print(f"{'document':<22} {'pages':>5} {'steps':>5} {'roles':>5} {'actors':>7} {'dec':>5} {'times':>5} "
          f"{'??':>5} {'seconds':>7}")
    figures = []
    for path in files:
        f = measure(path)
        figures.append(f)
        print(_row(f), flush=True)
    drafts = [f for f in figures if not f.refused and not f.crashed]
    steps = sum(f.steps for f in drafts)
    known = sum(f.actors_known for f in drafts)
    print(f"\ntotal: {len(files)} documents, {len(drafts)} drafts, "
          f"{sum(1 for f in figures if f.refused)} refused, {sum(1 for f in figures if f.crashed)} crashed; "
          f"{steps} steps, actors known {known} ({100 * known / max(steps, 1):.0f} %), "
          f"times read {sum(f.times_read for f in drafts)}, decisions {sum(f.decisions for f in drafts)}, "
          f"?? {sum(f.marks for f in drafts)}, {sum(f.seconds for f in figures):.1f} s "
          f"(slowest {max(f.seconds for f in figures):.2f} s)")
    return 1 if any(f.crashed for f in figures) else 0


if __name__ == "__main__":
    raise SystemExit(main())

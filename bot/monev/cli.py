"""``python -m bot monev --period 2026-2 --out DIR [--chat ID] [--lang en] [--database-url URL]``.

Writes ``monev-<periode>.docx``, ``.xlsx`` and ``.png`` for every group (or one) and prints
each SOP's assessment, Catatan and Tindakan. An unknown or future period, or a period in
which nothing ran, exits 1 with a message and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add_monev_parser(sub: Any) -> None:
    """The ``monev`` subcommand of :func:`bot.cli.build_parser`."""
    p = sub.add_parser("monev", help="formulir monitoring dan evaluasi SOP AP satu periode (.docx, .xlsx, .png)")
    p.add_argument("--period", help="2026-1, 2026-2, atau \"2026-07-01 2026-09-30\" (bawaan: semester ini)")
    p.add_argument("--out", type=Path, required=True, help="folder tujuan (dibuat bila belum ada)")
    p.add_argument("--chat", type=int, help="satu grup saja (id chat); bawaan: semua grup")
    p.add_argument("--lang", choices=["id", "en"], help="bahasa formulir (bawaan: DEFAULT_LANGUAGE)")
    p.add_argument("--database-url", help="basis data lain (bawaan: DATABASE_URL)")
    p.set_defaults(func=cmd_monev)


def cmd_monev(args: argparse.Namespace) -> int:
    """Write the period's monev forms (monev-P.docx, .xlsx, .png) for every group, or one."""
    from bot.cli import _settings, existing_database, unreadable
    from bot.engine import SopEngine
    from bot.monev.period import PeriodError, parse_period
    from bot.monev.sentences import assessment_text, catatan, tindakan
    from bot.monev.service import Monev, NoRuns
    from storage.errors import StorageError

    settings = _settings()
    db = existing_database(args.database_url, settings)
    if db is None:
        return 1
    try:
        monev = Monev.for_engine(SopEngine.from_settings(settings, db=db), settings)
        lang = args.lang or settings.default_language
        try:
            period = parse_period(args.period or "", monev.today())
            form = monev.form([args.chat] if args.chat is not None else monev.group_chat_ids(), period)
        except PeriodError as exc:
            print(f"Periode tidak dikenal atau belum dimulai / unknown or future period: {args.period!r} ({exc.code})",
                  file=sys.stderr)
            return 1
        except NoRuns:
            print(f"Tidak ada SOP dijalankan pada periode {period.key} / no runs in {period.key}", file=sys.stderr)
            return 1
        except StorageError as exc:
            return unreadable(exc)
        files = Monev.files(form, lang)
        args.out.mkdir(parents=True, exist_ok=True)
        for row in form.monitoring:
            print(f"{row.nama} ({row.chat_title}): {assessment_text(row.assessment, lang)}")
            print(f"  {catatan(row, lang)}")
            print(f"  -> {tindakan(row, lang)}")
        for ext, data in (("docx", files.docx), ("xlsx", files.xlsx), ("png", files.chart)):
            path = args.out / f"monev-{form.period}.{ext}"
            path.write_bytes(data)
            print(f"Ditulis: {path}")
        return 0
    finally:
        db.dispose()

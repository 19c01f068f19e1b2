"""Command line of Pandu: `python -m bot [COMMAND]` (installed as `pandu`).

With no command it runs the bot. Subcommands work on SOP definitions and the database
without needing a Telegram token, so an office can check its YAML files offline.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.config import Settings, load_settings

NO_TOKEN_MESSAGE = """\
Pandu belum punya token bot Telegram (TELEGRAM_BOT_TOKEN kosong).

  1. Buka Telegram, chat dengan @BotFather, kirim /newbot dan ikuti petunjuknya.
  2. Salin token yang diberikan (bentuknya seperti 123456789:AAH...).
  3. Simpan di berkas .env di folder ini:
         cp .env.example .env
     lalu isi baris  TELEGRAM_BOT_TOKEN=123456789:AAH...
     (atau: export TELEGRAM_BOT_TOKEN=123456789:AAH...)
  4. Jalankan lagi: python -m bot

Tanpa token, lihat Pandu bekerja dengan emulator lokal: python -m bot demo

Pandu has no Telegram bot token (TELEGRAM_BOT_TOKEN is empty). Ask @BotFather for one
(/newbot), put it in .env as TELEGRAM_BOT_TOKEN=..., and run `python -m bot` again.
Without a token, `python -m bot demo` shows Pandu working against a local emulator.
"""


def _settings() -> Settings:
    try:
        return load_settings()
    except ValidationError as exc:
        print("Konfigurasi tidak valid / invalid configuration:", file=sys.stderr)
        for err in exc.errors():
            print(f"  {'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}", file=sys.stderr)
        raise SystemExit(2) from exc


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings()
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value().strip():
        print(NO_TOKEN_MESSAGE, file=sys.stderr)
        return 2
    from handlers.application import run_bot
    from bot.ops.logs import configure_logging

    # main() set a WARNING default for the offline commands; the bot logs at LOG_LEVEL (text or JSON).
    configure_logging(settings)
    return run_bot(settings)


def cmd_demo(args: argparse.Namespace) -> int:
    """Play a scripted SOP walkthrough against the local emulator: no token, no network."""
    from devtools.demo import main as demo

    return demo()


def cmd_sop_list(args: argparse.Namespace) -> int:
    from bot.sop.loader import load_directory

    result = load_directory(args.dir or _settings().sop_dir)
    for sop_id, loaded in sorted(result.sops.items()):
        sop = loaded.definition
        print(f"{sop_id:<32} {len(sop.steps):>3} langkah  {sop.nama}")
    for error in result.errors:
        print(f"GALAT: {error}", file=sys.stderr)
    return 1 if result.errors else 0


def cmd_sop_check(args: argparse.Namespace) -> int:
    from bot.sop.loader import SopFileError, load_directory, load_file

    from bot.sop.messages import sop_text

    path: Path = args.path or _settings().sop_dir
    lang = args.lang or _settings().default_language
    if path.is_dir():
        result = load_directory(path, lang)
        errors, warnings, count = result.errors, result.warnings, len(result.sops)
    else:
        try:
            loaded = load_file(path, lang)
            errors, warnings, count = [], [f"{path}: {w}" for w in loaded.warnings], 1
        except SopFileError as exc:
            errors, warnings, count = exc.errors, [], 0
    for warning in warnings:
        print(f"{sop_text(lang, 'warning')}: {warning}")
    for error in errors:
        print(f"{sop_text(lang, 'error')}: {error}")
    print(sop_text(lang, "check_summary", count=count, errors=len(errors), warnings=len(warnings)))
    return 1 if errors else 0


def cmd_sop_show(args: argparse.Namespace) -> int:
    from bot.sop.describe import describe
    from bot.sop.export import export_definition
    from bot.sop.loader import load_directory

    result = load_directory(args.dir or _settings().sop_dir)
    loaded = result.sops.get(args.id)
    if loaded is None:
        known = ", ".join(sorted(result.sops)) or "-"
        print(f"SOP {args.id!r} tidak ditemukan. Tersedia: {known}", file=sys.stderr)
        return 1
    if args.json:
        json.dump(export_definition(loaded.definition), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(describe(loaded.definition))
    return 0


def cmd_sop_import(args: argparse.Namespace) -> int:
    from bot.sop_import import import_command

    settings = _settings()
    return import_command(args.file, args.out or settings.sop_dir, args.force,
                          lang=args.lang or settings.default_language)


def cmd_sop_export(args: argparse.Namespace) -> int:
    from bot.sop.loader import load_directory
    from bot.sop_import.export_layout import write_docx, write_xlsx

    loaded = load_directory(args.dir or _settings().sop_dir).sops.get(args.id)
    if loaded is None:
        print(f"SOP {args.id!r} tidak ditemukan", file=sys.stderr)
        return 1
    out: Path = args.out or Path(f"{args.id}.{args.format}")
    if out.exists() and not args.force:
        print(f"{out}: berkas sudah ada; gunakan --force untuk menimpa", file=sys.stderr)
        return 1
    (write_docx if args.format == "docx" else write_xlsx)(loaded.definition, out)
    print(f"Ditulis: {out}")
    return 0


def cmd_sop_render(args: argparse.Namespace) -> int:
    from bot.flowchart import render_flowchart_file
    from bot.sop.loader import load_directory

    loaded = load_directory(args.dir or _settings().sop_dir).sops.get(args.id)
    if loaded is None:
        print(f"SOP {args.id!r} tidak ditemukan", file=sys.stderr)
        return 1
    done = set(range(1, args.current)) if args.current else set()
    steps = {s.no for s in loaded.definition.steps}
    if args.current and args.current not in steps:
        print(f"langkah {args.current} tidak ada di SOP {args.id}", file=sys.stderr)
        return 1
    paths = render_flowchart_file(
        loaded.definition, args.out, done_steps=done & steps, current_step=args.current,
        current_actor_index=0 if args.current else None, lang=args.lang,
    )
    from bot.reports.labels import label

    for path in paths:
        print(label(args.lang or "id", "cli_written", path=path))
    return 0


def existing_database(database_url: str | None, settings: Settings) -> Any:
    """The database to read, or None (said on stderr) when a SQLite file is missing: an
    offline command must not leave an empty database file behind."""
    from storage.db import Database
    from storage.maintenance import sqlite_file

    url = database_url or settings.effective_database_url
    path = sqlite_file(url)
    if path is not None and not path.exists():
        print(f"Basis data {path} tidak ada / database not found", file=sys.stderr)
        return None
    return Database(url)


def unreadable(exc: Exception) -> int:
    """A database without the schema (or not answering): say how to fix it; exit code 1."""
    print(f"Basis data tidak terbaca ({type(exc).__name__}); sudah `python -m bot db upgrade`?", file=sys.stderr)
    return 1


def cmd_report(args: argparse.Namespace) -> int:
    """Write one run's report (chart.png, report.xlsx, report.csv) and print its summary."""
    from bot.engine import SopEngine
    from bot.reports import ReportRunNotFound, Reports, plain_summary, write_files
    from bot.reports.labels import label
    from storage.errors import StorageError

    settings = _settings()
    db = existing_database(args.database_url, settings)
    if db is None:
        return 1
    try:
        reports = Reports.for_engine(SopEngine.from_settings(settings, db=db))
        try:
            report = reports.run_report(args.run_id)
        except ReportRunNotFound:
            print(f"Run {args.run_id} tidak ditemukan / run {args.run_id} not found ({db!r})", file=sys.stderr)
            return 1
        except StorageError as exc:
            return unreadable(exc)
        lang = args.lang or report.language
        paths = write_files(Reports.run_files(report, lang), args.out)
        print(plain_summary(report, lang))
        for path in paths:
            print(label(lang, "cli_written", path=path))
        return 0
    finally:
        db.dispose()


def build_parser() -> argparse.ArgumentParser:
    from bot.monev.cli import add_monev_parser

    parser = argparse.ArgumentParser(prog="pandu", description="Pandu — pemandu SOP di Telegram")
    parser.set_defaults(func=cmd_run)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="jalankan bot (bawaan)").set_defaults(func=cmd_run)
    sub.add_parser("demo", help="peragaan dengan emulator lokal (tanpa token)").set_defaults(func=cmd_demo)

    sop = sub.add_parser("sop", help="definisi SOP")
    sop_sub = sop.add_subparsers(dest="sop_command", required=True)
    p = sop_sub.add_parser("list", help="daftar SOP di sop_data/")
    p.add_argument("--dir", type=Path)
    p.set_defaults(func=cmd_sop_list)
    p = sop_sub.add_parser("check", help="periksa berkas SOP (folder atau satu berkas)")
    p.add_argument("path", nargs="?", type=Path)
    p.add_argument("--lang", choices=["id", "en"], help="bahasa pesan (bawaan: DEFAULT_LANGUAGE)")
    p.set_defaults(func=cmd_sop_check)
    p = sop_sub.add_parser("show", help="tampilkan satu SOP")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help="ekspor JSON ternormalisasi")
    p.add_argument("--dir", type=Path)
    p.set_defaults(func=cmd_sop_show)

    p = sop_sub.add_parser("import", help="impor dokumen SOP AP (.docx, .xlsx, .txt, .pdf, hasil pindai .png/.jpg) menjadi draf YAML")
    p.add_argument("file", type=Path)
    p.add_argument("--out", type=Path, help="berkas atau folder tujuan (bawaan: SOP_DIR/ID.yaml)")
    p.add_argument("--force", action="store_true", help="timpa berkas yang sudah ada")
    p.add_argument("--lang", choices=["id", "en"], help="bahasa pesan (bawaan: DEFAULT_LANGUAGE)")
    p.set_defaults(func=cmd_sop_import)
    p = sop_sub.add_parser("export", help="tulis SOP sebagai tabel SOP AP (.docx atau .xlsx)")
    p.add_argument("id")
    p.add_argument("--format", choices=["docx", "xlsx"], default="docx")
    p.add_argument("--out", type=Path)
    p.add_argument("--force", action="store_true")
    p.add_argument("--dir", type=Path)
    p.set_defaults(func=cmd_sop_export)

    p = sop_sub.add_parser("render", help="gambar bagan alir SOP AP (PNG)")
    p.add_argument("id")
    p.add_argument("--out", type=Path, required=True, help="FILE.png (halaman berikutnya: FILE-2.png, …)")
    p.add_argument("--current", type=int, help="sorot langkah ini (langkah sebelumnya diredupkan)")
    p.add_argument("--lang", choices=["id", "en"], default="id")
    p.add_argument("--dir", type=Path)
    p.set_defaults(func=cmd_sop_render)

    p = sub.add_parser("report", help="laporan satu SOP berjalan: chart.png, report.xlsx, report.csv")
    p.add_argument("run_id", type=int, metavar="RUN_ID", help="id run di basis data")
    p.add_argument("--out", type=Path, required=True, help="folder tujuan (dibuat bila belum ada)")
    p.add_argument("--lang", choices=["id", "en"], help="bahasa label (bawaan: bahasa chat)")
    p.add_argument("--database-url", help="basis data lain (bawaan: DATABASE_URL)")
    p.set_defaults(func=cmd_report)

    add_monev_parser(sub)

    from bot.ops.commands import register

    register(sub, _settings, _publish_menu)  # setup, doctor, db upgrade|current|backup|restore
    return parser


async def _publish_menu(token: str, base_url: str | None) -> None:
    from handlers.application import publish_with_token  # the CLI puts the layers together

    await publish_with_token(token, base_url)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The operations subcommands of the CLI: ``setup``, ``doctor``, ``db upgrade|current|backup|restore``.

:mod:`bot.cli` hands its subparsers here; each command imports its module only when run,
so ``python -m bot sop check`` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:
    from bot.ops.setup import Publish


def register(sub: Any, settings: Callable[[], Settings], publish: Publish) -> None:
    """Add the commands to `sub` (argparse subparsers); `settings` loads the configuration,
    `publish` registers the command menu (from the Telegram layer, given by the CLI)."""

    def url_of(args: argparse.Namespace) -> str:
        return str(args.database_url or settings().effective_database_url)

    def cmd_db(args: argparse.Namespace) -> int:
        from storage.migrate import current, upgrade

        url = url_of(args)
        if args.action == "upgrade":
            print(f"Skema basis data: {upgrade(url)}")
        else:
            print(f"Skema basis data: {current(url) or '(kosong)'}")
        return 0

    def cmd_backup(args: argparse.Namespace) -> int:
        from bot.ops.backup import BackupError, backup, restore

        try:
            lines = [backup(url_of(args), args.file)] if args.action == "backup" else restore(url_of(args), args.file)
        except BackupError as exc:
            print(f"GALAT: {exc}", file=sys.stderr)
            return 1
        print("\n".join(lines))
        return 0

    def cmd_setup(args: argparse.Namespace) -> int:
        from bot.ops.setup import run_setup

        return run_setup(args, publish)

    def cmd_doctor(args: argparse.Namespace) -> int:
        from bot.ops.doctor import run_doctor

        return run_doctor(settings())

    db = sub.add_parser("db", help="basis data: upgrade, current, backup FILE, restore FILE")
    db_sub = db.add_subparsers(dest="action", required=True)
    for action, func, help_text in (
        ("upgrade", cmd_db, "perbarui skema"), ("current", cmd_db, "versi skema sekarang"),
        ("backup", cmd_backup, "cadangkan ke FILE (aman saat bot berjalan)"),
        ("restore", cmd_backup, "pulihkan dari FILE (hentikan bot dulu)"),
    ):
        p = db_sub.add_parser(action, help=help_text)
        if func is cmd_backup:
            p.add_argument("file", type=Path, metavar="FILE")
        p.add_argument("--database-url", help="basis data lain (bawaan: DATABASE_URL)")
        p.set_defaults(func=func)

    from bot.ops.setup import add_arguments

    p = sub.add_parser("setup", help="siapkan bot: token, zona, jam kerja, basis data, menu")
    add_arguments(p)
    p.set_defaults(func=cmd_setup)
    sub.add_parser("doctor", help="periksa konfigurasi yang berjalan (exit 1 bila perlu tindakan)").set_defaults(func=cmd_doctor)

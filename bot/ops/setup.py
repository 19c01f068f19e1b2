"""`python -m bot setup`: from a fresh machine to a configured bot, guided or by flags.

It asks (or takes from flags and the environment) the token, the time zone, office hours
and the database; checks the token with ``getMe`` and a PostgreSQL URL with a connection;
writes ``.env`` (mode 0600; the token is never echoed or printed); migrates the database;
publishes the command menus; and prints the bot's link and the @BotFather steps left to
do by hand. ``--non-interactive`` never prompts, for scripts and provisioning tools.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.ops.botapi import BotApiClient, BotApiError
from bot.ops.envfile import read_env, update_env

#: The three zones of Indonesia, by the names offices use.
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


class SetupError(Exception):
    """Something the person must fix; the message says what."""


@dataclass
class Answers:
    token: str
    username: str
    timezone: str
    start: time
    end: time
    database_url: str | None  # None: the default SQLite file


def parse_zone(text: str) -> str:
    zone = ZONES.get(text.strip().upper(), text.strip())
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SetupError(f"zona waktu tidak dikenal: {text!r} (WIB, WITA, WIT atau nama seperti Asia/Jakarta)") from None
    return zone


def parse_hours(text: str) -> tuple[time, time]:
    try:
        start_text, end_text = text.replace(" ", "").split("-")
        start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
    except ValueError:
        raise SetupError(f"jam kerja {text!r} tidak terbaca; tulis seperti 08:00-16:00") from None
    if end <= start:
        raise SetupError("jam selesai harus sesudah jam mulai")
    return start, end


def check_token(token: str, base_url: str | None) -> str:
    """The bot's username, or SetupError saying why Telegram refused the token."""
    if ":" not in token or not token.split(":")[0].isdigit():
        raise SetupError("bentuk token salah; token dari @BotFather seperti 123456789:AAH…")
    try:
        with BotApiClient(token, base_url) as api:
            me = api.call("getMe").result
    except BotApiError as exc:
        if exc.code in (401, 404):
            raise SetupError("Telegram menolak token ini (401 Unauthorized); salin lagi dari @BotFather") from None
        raise SetupError(f"tidak bisa memeriksa token: {exc}") from None
    return str(me.get("username") or "")


def check_database(url: str) -> None:
    """Connect once; SetupError with the driver's reason (the password hidden) otherwise."""
    from storage.maintenance import DatabaseUnreachable, InvalidDatabaseUrl, check_connection

    try:
        check_connection(url)
    except InvalidDatabaseUrl as exc:
        raise SetupError(f"URL basis data tidak valid: {exc}") from None
    except DatabaseUnreachable as exc:
        raise SetupError(f"basis data tidak terjangkau: {exc.reason}") from None


class Prompter:
    """Asks on stdin; the token without echo when stdin is a terminal."""

    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive

    def ask(self, question: str, default: str = "", secret: bool = False) -> str:
        if not self.interactive:
            return default
        shown = f" [{default}]" if default and not secret else ""
        prompt = f"{question}{shown}: "
        if secret and sys.stdin.isatty():
            answer = getpass.getpass(prompt)
        else:
            print(prompt, end="", flush=True)
            answer = sys.stdin.readline()
            if not answer:
                raise SetupError("masukan berakhir sebelum setup selesai")
            if secret:
                print()  # the typed token is not repeated; just end the prompt line
        return answer.strip() or default

    def until_valid(self, question: str, default: str, parse: Callable[[str], object], secret: bool = False) -> object:
        """Ask again after a wrong answer (interactive); fail at once otherwise."""
        for attempt in range(5):
            try:
                return parse(self.ask(question, default, secret))
            except SetupError as exc:
                if not self.interactive or attempt == 4:
                    raise
                print(f"  ✗ {exc}")
        raise AssertionError("unreachable")  # pragma: no cover


def gather(args: argparse.Namespace, env_file: Path, ask: Prompter, out: Callable[[str], None]) -> Answers:
    existing = read_env(env_file)
    base_url = args.api_base_url or os.environ.get("TELEGRAM_API_BASE_URL") or existing.get("TELEGRAM_API_BASE_URL")
    given = (
        args.token_file.read_text(encoding="utf-8").strip() if args.token_file
        else os.environ.get("TELEGRAM_BOT_TOKEN") or existing.get("TELEGRAM_BOT_TOKEN") or ""
    )
    if not given and not ask.interactive:
        raise SetupError("tidak ada token: beri --token-file FILE atau TELEGRAM_BOT_TOKEN")
    found: dict[str, str] = {}

    def token_ok(text: str) -> str:
        found["username"] = check_token(text, base_url)
        return text

    question = "Token bot dari @BotFather (tidak ditampilkan)"
    token = str(given and token_ok(given) or ask.until_valid(question, "", token_ok, secret=True))
    out(f"✓ Token diterima Telegram: bot @{found['username']}")
    zone = str(ask.until_valid("Zona waktu (WIB, WITA, WIT)", args.timezone or existing.get("DEFAULT_TIMEZONE") or "WIB", parse_zone))
    default_hours = args.office_hours or "-".join(
        (existing.get("OFFICE_HOURS_START") or "08:00", existing.get("OFFICE_HOURS_END") or "16:00"))
    start, end = ask.until_valid("Jam kerja", default_hours, parse_hours)  # type: ignore[misc]

    def database_ok(text: str) -> str | None:
        if text.lower() in ("", "sqlite"):
            return None
        check_database(text)
        return text

    database_url = ask.until_valid(
        "Basis data: kosong = SQLite di DATA_DIR, atau URL PostgreSQL (postgresql+psycopg://…)",
        args.database_url or existing.get("DATABASE_URL") or "", database_ok,
    )
    out(f"✓ Zona waktu {zone}, jam kerja {start:%H:%M}-{end:%H:%M}")
    return Answers(token, found["username"], zone, start, end, database_url)  # type: ignore[arg-type]


def botfather_steps(username: str) -> str:
    return f"""
Bot siap: https://t.me/{username}

Langkah di @BotFather (sekali saja):
  1. Kirim /setprivacy, pilih @{username}, pilih Disable — agar Pandu membaca pertanyaan
     "apa selanjutnya?" dan balasan berisi bukti di grup (atau jadikan bot admin grup).
  2. Kirim /setjoingroups, pilih @{username}, pilih Enable — agar bot bisa ditambahkan ke grup.
Lalu di Telegram:
  3. Tambahkan bot ke grup kantor: https://t.me/{username}?startgroup=pandu
     (atau buka grup → Tambah anggota → cari @{username}). Bila privasi diubah sesudah bot
     masuk grup, keluarkan lalu tambahkan lagi.
  4. Setiap pelaksana membuka https://t.me/{username} dan menekan Start.
  5. Jalankan bot: python -m bot   (periksa dulu: python -m bot doctor)
"""


#: Registers the command menu with the bot (token, Bot API base URL); the CLI passes the
#: Telegram layer's :func:`handlers.application.publish_with_token`.
Publish = Callable[[str, str | None], Awaitable[None]]


def run_setup(args: argparse.Namespace, publish: Publish, out: Callable[[str], None] = print) -> int:
    from storage.migrate import upgrade

    env_file: Path = args.env_file
    ask = Prompter(not args.non_interactive)
    try:
        answers = gather(args, env_file, ask, out)
        values = {
            "TELEGRAM_BOT_TOKEN": answers.token,
            "DEFAULT_TIMEZONE": answers.timezone,
            "OFFICE_HOURS_START": f"{answers.start:%H:%M}",
            "OFFICE_HOURS_END": f"{answers.end:%H:%M}",
            "DATABASE_URL": answers.database_url or "",
        }
        base_url = args.api_base_url or os.environ.get("TELEGRAM_API_BASE_URL")
        if base_url:
            values["TELEGRAM_API_BASE_URL"] = base_url
        update_env(env_file, values)
        out(f"✓ Konfigurasi ditulis ke {env_file} (mode 0600)")
        url = answers.database_url or _default_database_url(env_file)
        out(f"✓ Skema basis data: {upgrade(url)}")
        asyncio.run(publish(answers.token, base_url or read_env(env_file).get("TELEGRAM_API_BASE_URL")))
        out("✓ Menu perintah terdaftar (Bahasa Indonesia dan English)")
    except SetupError as exc:
        print(f"✗ {exc}", file=sys.stderr)
        return 1
    out(botfather_steps(answers.username))
    return 0


def _default_database_url(env_file: Path) -> str:
    """The SQLite file the bot will use with this .env (its DATA_DIR, if set)."""
    data_dir = read_env(env_file).get("DATA_DIR") or os.environ.get("DATA_DIR")
    if data_dir:
        path = Path(data_dir) if Path(data_dir).is_absolute() else env_file.parent / data_dir
        return f"sqlite:///{(path / 'pandu.sqlite3').as_posix()}"
    from bot.config import Settings

    return Settings(_env_file=None).effective_database_url  # type: ignore[call-arg]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--token-file", type=Path, help="berkas berisi token (bawaan: TELEGRAM_BOT_TOKEN atau tanya)")
    parser.add_argument("--database-url", help="URL PostgreSQL; kosong = SQLite di DATA_DIR")
    parser.add_argument("--timezone", help="WIB, WITA, WIT atau nama zona (bawaan WIB)")
    parser.add_argument("--office-hours", help="jam kerja, mis. 08:00-16:00")
    parser.add_argument("--api-base-url", help="Bot API lain (server lokal atau emulator)")
    parser.add_argument("--env-file", type=Path, default=Path(".env"), help="berkas konfigurasi (bawaan .env)")
    parser.add_argument("--non-interactive", "-y", action="store_true", help="jangan bertanya; pakai flag dan bawaan")

"""`python -m bot db backup FILE` and `db restore FILE`.

SQLite is copied through its online backup API, which reads a consistent snapshot page by
page while the bot keeps writing (WAL), so a backup never needs the bot stopped.
PostgreSQL goes through ``pg_dump``/``pg_restore`` (custom format), found on PATH; the
connection is handed over in ``PG*`` environment variables, never on the command line
where ``ps`` would show the password.

A restore first reads the schema revision inside the backup and refuses one newer than
this code knows (restoring it would leave a database the code cannot read); an older one
is migrated up after the restore. It also saves the current database next to the backup
(``FILE.before-restore-…``) so a restore of the wrong file can itself be undone.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from storage.migrate import upgrade


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why and what to do."""


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    return {script.revision for script in ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()}


def check_revision(revision: str | None, source: Path) -> None:
    if revision is None:
        raise BackupError(f"{source}: tidak ada versi skema Pandu di dalamnya; bukan cadangan Pandu?")
    if revision not in _known_revisions():
        raise BackupError(
            f"{source}: skema {revision} lebih baru dari yang dikenal kode ini; "
            "perbarui Pandu dulu (git pull && pip install -e .), lalu pulihkan lagi"
        )


# -- SQLite --------------------------------------------------------------------------------
def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("basis data SQLite di memori tidak bisa dicadangkan")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Online backup into a temporary file, renamed at the end: never half a target."""
    tmp = target.with_name(f".{target.name}.partial")
    tmp.unlink(missing_ok=True)
    with closing(sqlite3.connect(source, timeout=30)) as src, closing(sqlite3.connect(tmp)) as dst:
        src.backup(dst, pages=1024)
    os.replace(tmp, target)


def _sqlite_revision(path: Path) -> str | None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


# -- PostgreSQL ------------------------------------------------------------------------------
def _pg_env(url: URL) -> tuple[dict[str, str], str | None]:
    """libpq environment for `url`, and the one schema it is confined to (search_path), if any."""
    env = dict(os.environ)
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[key] = str(value)
    options = str(url.query.get("options", ""))
    schema = None
    if options:
        env["PGOPTIONS"] = options
        found = re.search(r"search_path=([A-Za-z0-9_]+)", options)
        schema = found.group(1) if found else None
    return env, schema


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} tidak ditemukan: pasang klien PostgreSQL (Debian/Ubuntu: apt-get install postgresql-client), "
            "versi sama atau lebih baru dari servernya"
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} gagal: {done.stderr.strip()[-800:]}")
    return done.stdout


def _pg_dump(url: URL, target: Path) -> None:
    env, schema = _pg_env(url)
    tmp = target.with_name(f".{target.name}.partial")
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}"]
    _run(command + ([f"--schema={schema}"] if schema else []), env)
    os.replace(tmp, target)


def _pg_revision(source: Path) -> str | None:
    script = _run([_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(source)], dict(os.environ))
    lines = script.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and index + 1 < len(lines):
            value = lines[index + 1].strip()
            return None if value == "\\." else value
    return None


def _pg_restore(url: URL, source: Path) -> None:
    env, _ = _pg_env(url)
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", f"--dbname={env.get('PGDATABASE', '')}", str(source)], env)


# -- the commands ------------------------------------------------------------------------------
def backup(database_url: str, target: Path) -> str:
    """Write a backup of the database to `target`; returns a line saying what was written."""
    url = make_url(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = _sqlite_path(url)
        if not source.exists():
            raise BackupError(f"basis data {source} tidak ada")
        _sqlite_copy(source, target)
        revision = _sqlite_revision(target)
    elif url.get_backend_name() == "postgresql":
        _pg_dump(url, target)
        revision = _pg_revision(target)
    else:
        raise BackupError(f"basis data {url.get_backend_name()} tidak didukung untuk cadangan")
    return f"Cadangan ditulis: {target} ({target.stat().st_size} bytes, skema {revision})"


def restore(database_url: str, source: Path) -> list[str]:
    """Replace the database with the backup in `source` (the bot must be stopped)."""
    if not source.is_file():
        raise BackupError(f"{source}: berkas tidak ada")
    url = make_url(database_url)
    sqlite = url.get_backend_name() == "sqlite"
    check_revision(_sqlite_revision(source) if sqlite else _pg_revision(source), source)
    lines = []
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    safety = source.with_name(f"{source.name}.before-restore-{stamp}")
    if sqlite:
        live = _sqlite_path(url)
        if live.exists():
            _sqlite_copy(live, safety)
            lines.append(f"Basis data sebelumnya disimpan: {safety}")
        live.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(live, timeout=30)) as dst:
            src.backup(dst)
    else:
        _pg_dump(url, safety)
        lines.append(f"Basis data sebelumnya disimpan: {safety}")
        _pg_restore(url, source)
    lines.append(f"Dipulihkan dari {source}; skema sekarang {upgrade(url)}")
    released = _release_claims(database_url)
    if released:
        lines.append(f"{released} pesan keluar yang sedang dikirim saat pencadangan akan dikirim lagi")
    return lines


def _release_claims(database_url: str) -> int:
    """Outbox claims in a backup belong to the senders of the backup's moment, not to anyone
    running now: free them, or the rows would wait out a lease (at least once, never lost)."""
    from sqlalchemy import text

    from storage.db import Database

    db = Database(database_url)
    try:
        with db.transaction() as s:
            result = s.execute(text("UPDATE outbox SET claimed_by = NULL, claimed_until = NULL "
                                    "WHERE claimed_by IS NOT NULL AND sent_at IS NULL"))
            return int(result.rowcount or 0)
    finally:
        db.dispose()

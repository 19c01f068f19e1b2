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

The mechanics (copies, dumps, reading a backup's schema) are :mod:`storage.maintenance`'s;
here are the order of the steps and what the operator is told.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from storage import maintenance
from storage.migrate import upgrade


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why and what to do."""


@contextmanager
def _explained() -> Iterator[None]:
    """The mechanics' failures in the operator's words."""
    try:
        yield
    except maintenance.ToolMissing as exc:
        raise BackupError(
            f"{exc.tool} tidak ditemukan: pasang klien PostgreSQL (Debian/Ubuntu: apt-get install postgresql-client), "
            "versi sama atau lebih baru dari servernya"
        ) from None
    except maintenance.ToolFailed as exc:
        raise BackupError(f"{exc.tool} gagal: {exc.stderr.strip()[-800:]}") from None


def check_revision(revision: str | None, source: Path) -> None:
    if revision is None:
        raise BackupError(f"{source}: tidak ada versi skema Pandu di dalamnya; bukan cadangan Pandu?")
    if revision not in maintenance.known_revisions():
        raise BackupError(
            f"{source}: skema {revision} lebih baru dari yang dikenal kode ini; "
            "perbarui Pandu dulu (git pull && pip install -e .), lalu pulihkan lagi"
        )


def _sqlite_path(database_url: str) -> Path:
    path = maintenance.sqlite_file(database_url)
    if path is None:
        raise BackupError("basis data SQLite di memori tidak bisa dicadangkan")
    return path


# -- the commands ------------------------------------------------------------------------------
def backup(database_url: str, target: Path) -> str:
    """Write a backup of the database to `target`; returns a line saying what was written."""
    backend = maintenance.backend(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _explained():
        if backend == "sqlite":
            source = _sqlite_path(database_url)
            if not source.exists():
                raise BackupError(f"basis data {source} tidak ada")
            maintenance.copy_sqlite(source, target)
            revision = maintenance.sqlite_revision(target)
        elif backend == "postgresql":
            maintenance.pg_dump(database_url, target)
            revision = maintenance.pg_revision(target)
        else:
            raise BackupError(f"basis data {backend} tidak didukung untuk cadangan")
    return f"Cadangan ditulis: {target} ({target.stat().st_size} bytes, skema {revision})"


def restore(database_url: str, source: Path) -> list[str]:
    """Replace the database with the backup in `source` (the bot must be stopped)."""
    if not source.is_file():
        raise BackupError(f"{source}: berkas tidak ada")
    sqlite = maintenance.backend(database_url) == "sqlite"
    lines = []
    with _explained():
        check_revision(maintenance.sqlite_revision(source) if sqlite else maintenance.pg_revision(source), source)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        safety = source.with_name(f"{source.name}.before-restore-{stamp}")
        if sqlite:
            live = _sqlite_path(database_url)
            if live.exists():
                maintenance.copy_sqlite(live, safety)
                lines.append(f"Basis data sebelumnya disimpan: {safety}")
            maintenance.restore_sqlite(source, live)
        else:
            maintenance.pg_dump(database_url, safety)
            lines.append(f"Basis data sebelumnya disimpan: {safety}")
            maintenance.pg_restore(database_url, source)
    lines.append(f"Dipulihkan dari {source}; skema sekarang {upgrade(database_url)}")
    # Outbox claims in a backup belong to the senders of the backup's moment, not to anyone
    # running now: free them, or the rows would wait out a lease (at least once, never lost).
    released = maintenance.release_outbox_claims(database_url)
    if released:
        lines.append(f"{released} pesan keluar yang sedang dikirim saat pencadangan akan dikirim lagi")
    return lines

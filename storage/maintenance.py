"""The database's maintenance mechanics: backup and restore, the schema a backup holds,
a connection check, and the outbox claims a restore must free.

SQLite is copied through its online backup API, which reads a consistent snapshot page by
page while the bot keeps writing (WAL). PostgreSQL goes through ``pg_dump``/``pg_restore``
(custom format), found on PATH; the connection is handed over in ``PG*`` environment
variables, never on the command line where ``ps`` would show the password.

What to do, in which order, and what to tell the operator is :mod:`bot.ops.backup`'s (and
doctor's, setup's); failures here are typed (:class:`MaintenanceError`) so those modules
word them.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from storage.db import Database, make_engine


class MaintenanceError(Exception):
    """A maintenance step that could not be done."""


class ToolMissing(MaintenanceError):
    def __init__(self, tool: str) -> None:
        super().__init__(f"{tool} not found on PATH")
        self.tool = tool


class ToolFailed(MaintenanceError):
    def __init__(self, tool: str, stderr: str) -> None:
        super().__init__(f"{tool} failed: {stderr}")
        self.tool = tool
        self.stderr = stderr


class InvalidDatabaseUrl(MaintenanceError):
    """The URL cannot be read (or names no known driver)."""


class DatabaseUnreachable(MaintenanceError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _reason(exc: Exception) -> str:
    """The driver's first line (SQLAlchemy's wrapper says more than the operator needs)."""
    lines = str(getattr(exc, "orig", exc)).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


# -- URLs ----------------------------------------------------------------------------------
def backend(database_url: str | URL) -> str:
    """``sqlite``, ``postgresql``, …: the URL's backend."""
    return make_url(database_url).get_backend_name()


def sqlite_file(database_url: str | URL) -> Path | None:
    """The file of a SQLite URL; None for another backend or a database in memory."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def shown_url(database_url: str | URL) -> str:
    """The URL to print: the password hidden."""
    return make_url(database_url).render_as_string(hide_password=True)


# -- schema and connection -------------------------------------------------------------------
def known_revisions() -> set[str]:
    """Every schema revision this code ships (a backup at another one is from newer code)."""
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    return {script.revision for script in ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()}


def schema_revision(database_url: str | URL) -> str | None:
    """The revision the database is at (None: never migrated); DatabaseUnreachable if it does not answer."""
    from storage.migrate import current

    try:
        return current(database_url)
    except SQLAlchemyError as exc:
        raise DatabaseUnreachable(_reason(exc)) from None


def check_connection(database_url: str) -> None:
    """Connect once and ask ``SELECT 1``; InvalidDatabaseUrl or DatabaseUnreachable otherwise."""
    try:
        engine = make_engine(make_url(database_url))
    except (ArgumentError, ValueError) as exc:
        raise InvalidDatabaseUrl(str(exc)) from None
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise DatabaseUnreachable(_reason(exc) if str(exc) else type(exc).__name__) from None
    finally:
        engine.dispose()


def release_outbox_claims(database_url: str) -> int:
    """Free the outbox rows claimed but not sent (after a restore: their senders are gone)."""
    db = Database(database_url)
    try:
        with db.transaction() as s:
            result = s.execute(text("UPDATE outbox SET claimed_by = NULL, claimed_until = NULL "
                                    "WHERE claimed_by IS NOT NULL AND sent_at IS NULL"))
            return int(result.rowcount or 0)
    finally:
        db.dispose()


# -- SQLite --------------------------------------------------------------------------------
def copy_sqlite(source: Path, target: Path) -> None:
    """Online backup into a temporary file, renamed at the end: never half a target."""
    tmp = target.with_name(f".{target.name}.partial")
    tmp.unlink(missing_ok=True)
    with closing(sqlite3.connect(source, timeout=30)) as src, closing(sqlite3.connect(tmp)) as dst:
        src.backup(dst, pages=1024)
    os.replace(tmp, target)


def restore_sqlite(source: Path, live: Path) -> None:
    """Copy the backup `source` over the live database file, through the backup API."""
    live.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(live, timeout=30)) as dst:
        src.backup(dst)


def sqlite_revision(path: Path) -> str | None:
    """The schema revision inside a SQLite file (None: not a Pandu database)."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


# -- PostgreSQL ------------------------------------------------------------------------------
def _pg_env(database_url: str | URL) -> tuple[dict[str, str], str | None]:
    """libpq environment for the URL, and the one schema it is confined to (search_path), if any."""
    url = make_url(database_url)
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
        raise ToolMissing(name)
    return found


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise ToolFailed(Path(command[0]).name, done.stderr)
    return done.stdout


def pg_dump(database_url: str | URL, target: Path) -> None:
    """``pg_dump`` (custom format, only the URL's schema if it names one) into `target`."""
    env, schema = _pg_env(database_url)
    tmp = target.with_name(f".{target.name}.partial")
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}"]
    _run(command + ([f"--schema={schema}"] if schema else []), env)
    os.replace(tmp, target)


def pg_revision(source: Path) -> str | None:
    """The schema revision inside a ``pg_dump`` file (None: none found)."""
    script = _run([_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(source)], dict(os.environ))
    lines = script.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and index + 1 < len(lines):
            value = lines[index + 1].strip()
            return None if value == "\\." else value
    return None


def pg_restore(database_url: str | URL, source: Path) -> None:
    """Replace the database's objects with the backup's, in one transaction."""
    env, _ = _pg_env(database_url)
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", f"--dbname={env.get('PGDATABASE', '')}", str(source)], env)

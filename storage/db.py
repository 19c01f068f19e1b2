"""Connections and units of work.

SQLite needs care to be a good citizen under concurrent writers: Python's driver starts
transactions lazily as DEFERRED, so two connections that both read and then write
deadlock on the lock upgrade and one fails at once with "database is locked", whatever
the busy timeout. Starting every write transaction with ``BEGIN IMMEDIATE`` takes the
write lock up front, so writers queue (up to the busy timeout) instead. Read-only units
of work start a plain deferred ``BEGIN`` and, thanks to WAL, never block the writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session

if TYPE_CHECKING:
    from bot.config import Settings

#: Seconds a SQLite writer waits for the lock before giving up.
SQLITE_BUSY_TIMEOUT = 30.0
_READONLY = "pandu_readonly"


def default_url(settings: Settings | None = None) -> str:
    """The configured database URL (a SQLite file under the data directory by default)."""
    if settings is None:
        from bot.config import load_settings

        settings = load_settings()
    return settings.effective_database_url


def _sqlite_file(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver; the "begin" hook below does it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        readonly = connection.get_execution_options().get(_READONLY, False)
        connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """A SQLAlchemy engine with Pandu's per-backend settings (SQLite pragmas, pre-ping)."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        path = _sqlite_file(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT}
        connect_args.update(kwargs.pop("connect_args", {}))
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        _install_sqlite_hooks(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


class Database:
    """One database: the engine plus units of work. Cheap to share between threads."""

    def __init__(self, url: str | URL | None = None, **engine_kwargs: Any) -> None:
        self.url = make_url(url if url is not None else default_url())
        self.engine = make_engine(self.url, **engine_kwargs)
        self._readonly_engine = self.engine.execution_options(**{_READONLY: True})

    @classmethod
    def from_settings(cls, settings: Settings, **engine_kwargs: Any) -> Database:
        return cls(settings.effective_database_url, **engine_kwargs)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self, readonly: bool = False) -> Iterator[Session]:
        """A unit of work: commits when the block ends normally, rolls back on any exception.

        Read-only units never take SQLite's write lock; they are rolled back at the end,
        after detaching the rows read so these stay readable outside the block.
        """
        bind = self._readonly_engine if readonly else self.engine
        with Session(bind, expire_on_commit=False, autoflush=True) as session:
            try:
                yield session
                if readonly:
                    session.expunge_all()  # keep what was read usable: rollback would expire it
                    session.rollback()
                else:
                    session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        """Close every pooled connection (tests, shutdown)."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"

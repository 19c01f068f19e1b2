"""The schema comes from Alembic migrations, and the models never drift from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.config import Settings
from storage.db import Database, make_engine
from storage.migrate import current, head, upgrade
from storage.models import Base

TABLES = {
    "sop_versions", "chats", "users", "runs", "role_assignments", "tasks", "evidence", "audit_events", "outbox",
    "nag_log", "monev_evaluations", "monev_actions", "monev_signoffs", "catalog_entries", "catalog_versions", "sop_drafts",
    "delegations", "task_cards", "open_prompts",
}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_on_an_empty_database_creates_every_table(empty_db_url: str) -> None:
    assert current(empty_db_url) is None
    assert upgrade(empty_db_url) == head()
    assert _tables(empty_db_url) == TABLES | {"alembic_version"}
    assert current(empty_db_url) == head()


def test_upgrade_twice_changes_nothing(empty_db_url: str) -> None:
    first = upgrade(empty_db_url)
    assert upgrade(empty_db_url) == first
    assert _tables(empty_db_url) == TABLES | {"alembic_version"}


def test_models_match_the_migrations(db_url: str) -> None:
    """A model change without its migration fails here, before it can lose data."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_upgrade_needs_no_alembic_ini_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{(tmp_path / 'x.sqlite3').as_posix()}"
    assert upgrade(url) == head()


def test_default_database_is_a_sqlite_file_in_the_data_dir_which_is_created(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "nested" / "data")  # type: ignore[call-arg]
    assert upgrade(settings.effective_database_url) == head()
    assert (tmp_path / "nested" / "data" / "pandu.sqlite3").is_file()
    db = Database.from_settings(settings)
    try:
        assert db.dialect == "sqlite"
        with db.transaction() as session:
            assert session.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        db.dispose()

"""Run the Alembic migrations from code.

The bot upgrades its database on start and the CLI exposes ``db upgrade``; neither may
depend on an ``alembic.ini`` in the working directory, so the configuration is built
here and the scripts are found next to this file (which also works from an editable
or regular install, the scripts being package data).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, make_url

from storage.db import default_url, make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | URL | None = None) -> Config:
    """An Alembic configuration pointing at Pandu's scripts and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    rendered = make_url(url if url is not None else default_url()).render_as_string(hide_password=False)
    # ConfigParser interpolation would eat the % of URL-encoded characters.
    config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def head() -> str:
    """The newest revision shipped with this code."""
    revision = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert revision is not None, "no migration scripts found"
    return revision


def current(url: str | URL | None = None) -> str | None:
    """The revision the database is at, or None for a database never migrated."""
    engine = make_engine(url if url is not None else default_url())
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade(url: str | URL | None = None, revision: str = "head") -> str:
    """Bring the database up to `revision` (idempotent) and return the revision it is at."""
    command.upgrade(alembic_config(url), revision)
    reached = current(url)
    assert reached is not None
    return reached

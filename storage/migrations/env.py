"""Alembic environment: Pandu's own metadata, batch mode on SQLite, no alembic.ini needed.

Run through :mod:`storage.migrate`, which builds the configuration in code. Types that
only exist in application code (UTCDateTime, SQLModel's AutoString) are rendered as plain
SQLAlchemy types, so migration scripts never import the models they predate.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context
from sqlmodel.sql.sqltypes import AutoString

from storage.db import make_engine
from storage.models import Base
from storage.types import UTCDateTime

config = context.config
#: pg_advisory_xact_lock key serializing concurrent upgrades of one database ("pandu" in ASCII).
MIGRATION_LOCK = 0x70616E6475
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_item=render_item,
        compare_type=True,
        **kwargs,
    )


def run_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    _configure(url=url, literal_binds=True, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = make_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
            with context.begin_transaction():
                if connection.dialect.name == "postgresql":
                    # Two workers starting at once: the second waits here until the first
                    # committed, then finds the schema at head and does nothing.
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()

"""Column types shared by the tables.

SQLite has no time zone type: SQLAlchemy's ``DateTime(timezone=True)`` stores whatever
offset it is given as text and hands back naive values. Comparing such strings in SQL
(``due_at < :now``) is only correct when every value is in the same zone, so everything
is normalised to UTC on the way in and comes back UTC-aware on every backend.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always UTC-aware in Python; naive values are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime refused (store aware UTC values): {value!r}")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            # Text comparison in SQL only works when all values share one zone and format.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw text written by hand into SQLite
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """The default clock: aware UTC now."""
    return datetime.now(UTC)

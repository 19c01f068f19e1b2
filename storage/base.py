"""The declarative base of Pandu's tables and the column helpers they share.

Its own module so the table modules (:mod:`storage.models`, :mod:`storage.catalog_models`)
can each import it without importing one another.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, MetaData, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

#: Deterministic constraint names, so migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(SQLModel):
    """Own metadata: tables other code may declare on SQLModel's must not leak into ours."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _in(column: str, values: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


def _when(column: str, value: str) -> dict[str, Any]:
    """Partial-index predicate for both dialects that support one."""
    clause = text(f"{column} = '{value}'")
    return {"sqlite_where": clause, "postgresql_where": clause}


def _ts(nullable: bool = True) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable)


def _user_fk(nullable: bool = True) -> Any:
    return Field(default=None, sa_type=BigInteger, foreign_key="users.id", nullable=nullable)

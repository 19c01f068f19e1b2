"""The tables of the SOP catalogue managed in chat: entries, their published versions,
and the drafts SOP admins review before publishing.

A published version points at the exact content in ``sop_versions`` (the row runs pin),
so a run started from version 2 keeps running version 2 whatever is published later.
``(sop_id, version)`` is unique: when two admins publish the same SOP at once, one insert
wins and the other transaction fails whole, leaving nothing half-written.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field

from storage.base import Base, _in, _ts


class CatalogStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class DraftStatus(StrEnum):
    OPEN = "open"
    PUBLISHED = "published"
    DISCARDED = "discarded"


class CatalogEntry(Base, table=True):
    """One SOP id of the catalogue: who may see it (scope) and whether new runs may start."""

    __tablename__ = "catalog_entries"
    __table_args__ = (CheckConstraint(_in("status", CatalogStatus), name="status"),)

    sop_id: str = Field(primary_key=True, max_length=48)
    #: None: the whole bot (SOP admins manage it); a chat id: that group only (its admins).
    scope_chat_id: int | None = Field(default=None, sa_type=BigInteger, index=True)
    status: str = Field(default=CatalogStatus.ACTIVE, max_length=16)
    latest_version: int = Field(default=0)
    #: Bumped by every change; every process compares the sum with its cache (the cheap check).
    revision: int = Field(default=1)
    changed_at: datetime = _ts(nullable=False)
    changed_by: int | None = Field(default=None, sa_type=BigInteger)


class CatalogVersion(Base, table=True):
    """A published version: which content, who published it, when, and from which file."""

    __tablename__ = "catalog_versions"
    __table_args__ = (UniqueConstraint("sop_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    sop_id: str = Field(max_length=48, foreign_key="catalog_entries.sop_id")
    version: int
    sop_version_id: int = Field(foreign_key="sop_versions.id")
    #: "seed" (a file of SOP_DIR loaded at start) or "upload" (a document sent in chat).
    origin: str = Field(max_length=16)
    published_by: int | None = Field(default=None, sa_type=BigInteger)
    published_at: datetime = _ts(nullable=False)
    source_name: str = Field(max_length=255)
    source_hash: str = Field(max_length=64)


class SopDraft(Base, table=True):
    """An imported document under review; only its owner may fix or publish it."""

    __tablename__ = "sop_drafts"
    __table_args__ = (
        CheckConstraint(_in("status", DraftStatus), name="status"),
        Index(None, "status", "expires_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(sa_type=BigInteger)
    chat_id: int = Field(sa_type=BigInteger)
    scope_chat_id: int | None = Field(default=None, sa_type=BigInteger)
    status: str = Field(default=DraftStatus.OPEN, max_length=16)
    content: dict[str, Any] = Field(sa_type=JSON)
    #: The importer's notes that do not block publishing (a stated total that differs…).
    notes: list[str] = Field(default_factory=list, sa_type=JSON)
    #: What the owner is in the middle of: a picker's selection, or the question awaiting a reply.
    pending: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    source_name: str = Field(max_length=255)
    source_hash: str = Field(max_length=64)
    #: The latest version of the draft's SOP id when it was made; publishing makes base + 1.
    base_version: int = Field(default=0)
    created_at: datetime = _ts(nullable=False)
    updated_at: datetime = _ts(nullable=False)
    expires_at: datetime = _ts(nullable=False)

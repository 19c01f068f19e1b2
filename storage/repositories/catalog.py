"""The catalogue's repository: entries, versions and drafts over one open session.

No rules here beyond what the database enforces (unique (sop_id, version), the entry's
primary key); :mod:`bot.catalog` decides, inside one transaction it opened, what to
write. Rows come back as the tables' objects: the catalogue's use cases change a draft
or an entry in place and the transaction's end writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.catalog_models import (
    CatalogEntry,
    CatalogStatus,
    CatalogVersion,
    DraftStatus,
    SopDraft,
)
from storage.models import SopVersion


class CatalogRepository:
    """Catalogue rows; `session` is the caller's open transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def revision_key(self) -> tuple[int, int]:
        """Changes whenever any entry is added or changed: (entries, sum of their revisions)."""
        count, total = self.session.execute(
            select(func.count(), func.coalesce(func.sum(CatalogEntry.revision), 0)).select_from(CatalogEntry)
        ).one()
        return int(count), int(total)

    def latest_rows(self) -> list[tuple[CatalogEntry, CatalogVersion]]:
        """Every entry with its latest version (the content is fetched apart: see `contents`)."""
        query = (
            select(CatalogEntry, CatalogVersion)
            .join(CatalogVersion, (col(CatalogVersion.sop_id) == col(CatalogEntry.sop_id))
                  & (col(CatalogVersion.version) == col(CatalogEntry.latest_version)))
            .order_by(col(CatalogEntry.sop_id))
        )
        return [(e, v) for e, v in self.session.exec(query)]

    def contents(self, version_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """The stored definitions of these ``sop_versions`` rows, by id (only those not yet parsed)."""
        wanted = sorted(set(version_ids))
        if not wanted:
            return {}
        rows = self.session.execute(select(SopVersion.id, SopVersion.content).where(col(SopVersion.id).in_(wanted)))
        return {int(i): c for i, c in rows}

    def get_entry(self, sop_id: str, *, lock: bool = False) -> CatalogEntry | None:
        query = select(CatalogEntry).where(CatalogEntry.sop_id == sop_id)
        if lock:
            query = query.with_for_update()
        return self.session.exec(query).first()

    def versions(self, sop_id: str) -> list[tuple[CatalogVersion, SopVersion]]:
        """Every version of an entry with its stored definition, oldest first."""
        query = (
            select(CatalogVersion, SopVersion)
            .join(SopVersion, col(SopVersion.id) == col(CatalogVersion.sop_version_id))
            .where(CatalogVersion.sop_id == sop_id)
            .order_by(col(CatalogVersion.version))
        )
        return [(v, c) for v, c in self.session.exec(query)]

    def add_entry(self, sop_id: str, scope_chat_id: int | None, now: datetime, by: int | None) -> CatalogEntry:
        entry = CatalogEntry(sop_id=sop_id, scope_chat_id=scope_chat_id, status=CatalogStatus.ACTIVE,
                             latest_version=0, revision=1, changed_at=now, changed_by=by)
        self.session.add(entry)
        self.session.flush()  # the primary key: a concurrent first publication of the same id fails here
        return entry

    def add_version(self, entry: CatalogEntry, version: int, content: SopVersion, *, origin: str,
                    by: int | None, now: datetime, source_name: str, source_hash: str) -> CatalogVersion:
        """Store version `version` of the entry and make it the latest (the unique key decides races)."""
        assert content.id is not None
        row = CatalogVersion(sop_id=entry.sop_id, version=version, sop_version_id=content.id, origin=origin,
                             published_by=by, published_at=now, source_name=source_name[:255],
                             source_hash=source_hash)
        self.session.add(row)
        self.session.flush()
        entry.latest_version = version
        entry.status = CatalogStatus.ACTIVE
        touch(entry, now, by)
        return row

    # -- drafts -------------------------------------------------------------------------------
    def add_draft(self, **values: Any) -> SopDraft:
        draft = SopDraft(status=DraftStatus.OPEN, **values)
        self.session.add(draft)
        self.session.flush()
        return draft

    def get_draft(self, draft_id: int, *, lock: bool = False) -> SopDraft | None:
        query = select(SopDraft).where(SopDraft.id == draft_id)
        if lock:
            query = query.with_for_update()
        return self.session.exec(query).first()

    def discard_expired(self, now: datetime) -> int:
        """Expired open drafts are discarded (kept as rows, contents dropped): they take no room."""
        rows = list(self.session.exec(select(SopDraft).where(SopDraft.status == DraftStatus.OPEN,
                                                             col(SopDraft.expires_at) <= now)))
        for row in rows:
            row.status, row.content, row.pending = DraftStatus.DISCARDED, {}, None
        return len(rows)


def touch(entry: CatalogEntry, now: datetime, by: int | None) -> None:
    """Every change bumps the revision, so every process sees it on its next check."""
    entry.revision += 1
    entry.changed_at, entry.changed_by = now, by

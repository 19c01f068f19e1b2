"""Drafts under review: create one from an import, apply fixes, remember what is pending.

Synchronous, one short transaction per call (the handlers run it in a worker thread, like
the engine). A draft belongs to whoever uploaded it: every call names the person and is
refused for anyone else, and for a draft that expired or was already published.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.catalog.views import CatalogError, DraftView
from storage.catalog_models import DraftStatus, SopDraft
from storage.db import Database
from storage.repositories.catalog import CatalogRepository
from storage.types import utcnow

Fix = Callable[[dict[str, Any]], dict[str, Any]]


def draft_view(row: SopDraft) -> DraftView:
    assert row.id is not None
    return DraftView(
        id=row.id, owner_id=row.owner_id, chat_id=row.chat_id, scope_chat_id=row.scope_chat_id,
        status=row.status, content=dict(row.content or {}), notes=tuple(row.notes or ()),
        pending=dict(row.pending) if row.pending else None, source_name=row.source_name,
        source_hash=row.source_hash, base_version=row.base_version, expires_at=row.expires_at,
    )


class DraftService:
    """Drafts in the database, so a review survives a restart; they expire after `ttl`."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow,
                 ttl: timedelta = timedelta(hours=72)) -> None:
        self.db, self.clock, self.ttl = db, clock, ttl

    def base_version(self, repo: CatalogRepository, sop_id: object, scope_chat_id: int | None) -> int:
        """The version a publication of `sop_id` would follow (0: a new SOP)."""
        entry = repo.get_entry(sop_id) if isinstance(sop_id, str) else None
        return entry.latest_version if entry is not None else 0

    def create(self, owner_id: int, chat_id: int, scope_chat_id: int | None, content: dict[str, Any],
               notes: list[str], source_name: str, source_hash: str) -> DraftView:
        now = self.clock()
        with self.db.transaction() as s:
            repo = CatalogRepository(s)
            repo.discard_expired(now)
            row = repo.add_draft(
                owner_id=owner_id, chat_id=chat_id, scope_chat_id=scope_chat_id, content=content,
                notes=notes, pending=None, source_name=source_name, source_hash=source_hash,
                base_version=self.base_version(repo, content.get("id"), scope_chat_id),
                created_at=now, updated_at=now, expires_at=now + self.ttl,
            )
            return draft_view(row)

    def owned(self, repo: CatalogRepository, draft_id: int, user_id: int, *, lock: bool = False) -> SopDraft:
        """The open draft `draft_id` of `user_id`, or the reason it cannot be used."""
        row = repo.get_draft(draft_id, lock=lock)
        if row is None:
            raise CatalogError("draft_gone")
        if row.owner_id != user_id:
            raise CatalogError("not_owner")
        if row.status == DraftStatus.PUBLISHED:
            raise CatalogError("draft_published")
        if row.status != DraftStatus.OPEN or row.expires_at <= self.clock():
            raise CatalogError("draft_expired")
        return row

    def get(self, draft_id: int, user_id: int) -> DraftView:
        with self.db.transaction(readonly=True) as s:
            return draft_view(self.owned(CatalogRepository(s), draft_id, user_id))

    def apply(self, draft_id: int, user_id: int, fix: Fix) -> DraftView:
        """Apply one fix (a FixError leaves the draft as it was); the pending question is answered."""
        with self.db.transaction() as s:
            repo = CatalogRepository(s)
            row = self.owned(repo, draft_id, user_id, lock=True)
            before = row.content.get("id")
            row.content = fix(dict(row.content))
            if row.content.get("id") != before:
                row.base_version = self.base_version(repo, row.content.get("id"), row.scope_chat_id)
            row.pending, row.updated_at = None, self.clock()
            return draft_view(row)

    def set_pending(self, draft_id: int, user_id: int, pending: dict[str, Any] | None) -> DraftView:
        """Remember a picker's selection or the question awaiting a reply (survives restarts)."""
        with self.db.transaction() as s:
            row = self.owned(CatalogRepository(s), draft_id, user_id, lock=True)
            row.pending, row.updated_at = pending, self.clock()
            return draft_view(row)

    def discard(self, draft_id: int, user_id: int) -> None:
        with self.db.transaction() as s:
            row = self.owned(CatalogRepository(s), draft_id, user_id, lock=True)
            row.status, row.content, row.pending, row.updated_at = DraftStatus.DISCARDED, {}, None, self.clock()

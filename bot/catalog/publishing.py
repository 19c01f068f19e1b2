"""Publishing, withdrawing and restoring catalogue entries; version history; the seeds.

A publication is one transaction: the checked definition is stored (or found) in
``sop_versions``, version base + 1 is inserted, the entry points at it and its revision is
bumped, the draft is closed. When two admins publish the same SOP at once, the unique
(sop_id, version) key (or the entry's primary key, for a new SOP) lets one commit; the
other's transaction fails whole, and its draft is re-based on the winner so that pressing
"Terbitkan" again knowingly publishes the next version.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.catalog import rules
from bot.catalog.review import review
from bot.catalog.rules import Manager
from bot.catalog.service import DraftService
from bot.catalog.views import CatalogError, CatalogItem, Published, VersionInfo
from bot.domain.sop import SopDefinition
from storage.repositories.run_store import pin_version
from storage.catalog_models import CatalogStatus, DraftStatus
from storage.db import Database
from storage.errors import ConstraintViolation
from storage.repositories.catalog import CatalogRepository, touch
from storage.types import utcnow

logger = logging.getLogger(__name__)


def version_info(version: Any, content: Any) -> VersionInfo:
    return VersionInfo(version=version.version, published_at=version.published_at, published_by=version.published_by,
                       origin=version.origin, source_name=version.source_name, source_hash=version.source_hash,
                       content_hash=content.content_hash, nama=content.nama)


class Publisher:
    def __init__(self, db: Database, drafts: DraftService, clock: Callable[[], datetime] = utcnow) -> None:
        self.db, self.drafts, self.clock = db, drafts, clock

    def publish(self, draft_id: int, manager: Manager) -> Published:
        """Publish the draft as the next version of its SOP id; CatalogError when it may not."""
        now = self.clock()
        try:
            with self.db.transaction() as s:
                repo = CatalogRepository(s)
                draft = self.drafts.owned(repo, draft_id, manager.user_id, lock=True)
                if not manager.may_manage(draft.scope_chat_id):
                    raise CatalogError("not_allowed")
                checked = review(draft.content)
                if checked.definition is None:
                    raise CatalogError("draft_not_ready", count=len(checked.blocking))
                sop = checked.definition
                entry = repo.get_entry(sop.id, lock=True)
                if entry is not None and rules.scope_conflict(entry.scope_chat_id, draft.scope_chat_id):
                    raise CatalogError("scope_conflict", sop_id=sop.id, scope=entry.scope_chat_id)
                if entry is not None and entry.latest_version != draft.base_version:
                    raise _Outdated()
                if entry is None:
                    entry = repo.add_entry(sop.id, draft.scope_chat_id, now, manager.user_id)
                version = rules.next_version(draft.base_version)
                repo.add_version(entry, version, pin_version(s, sop, now), origin="upload", by=manager.user_id,
                                 now=now, source_name=draft.source_name, source_hash=draft.source_hash)
                draft.status, draft.pending, draft.updated_at = DraftStatus.PUBLISHED, None, now
                return Published(sop.id, version, draft.scope_chat_id, sop.nama)
        except (ConstraintViolation, _Outdated):
            raise self._lost(draft_id, manager.user_id) from None

    def _lost(self, draft_id: int, user_id: int) -> CatalogError:
        """Another publication of the same id won: re-base the draft on it and say who and which."""
        with self.db.transaction() as s:
            repo = CatalogRepository(s)
            draft = self.drafts.owned(repo, draft_id, user_id, lock=True)
            entry = repo.get_entry(str(draft.content.get("id")))
            if entry is None:  # pragma: no cover - the winner's row is committed
                return CatalogError("publish_failed")
            draft.base_version = entry.latest_version
            return CatalogError("version_taken", sop_id=entry.sop_id, version=entry.latest_version,
                                by=entry.changed_by)

    def withdraw(self, sop_id: str, manager: Manager, chat_id: int | None) -> CatalogItem:
        """No new runs of `sop_id`; runs under way go on (they pin their version)."""
        return self.set_status(sop_id, manager, chat_id, CatalogStatus.WITHDRAWN)

    def restore(self, sop_id: str, manager: Manager, chat_id: int | None) -> CatalogItem:
        """Undo a withdrawal."""
        return self.set_status(sop_id, manager, chat_id, CatalogStatus.ACTIVE)

    def set_status(self, sop_id: str, manager: Manager, chat_id: int | None, status: CatalogStatus) -> CatalogItem:
        """Withdraw or restore an entry, by who may manage it, from a chat that may see it."""
        with self.db.transaction() as s:
            repo = CatalogRepository(s)
            entry = repo.get_entry(sop_id, lock=True)
            if entry is None or not rules.visible_in(entry.scope_chat_id, chat_id):
                raise CatalogError("unknown_sop", sop_id=sop_id)
            if not manager.may_manage(entry.scope_chat_id):
                raise CatalogError("not_allowed")
            if entry.status == status:
                raise CatalogError("already_" + status.value, sop_id=sop_id)
            entry.status = status
            touch(entry, self.clock(), manager.user_id)
            versions = repo.versions(sop_id)
            content = versions[-1][1]
            definition = SopDefinition.model_validate(content.content)
            return CatalogItem(entry.sop_id, entry.scope_chat_id, entry.status, entry.latest_version, definition,
                               entry.changed_at, entry.changed_by)

    def history(self, sop_id: str) -> list[VersionInfo]:
        with self.db.transaction(readonly=True) as s:
            repo = CatalogRepository(s)
            return [version_info(v, c) for v, c in repo.versions(sop_id)]

    def version(self, sop_id: str, number: int | None) -> tuple[VersionInfo, SopDefinition] | None:
        """One version (the latest when `number` is None) with its definition."""
        with self.db.transaction(readonly=True) as s:
            repo = CatalogRepository(s)
            rows = repo.versions(sop_id)
            found = rows[-1:] if number is None else [r for r in rows if r[0].version == number]
            if not found:
                return None
            version, content = found[0]
            return version_info(version, content), SopDefinition.model_validate(content.content)

    # -- the seeds: SOP_DIR files loaded at start --------------------------------------------
    def seed(self, loaded: dict[str, Any]) -> int:
        """Publish each seed file not yet in the catalogue, or edited since its last seeding."""
        published = 0
        for sop_id, item in loaded.items():
            for _attempt in range(2):  # a second process seeding at the same moment: look again
                try:
                    published += self._seed_one(sop_id, item)
                    break
                except ConstraintViolation:
                    continue
        return published

    def _seed_one(self, sop_id: str, item: Any) -> int:
        sop: SopDefinition = item.definition
        path = item.path
        now = self.clock()
        with self.db.transaction() as s:
            repo = CatalogRepository(s)
            entry = repo.get_entry(sop_id, lock=True)
            if entry is not None:
                if entry.scope_chat_id is not None or entry.status != CatalogStatus.ACTIVE:
                    return 0
                latest = repo.versions(sop_id)[-1]
                if latest[0].origin != "seed" or latest[1].content_hash == sop.content_hash():
                    return 0
            else:
                entry = repo.add_entry(sop_id, None, now, None)
            repo.add_version(entry, entry.latest_version + 1, pin_version(s, sop, now), origin="seed", by=None,
                             now=now, source_name=f"{path.parent.name}/{path.name}",
                             source_hash=hashlib.sha256(path.read_bytes()).hexdigest())
            return 1


class _Outdated(Exception):
    """The draft was based on an older version than the latest one."""

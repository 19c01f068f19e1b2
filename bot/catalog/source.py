"""The catalogue the engine and the handlers read: the database's, fresh in every process.

Each read first asks the database one cheap question (how many entries, and the sum of
their revisions); only when the answer changed — another process published, withdrew or
restored something — are the entries read again. A publication is therefore seen by
every bot process on its next `/sop` or `/mulai`, without a restart. The definitions of
versions already seen are kept, so a reload parses only what is new.

The files of ``SOP_DIR`` are the seed: published once, as the first version of their id,
by the first read (so after the schema upgrade of ``post_init``), and again when a file
was edited on the server (an SOP last published from chat is never overwritten by one).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.catalog.rules import visible_in
from bot.catalog.views import CatalogItem
from bot.domain.sop import SopDefinition
from storage.db import Database
from storage.repositories.catalog import CatalogRepository
from storage.types import utcnow

logger = logging.getLogger(__name__)


class DbCatalog:
    """``get``/``list`` for the engine's :class:`~bot.engine.ports.SopCatalog`, plus scoped reads."""

    def __init__(self, db: Database, seeds: Callable[[], Any] | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db, self._seeds, self.clock = db, seeds, clock
        self._lock = threading.Lock()
        self._seeded = seeds is None
        self._key: tuple[int, int] | None = None
        self._items: dict[str, CatalogItem] = {}
        self._parsed: dict[int, SopDefinition] = {}

    # -- freshness ------------------------------------------------------------------------
    def seed_now(self) -> None:
        """Publish the seed files (once per process); later reads skip this."""
        from bot.catalog.publishing import Publisher
        from bot.catalog.service import DraftService

        with self._lock:
            if self._seeded or self._seeds is None:
                return
            loaded = self._seeds()
            sops = getattr(loaded, "sops", loaded)
            count = Publisher(self.db, DraftService(self.db, self.clock), self.clock).seed(dict(sops))
            if count:
                logger.info("catalogue: %d SOP file(s) of the seed folder published", count)
            self._seeded = True

    def items(self) -> dict[str, CatalogItem]:
        """Every entry (withdrawn ones too), re-read only when the revision key moved."""
        if not self._seeded:
            self.seed_now()
        with self.db.transaction(readonly=True) as s:
            repo = CatalogRepository(s)
            key = repo.revision_key()
            with self._lock:
                if key == self._key:
                    return self._items
            rows = repo.latest_rows()
            missing = [v.sop_version_id for _e, v in rows if v.sop_version_id not in self._parsed]
            for content_id, content in repo.contents(missing).items():  # only what is new here
                self._parsed[content_id] = SopDefinition.model_validate(content)
            items = {}
            for entry, version in rows:
                items[entry.sop_id] = CatalogItem(entry.sop_id, entry.scope_chat_id, entry.status, version.version,
                                                  self._parsed[version.sop_version_id], entry.changed_at,
                                                  entry.changed_by)
        with self._lock:
            self._key, self._items = key, items
        return items

    # -- the engine's port ------------------------------------------------------------------
    def get(self, sop_id: str) -> SopDefinition | None:
        """An active SOP of any scope (the engine pins what it starts)."""
        item = self.items().get(sop_id)
        return item.definition if item is not None and item.active else None

    def get_for(self, sop_id: str, chat_id: int | None) -> SopDefinition | None:
        """An active SOP that may be used in `chat_id` (whole-bot ones, and that group's)."""
        item = self.items().get(sop_id)
        if item is None or not item.active or not visible_in(item.scope_chat_id, chat_id):
            return None
        return item.definition

    def list(self) -> list[SopDefinition]:
        """The active whole-bot SOPs."""
        return [i.definition for i in self.items().values() if i.active and i.scope_chat_id is None]

    # -- for the handlers ---------------------------------------------------------------------
    def item(self, sop_id: str) -> CatalogItem | None:
        return self.items().get(sop_id)

    def listed_in(self, chat_id: int | None) -> list[CatalogItem]:
        """What /sop lists in a chat: active whole-bot SOPs and, in a group, the group's own."""
        found = [i for i in self.items().values() if i.active and visible_in(i.scope_chat_id, chat_id)]
        return sorted(found, key=lambda i: i.sop_id)

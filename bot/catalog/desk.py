"""The catalogue's services as the handlers reach them, built once per bot.

With the database catalogue (production) everything is there; an engine built by a test
over a plain dict of definitions still lists and starts those, as whole-bot SOPs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.catalog.publishing import Publisher
from bot.catalog.service import DraftService
from bot.catalog.source import DbCatalog
from bot.catalog.views import CatalogItem
from storage.db import Database


@dataclass
class CatalogDesk:
    drafts: DraftService
    publisher: Publisher
    source: DbCatalog | None
    #: The engine's catalogue (any source): used when it is not the database's.
    fallback: Any

    @classmethod
    def build(cls, db: Database, engine_catalog: Any, clock: Callable[[], datetime], ttl: timedelta) -> CatalogDesk:
        drafts = DraftService(db, clock, ttl)
        inner = getattr(engine_catalog, "_source", engine_catalog)
        return cls(drafts, Publisher(db, drafts, clock), inner if isinstance(inner, DbCatalog) else None,
                   engine_catalog)

    def listed_in(self, chat_id: int | None) -> list[CatalogItem]:
        if self.source is not None:
            return self.source.listed_in(chat_id)
        return [CatalogItem(d.id, None, "active", 0, d) for d in self.fallback.list()]

    def item(self, sop_id: str) -> CatalogItem | None:
        if self.source is not None:
            return self.source.item(sop_id)
        found = self.fallback.get(sop_id)
        return CatalogItem(found.id, None, "active", 0, found) if found is not None else None

    def refresh(self) -> None:
        """Read the entries again now (after this process changed one)."""
        if self.source is not None:
            self.source.items()

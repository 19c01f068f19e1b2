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
    #: The engine's catalogue (its source is the database's in production, a dict in some tests).
    fallback: Any

    @classmethod
    def build(cls, db: Database, engine_catalog: Any, clock: Callable[[], datetime], ttl: timedelta) -> CatalogDesk:
        drafts = DraftService(db, clock, ttl)
        return cls(drafts, Publisher(db, drafts, clock), engine_catalog)

    @property
    def source(self) -> DbCatalog | None:
        """The database catalogue behind the engine's, looked up each time (a test may swap it)."""
        inner = getattr(self.fallback, "_source", self.fallback)
        return inner if isinstance(inner, DbCatalog) else None

    def listed_in(self, chat_id: int | None) -> list[CatalogItem]:
        source = self.source
        if source is not None:
            return source.listed_in(chat_id)
        return [CatalogItem(d.id, None, "active", 0, d) for d in self.fallback.list()]

    def item(self, sop_id: str) -> CatalogItem | None:
        source = self.source
        if source is not None:
            return source.item(sop_id)
        found = self.fallback.get(sop_id)
        return CatalogItem(found.id, None, "active", 0, found) if found is not None else None

    def refresh(self) -> None:
        """Read the entries again now (after this process changed one)."""
        source = self.source
        if source is not None:
            source.items()

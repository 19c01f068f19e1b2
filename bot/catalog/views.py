"""Frozen views of the catalogue and of drafts, and the errors of its use cases.

What the handlers get back from :mod:`bot.catalog.service`: plain data, never rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.refusal import Person, Phrase, Refusal, Text
from bot.domain.sop import SopDefinition


class CatalogError(Refusal):
    """A catalogue request refused; `code` names why, its message is ``catalog_<code>``."""

    prefix = "catalog_"

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(self.prefix + code, **params)
        self.code = code

    def wording(self) -> tuple[str, dict[str, Any]]:
        return self.key, catalogue_words(self.params)


def catalogue_words(params: dict[str, Any]) -> dict[str, Any]:
    """A catalogue refusal's facts as the words of its message: who (``by``), the next
    version, where the SOP lives (``scope``), and typed text escaped."""
    words: dict[str, Any] = {k: Text(v) if isinstance(v, str) else v for k, v in params.items()}
    if "by" in words:
        by = words.pop("by")
        words["user"] = Person(by) if by else "?"
    if "version" in words:
        words["next"] = int(params["version"]) + 1
    if "scope" in words:
        words["where"] = Phrase("catalog_scope_bot" if words.pop("scope") is None else "catalog_scope_other")
    return words


@dataclass(frozen=True)
class VersionInfo:
    version: int
    published_at: datetime
    published_by: int | None
    origin: str
    source_name: str
    source_hash: str
    content_hash: str
    nama: str


@dataclass(frozen=True)
class CatalogItem:
    """One SOP id of the catalogue with its latest version's definition."""

    sop_id: str
    scope_chat_id: int | None
    status: str
    latest_version: int
    definition: SopDefinition
    changed_at: datetime | None = None
    changed_by: int | None = None

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class DraftView:
    id: int
    owner_id: int
    chat_id: int
    scope_chat_id: int | None
    status: str
    content: dict[str, Any]
    notes: tuple[str, ...]
    pending: dict[str, Any] | None
    source_name: str
    source_hash: str
    base_version: int
    expires_at: datetime


@dataclass(frozen=True)
class Published:
    """What a publication made."""

    sop_id: str
    version: int
    scope_chat_id: int | None
    nama: str

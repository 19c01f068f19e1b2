"""People and chats as rows: the reads and upserts behind every update Telegram sends.

Every update names a chat and a person, so these are the most frequent writes the bot
makes; the use cases in :mod:`bot.services.people` decide whether anything changed and
what it means, and this module only reads and writes the two tables inside the caller's
transaction. Rows come back as the tables' objects, changed in place by the use case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from storage.models import Chat, User

Row = TypeVar("Row", Chat, User)


class PeopleRepository:
    """Chats and users over one open session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def chat(self, chat_id: int) -> Chat | None:
        return self.session.get(Chat, chat_id)

    def user(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def upsert_chat(self, chat_id: int, now: datetime, timezone: str, type_: str = "group") -> Chat:
        """The chat row, created with the default zone when new."""
        return self._insert_or_get(
            Chat, chat_id, lambda: Chat(id=chat_id, type=type_, timezone=timezone, created_at=now, updated_at=now))

    def upsert_user(self, user_id: int, now: datetime) -> User:
        """The user row, created bare if Telegram never introduced them (foreign keys need it)."""
        return self._insert_or_get(User, user_id, lambda: User(id=user_id, created_at=now, updated_at=now))

    def claim_privacy_notice(self, chat_id: int, now: datetime) -> bool:
        """A conditional UPDATE: True for exactly one caller, whatever the number of processes."""
        claimed = self.session.execute(
            update(Chat).where(col(Chat.id) == chat_id, col(Chat.privacy_notice_at).is_(None))
            .values(privacy_notice_at=now)
        )
        return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]

    def unclaim_privacy_notice(self, chat_id: int) -> None:
        self.session.execute(update(Chat).where(col(Chat.id) == chat_id).values(privacy_notice_at=None))

    def _insert_or_get(self, model: type[Row], key: int, factory: Callable[[], Row]) -> Row:
        """Insert unless it exists; a concurrent insert of the same key is not an error."""
        s = self.session
        row = s.get(model, key)
        if row is not None:
            return row
        try:
            with s.begin_nested():
                row = factory()
                s.add(row)
            return row
        except IntegrityError:
            existing = s.get(model, key, populate_existing=True)
            assert existing is not None
            return existing

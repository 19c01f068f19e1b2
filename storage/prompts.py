"""Open questions (ForceReply prompts) in the database, behind the mapping the handlers use.

Handlers keep ``bot_data.prompts[(chat_id, message_id)] = prompt`` and ``.get`` / ``del``
as with a dict; this mapping makes those rows of ``open_prompts``, so a second webhook
worker (or the same bot after a restart) finds the question a reply answers. What a
prompt holds is the handlers' business: it is stored through the `encode`/`decode` pair.
Each operation is one short statement on the primary key.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, MutableMapping
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import delete, func, select
from sqlmodel import col

from storage.db import Database
from storage.models import OpenPrompt

T = TypeVar("T")
Key = tuple[int, int]


class SharedPrompts(MutableMapping[Key, T], Generic[T]):
    def __init__(self, db: Database, encode: Callable[[T], dict[str, Any]], decode: Callable[[dict[str, Any]], T],
                 now: Callable[[], datetime]) -> None:
        self.db, self.encode, self.decode, self.now = db, encode, decode, now

    @classmethod
    def of(cls, kind: type[T], db: Database, now: Callable[[], datetime]) -> SharedPrompts[T]:
        """Prompts that are dataclasses of `kind`: stored as their fields, lists read back as tuples."""
        def decode(raw: dict[str, Any]) -> T:
            return kind(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})

        return cls(db, dataclasses.asdict, decode, now)  # type: ignore[arg-type]

    def __getitem__(self, key: Key) -> T:
        with self.db.transaction(readonly=True) as s:
            row = s.get(OpenPrompt, key)
            if row is None:
                raise KeyError(key)
            return self.decode(dict(row.data))

    def __setitem__(self, key: Key, value: T) -> None:
        with self.db.transaction() as s:
            s.merge(OpenPrompt(chat_id=key[0], message_id=key[1], data=self.encode(value), created_at=self.now()))

    def __delitem__(self, key: Key) -> None:
        with self.db.transaction() as s:
            gone = s.execute(delete(OpenPrompt).where(col(OpenPrompt.chat_id) == key[0],
                                                      col(OpenPrompt.message_id) == key[1])).rowcount  # type: ignore[attr-defined]
        if not gone:
            raise KeyError(key)

    def __iter__(self) -> Iterator[Key]:
        """Oldest first (the trimming of unanswered questions removes from the front)."""
        with self.db.transaction(readonly=True) as s:
            rows = s.execute(select(OpenPrompt.chat_id, OpenPrompt.message_id).order_by(col(OpenPrompt.created_at))).all()
        return iter([(int(r[0]), int(r[1])) for r in rows])

    def __len__(self) -> int:
        with self.db.transaction(readonly=True) as s:
            return int(s.execute(select(func.count()).select_from(OpenPrompt)).scalar_one())

    def clear(self) -> None:
        with self.db.transaction() as s:
            s.execute(delete(OpenPrompt))

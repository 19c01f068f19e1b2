"""Tables of the conversation with Telegram itself: the task cards the bot sent (so their
buttons can be taken off when the task ends) and the questions it waits an answer to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index
from sqlmodel import Field

from storage.base import Base
from storage.base import timestamp as _ts


class TaskCard(Base, table=True):
    """A message the bot sent with a task's buttons (its private card): when the task ends
    by any path, the sender takes the buttons off (or leaves only ↩️), then closes the row."""

    __tablename__ = "task_cards"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tasks.id", index=True)
    run_id: int = Field(foreign_key="runs.id", index=True)
    chat_id: int = Field(sa_type=BigInteger)
    message_id: int = Field(sa_type=BigInteger)
    created_at: datetime = _ts(nullable=False)
    closed_at: datetime | None = _ts()


class OpenPrompt(Base, table=True):
    """A question the bot asked (ForceReply) and waits for: kept in the database so the
    answer counts whichever worker receives it, and after a restart (migration 0010)."""

    __tablename__ = "open_prompts"
    __table_args__ = (Index("ix_open_prompts_created_at", "created_at"),)

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    message_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = _ts(nullable=False)

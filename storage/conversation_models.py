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
    """A message the bot sent that carries buttons for a task — a private card, a
    substitute's card, a group notice's 🤝 or 🙋, a digest's buttons — one row per (message,
    task). When the task ends by any path, or the delegation (Plh./Plt.) a substitute's card
    was sent under ends, the sender takes that task's buttons off the message (a private
    card's author keeps ↩️ while undo is open), then closes the row (migration 0011 merged
    the substitutes' ``delegation_cards`` in here)."""

    __tablename__ = "task_cards"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="tasks.id", index=True)
    run_id: int = Field(foreign_key="runs.id", index=True)
    chat_id: int = Field(sa_type=BigInteger)
    message_id: int = Field(sa_type=BigInteger)
    #: A substitute's card: all its buttons go when this delegation ends.
    delegation_id: int | None = Field(default=None, foreign_key="delegations.id", index=True)
    #: The message's whole keyboard as sent, each button tagged with the task it acts on
    #: (``{"text", "callback_data" | "url", "task"?}``); None: all of it is this task's.
    buttons: list[Any] | None = Field(default=None, sa_type=JSON)
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

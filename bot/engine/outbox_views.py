"""What the outbox sender is handed: a row to deliver, and everything a batch of rows names
(read in one transaction), as frozen snapshots like the rest of :mod:`bot.engine.views`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.engine.views import ChatView, RunView, StepView, TaskView, UserView


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    chat_id: int | None
    user_id: int | None
    run_id: int | None
    payload: Mapping[str, Any]
    dedupe_key: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None


@dataclass(frozen=True)
class NoticeSnapshot:
    """Everything a batch of outbox rows names, read in one transaction.

    The sender renders a whole batch from this instead of asking the database once per
    task, chat and person it mentions. A missing key means "not asked for"; a chat or
    person asked for but unknown maps to None.
    """

    tasks: Mapping[int, TaskView]
    steps: Mapping[int, StepView]  # by task id, from the run's pinned SOP
    runs: Mapping[int, RunView]
    chats: Mapping[int, ChatView | None]
    users: Mapping[int, UserView | None]

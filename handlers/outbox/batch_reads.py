"""What a batch of outbox rows will look up while it is rendered, read in one go.

Rows name ids only (tasks, runs, chats, people); the sender reads everything a batch names
in one transaction (:meth:`bot.engine.Engine.notice_snapshot`) instead of row by row, and
renders the batch through :class:`SnapshotReads`, the same port the single reads offer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bot.domain import outbox_messages as m
from bot.domain.outbox_codec import decode
from bot.engine.delegation_views import DelegationView, HandbackDigest
from bot.engine.views import ChatView, NoticeSnapshot, NotificationView, RoleView, RunView, StatusView, StepView, TaskView, UserView
from handlers.ui.reads import Reads

#: Seconds a batch's snapshot is trusted: a batch slowed down by Telegram's limits
#: renders its later rows from fresh reads, so a task that moved on meanwhile is skipped.
SNAPSHOT_FRESH = 2.0


def message_of(row: NotificationView) -> m.Message:
    """A row decoded into its message (raises :class:`~bot.domain.outbox_messages.UnknownMessage`)."""
    return decode(row.kind, row.payload, user_id=row.user_id, chat_id=row.chat_id, run_id=row.run_id)


def names(message: m.Message) -> tuple[set[int], set[int], set[int], set[int]]:
    """The tasks, runs, chats and people one message names."""
    tasks: set[int] = set()
    runs: set[int] = set()
    chats: set[int] = set()
    users: set[int] = set()

    def add(into: set[int], *values: int | None) -> None:
        into.update(v for v in values if v is not None)

    match message:
        case m.TaskAssigned() | m.StartPrivatePrompt() | m.TaskUnassigned():
            ref = message.task
            add(tasks, ref.task_id)
            add(runs, ref.run_id)
            add(chats, ref.chat_id)
            if not isinstance(message, m.TaskUnassigned):
                add(users, message.user_id)
        case m.GroupNotice():
            add(tasks, message.task_id, *(message.next_task_ids or ()))
            add(runs, message.run_id)
            add(chats, message.chat_id)
            add(users, message.user_id, message.by_user_id, message.holder_id)
        case m.DelegationNote():
            add(tasks, message.task_id)
            add(runs, message.run_id)
            add(chats, message.chat_id)
        case m.DeadlineDigest() | m.DeadlineGroup():
            for item in message.items:
                add(tasks, item.task_id)
                add(runs, item.run_id)
                add(chats, item.chat_id)
                add(users, item.holder_id, *(item.mention or ()))
    return tasks, runs, chats, users


def named(rows: Sequence[NotificationView]) -> tuple[set[int], set[int], set[int], set[int]]:
    """The tasks, runs, chats and people a batch of rows will look up while it is rendered.

    Private chats are named by their user id (their language is the chat's). Anything
    missed here (a row of a kind this code does not know) is simply looked up on its own.
    """
    tasks: set[int] = set()
    runs: set[int] = set()
    chats: set[int] = set()
    users: set[int] = set()
    for row in rows:
        runs.update(i for i in (row.run_id,) if i is not None)
        chats.update(i for i in (row.chat_id, row.user_id) if i is not None)
        users.update(i for i in (row.user_id,) if i is not None)
        try:
            found = names(message_of(row))
        except (m.UnknownMessage, KeyError, ValueError, TypeError):
            continue
        for into, more in zip((tasks, runs, chats, users), found, strict=True):
            into.update(more)
    return tasks, runs, chats, users


class SnapshotReads:
    """:class:`~handlers.ui.reads.Reads` from a batch's snapshot while it is fresh, else from `fallback`."""

    def __init__(self, snapshot: NoticeSnapshot, fallback: Reads, fresh: float = SNAPSHOT_FRESH) -> None:
        self.snapshot, self.fallback = snapshot, fallback
        self.until = asyncio.get_running_loop().time() + fresh

    def _fresh(self) -> bool:
        return asyncio.get_running_loop().time() <= self.until

    async def task(self, task_id: int) -> TaskView:
        found = self.snapshot.tasks.get(task_id)
        return found if found is not None and self._fresh() else await self.fallback.task(task_id)

    async def step(self, task_id: int) -> StepView:
        found = self.snapshot.steps.get(task_id)
        return found if found is not None and self._fresh() else await self.fallback.step(task_id)

    async def run(self, run_id: int) -> RunView:
        found = self.snapshot.runs.get(run_id)
        return found if found is not None and self._fresh() else await self.fallback.run(run_id)

    async def chat(self, chat_id: int) -> ChatView | None:
        if chat_id in self.snapshot.chats and self._fresh():
            return self.snapshot.chats[chat_id]
        return await self.fallback.chat(chat_id)

    async def user(self, user_id: int) -> UserView | None:
        if user_id in self.snapshot.users and self._fresh():
            return self.snapshot.users[user_id]
        return await self.fallback.user(user_id)

    async def roles(self, run_id: int) -> list[RoleView]:
        return await self.fallback.roles(run_id)

    async def status(self, run_id: int) -> StatusView:
        return await self.fallback.status(run_id)

    async def delegation(self, delegation_id: int) -> DelegationView:
        return await self.fallback.delegation(delegation_id)

    async def handback(self, delegation_id: int) -> HandbackDigest:
        return await self.fallback.handback(delegation_id)

"""The reads a rendered message needs, as a typed port: task cards, digests and the outbox
sender ask it instead of calling engine methods by name.

Two implementations: :class:`EngineReads` asks the engine (in a worker thread: the engine
is synchronous), :class:`handlers.outbox.batch_reads.SnapshotReads` answers from the one
read of a batch while that read is fresh, and asks the engine for anything else.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Protocol

from bot.engine.delegation_views import DelegationView, HandbackDigest
from bot.engine.views import ChatView, RoleView, RunView, StatusView, StepView, TaskView, UserView

if TYPE_CHECKING:
    from bot.engine import SopEngine


class Reads(Protocol):
    """What renderers read: views of tasks, their steps, runs, chats, people and roles."""

    async def task(self, task_id: int) -> TaskView: ...

    async def step(self, task_id: int) -> StepView: ...

    async def run(self, run_id: int) -> RunView: ...

    async def chat(self, chat_id: int) -> ChatView | None: ...

    async def user(self, user_id: int) -> UserView | None: ...

    async def roles(self, run_id: int) -> list[RoleView]: ...

    async def status(self, run_id: int) -> StatusView: ...

    async def delegation(self, delegation_id: int) -> DelegationView: ...

    async def handback(self, delegation_id: int) -> HandbackDigest: ...


class EngineReads:
    """:class:`Reads` straight from the engine, one transaction per read."""

    def __init__(self, engine: SopEngine) -> None:
        self.engine = engine

    async def task(self, task_id: int) -> TaskView:
        return await asyncio.to_thread(self.engine.get_task, task_id)

    async def step(self, task_id: int) -> StepView:
        return await asyncio.to_thread(self.engine.task_step, task_id)

    async def run(self, run_id: int) -> RunView:
        return await asyncio.to_thread(self.engine.get_run, run_id)

    async def chat(self, chat_id: int) -> ChatView | None:
        return await asyncio.to_thread(self.engine.get_chat, chat_id)

    async def user(self, user_id: int) -> UserView | None:
        return await asyncio.to_thread(self.engine.get_user, user_id)

    async def roles(self, run_id: int) -> list[RoleView]:
        return await asyncio.to_thread(self.engine.roles, run_id)

    async def status(self, run_id: int) -> StatusView:
        return await asyncio.to_thread(self.engine.status, run_id)

    async def delegation(self, delegation_id: int) -> DelegationView:
        return await asyncio.to_thread(self.engine.get_delegation, delegation_id)

    async def handback(self, delegation_id: int) -> HandbackDigest:
        return await asyncio.to_thread(self.engine.handback_digest, delegation_id)

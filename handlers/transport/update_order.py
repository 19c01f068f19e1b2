"""Updates of different chats are handled side by side; updates of one chat in order.

PTB handles updates one at a time by default, so one busy group (a member sending thirty
/status, each reply waiting for the group's 20-a-minute slot) made every other chat wait.
:class:`PerChatUpdateProcessor` gives every chat its own queue instead: an update waits
only for the earlier updates *of its own chat* (or, for a callback query without a
message, of the same person), and different chats run concurrently.

Why the bound is ours and not PTB's: PTB's :class:`~telegram.ext.BaseUpdateProcessor`
takes its semaphore *before* :meth:`do_process_update` runs, so with a small
``max_concurrent_updates`` a flooded chat's queued updates would hold every slot while
they wait for their chat's turn, which is exactly the stall to avoid. PTB's semaphore is
therefore set high (it only caps updates *accepted*), and the real bound on work in
flight (``max_in_flight``: handlers running at once) is taken after the chat's turn has
come, so waiting in a chat's queue costs no slot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Hashable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

#: Handlers running at once (each mostly waits for the database or Telegram).
MAX_IN_FLIGHT = 32
#: Updates accepted and not yet finished (running or waiting for their chat's turn).
MAX_ACCEPTED = 100_000


def order_key(update: object) -> Hashable | None:
    """What an update must wait for: its chat, or the person of a chat-less callback query.

    None (an update with neither, or not an Update at all) waits for nothing.
    """
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    if chat is not None:
        return ("chat", chat.id)
    user = update.effective_user
    return ("user", user.id) if user is not None else None


@dataclass
class _Turn:
    """One chat's queue: a FIFO lock and how many updates hold or wait for it."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Serialise per chat (per person for chat-less presses); run chats concurrently."""

    def __init__(self, max_in_flight: int = MAX_IN_FLIGHT, max_accepted: int = MAX_ACCEPTED) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be a positive integer")
        super().__init__(max(max_accepted, max_in_flight + 1))  # > 1: PTB hands each update its own task
        self.max_in_flight = max_in_flight
        self._slots = asyncio.BoundedSemaphore(max_in_flight)
        self._turns: dict[Hashable, _Turn] = {}

    @property
    def waiting_chats(self) -> int:
        """Chats with an update running or queued (observability, tests)."""
        return len(self._turns)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates (FIFO), then for a slot, then handle."""
        key = order_key(update)
        if key is None:
            async with self._slots:
                await coroutine
            return
        turn = self._turns.get(key)
        if turn is None:
            turn = self._turns[key] = _Turn()
        turn.users += 1
        try:
            async with turn.lock:  # asyncio.Lock wakes its waiters in arrival order
                async with self._slots:
                    await coroutine
        finally:
            turn.users -= 1
            if turn.users == 0:
                del self._turns[key]

    async def initialize(self) -> None:
        """Nothing to set up: queues are made on a chat's first update."""

    async def shutdown(self) -> None:
        """Nothing to free: a queue goes with its chat's last update."""

"""The emulator's in-memory world: the registry, chat threads, update queues and event log.

Everything a test wants to assert on lives here as plain objects (defined in
:mod:`devtools.emulator.model`, re-exported here), so tests never have to parse HTTP
traffic.  JSON rendering mirrors what Telegram really sends, because PTB's
``de_json`` (and the bot's handlers) must not be able to tell the emulator from
the real Bot API.
"""

from __future__ import annotations

import asyncio
import bisect
import time
from collections.abc import Callable
from typing import Any

# Re-exported: callers import the whole model from here.
from devtools.emulator.errors import JSON, ApiError
from devtools.emulator.markup import auto_entities, parse_html, utf16_len
from devtools.emulator.model import (
    DEFAULT_UPDATES, BotAccount, BotEvent, Button, CallbackAnswer, Chat, Msg, RequestRecord, StoredFile,
    User,
)

__all__ = ["DEFAULT_UPDATES", "JSON", "ApiError", "BotAccount", "BotEvent", "Button", "CallbackAnswer",
           "Chat", "EmulatorState", "Msg", "RequestRecord", "StoredFile", "User", "auto_entities",
           "parse_html", "utf16_len"]


class EmulatorState:
    """Registry plus per-chat message threads, per-bot update queues and an event log."""

    def __init__(self) -> None:
        self.bots: dict[str, BotAccount] = {}
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.threads: dict[tuple[int, int], list[Msg]] = {}
        self.files: dict[str, StoredFile] = {}
        self.queries: dict[str, tuple[BotAccount, Msg, User, str | None]] = {}
        self.callback_answers: list[CallbackAnswer] = []
        self.events: list[BotEvent] = []
        self.request_log: list[RequestRecord] = []
        self.action_seq = 0  # event seq at the moment of the latest person action
        self.clock_offset = 0.0  # seconds the emulated Telegram's clock (HTTP Date) is ahead
        self.webhook_log: list[Any] = []  # every webhook POST: devtools.emulator.webhook.Delivery
        self._counter = 0
        self._signal = asyncio.Event()

    def reset(self) -> None:
        """Forget the world but keep bots, so a running bot process keeps its token and offsets."""
        bots, counter = self.bots, self._counter
        self.__init__()  # type: ignore[misc]
        self.bots, self._counter = bots, counter  # ids stay unique across resets
        for bot in bots.values():
            bot.updates.clear()
            bot.started.clear()
            bot.blocked.clear()
            bot.commands.clear()
            self.users[bot.id] = bot

    def next_id(self) -> int:
        self._counter += 1
        return self._counter

    # -------------------------------------------------------------- lookups
    def chat(self, chat_id: int | str) -> Chat:
        """Resolve chat_id as the API does (numeric id or @username); private chats are users."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == chat_id[1:].lower():
                    return chat
            raise ApiError(400, "Bad Request: chat not found")
        try:
            cid = int(chat_id)
        except ValueError:
            raise ApiError(400, "Bad Request: chat not found") from None
        if cid in self.chats:
            return self.chats[cid]
        user = self.users.get(cid)
        if user is None or cid < 0:
            raise ApiError(400, "Bad Request: chat not found")
        chat = Chat(id=cid, type="private", user=user)
        self.chats[cid] = chat
        return chat

    def thread(self, chat: Chat, bot: BotAccount | None) -> list[Msg]:
        """Private chats are per (bot, user); groups share one message sequence."""
        key = (bot.id if chat.user is not None and bot is not None else 0, chat.id)
        return self.threads.setdefault(key, [])

    def find_message(self, chat: Chat, bot: BotAccount | None, message_id: int) -> Msg | None:
        for msg in self.thread(chat, bot):
            if msg.message_id == message_id and not msg.deleted:
                return msg
        return None

    def add_message(self, chat: Chat, bot: BotAccount | None, sender: User | None, **fields: Any) -> Msg:
        thread = self.thread(chat, bot)
        message_id = thread[-1].message_id + 1 if thread else 1
        msg = Msg(chat=chat, message_id=message_id, sender=sender, date=int(time.time()),
                  bot_id=bot.id if chat.user is not None and bot is not None else 0, **fields)
        thread.append(msg)
        return msg

    def new_file(self, data: bytes, file_name: str | None, mime_type: str | None, folder: str) -> StoredFile:
        n = self.next_id()
        ext = (file_name or "").rpartition(".")[2] if file_name and "." in file_name else "bin"
        stored = StoredFile(f"F{n:06d}-{folder}", f"U{n:06d}", data, file_name, mime_type,
                            f"{folder}/file_{n}.{ext}")
        self.files[stored.file_id] = stored
        return stored

    # -------------------------------------------------------------- update queues
    def recipients(self, chat: Chat, bot: BotAccount | None, msg: Msg | None = None) -> list[BotAccount]:
        """Bots that see a message in ``chat`` (the addressed bot for private chats); a bot
        in privacy mode that is no admin there sees only commands and replies to itself."""
        if bot is not None:
            return [bot]
        members = [b for b in self.bots.values() if chat.status_of(b) not in ("left", "kicked")]
        return [b for b in members if msg is None or self._sees(b, chat, msg)]

    @staticmethod
    def _sees(bot: BotAccount, chat: Chat, msg: Msg) -> bool:
        if not bot.privacy_mode or chat.type == "channel" or chat.status_of(bot) in ("administrator", "creator"):
            return True
        text = msg.text or msg.caption or ""
        replied = msg.reply_to is not None and msg.reply_to.sender is bot
        return text.startswith("/") or replied

    def enqueue(self, bot: BotAccount, kind: str, payload: JSON) -> int | None:
        if kind not in bot.allowed_updates:
            return None
        update_id = bot.next_update_id
        bot.next_update_id += 1
        bot.updates.append((update_id, kind, payload))
        bot.wake_poller("update")
        return update_id

    def confirm(self, bot: BotAccount, offset: int | None) -> None:
        """Telegram semantics: offset confirms every update below it; negative keeps the tail."""
        if offset is None or offset == 0:
            return
        if offset < 0:
            del bot.updates[: max(0, len(bot.updates) + offset)]
        else:
            bot.updates[:] = [u for u in bot.updates if u[0] >= offset]

    # -------------------------------------------------------------- bot events and waiting
    def record(self, kind: str, msg: Msg) -> BotEvent:
        event = BotEvent(self.next_id(), kind, msg)
        self.events.append(event)
        self._signal.set()
        self._signal = asyncio.Event()
        return event

    def mark_action(self) -> int:
        self.action_seq = self._counter
        return self.action_seq

    async def wait_event(self, match: Callable[[BotEvent], bool], after: int, timeout: float) -> BotEvent:
        """Return the first matching event newer than ``after``; sleeps only on the signal."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for event in self.events[bisect.bisect_right(self.events, after, key=lambda e: e.seq):]:
                if match(event):
                    return event
            after = max(after, self.events[-1].seq) if self.events else after
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no matching bot message within {timeout}s")
            signal = self._signal
            try:
                await asyncio.wait_for(signal.wait(), remaining)
            except TimeoutError:
                pass

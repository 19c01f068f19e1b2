"""Webhook delivery: the emulator pushes a bot's updates by HTTP POST, as Telegram does.

After ``setWebhook`` the updates a bot would have fetched with getUpdates are POSTed as
JSON to its URL, with the ``X-Telegram-Bot-Api-Secret-Token`` header when a secret was
set. An update stays queued until the bot answers 2xx; any other answer, a refused
connection or a timeout is recorded (``getWebhookInfo``'s ``last_error_*``) and the same
update is sent again after a growing pause. Up to ``max_connections`` requests are in
flight at once, but never two of one chat, and a chat whose update failed waits for that
update's retry: so a chat's updates are handled in order however many workers answer.

Only loopback URLs are accepted: the emulator must never reach out to the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from devtools.emulator.errors import JSON, ApiError
from devtools.emulator.model import BotAccount

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Delivery:
    """One POST of one update: what the bot answered (an HTTP status, or the error)."""

    update_id: int
    chat_id: int | None
    outcome: int | str
    at: float


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK:
        raise ApiError(400, "Bad Request: bad webhook: the emulator delivers only to http(s)://127.0.0.1")


def chat_of(kind: str, payload: JSON) -> int | None:
    """The chat an update belongs to (its order is kept per chat)."""
    message = payload.get("message") if kind == "callback_query" else payload
    chat = (message or {}).get("chat") if isinstance(message, dict) else None
    if chat:
        return int(chat["id"])
    sender = payload.get("from")
    return int(sender["id"]) if sender else None


class WebhookDelivery:
    """Delivers one bot's queue to its webhook until stopped."""

    def __init__(self, bot: BotAccount, url: str, secret: str | None, max_connections: int = 40, *,
                 first_retry: float = 0.1, max_retry: float = 2.0, timeout: float = 30.0,
                 log: list[Delivery] | None = None) -> None:
        self.bot, self.url, self.secret = bot, url, secret
        self.max_connections = max(1, min(100, max_connections))
        self.first_retry, self.max_retry, self.timeout = first_retry, max_retry, timeout
        self.log = log if log is not None else []
        self.wake = asyncio.Event()
        self.inflight: dict[int, asyncio.Task[None]] = {}
        self.busy: set[int | None] = set()
        self.retry_at: dict[int | None, float] = {}
        self.attempts: dict[int, int] = {}
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._client: httpx.AsyncClient | None = None

    def start(self) -> None:
        self.bot.webhook_wake = self.wake
        self._client = httpx.AsyncClient(timeout=self.timeout)
        self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        self._stopping = True  # asyncio.wait_for may swallow a cancel that meets a wake-up (3.11)
        self.wake.set()
        if self.bot.webhook_wake is self.wake:
            self.bot.webhook_wake = None
        tasks = [t for t in (self._task, *self.inflight.values()) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._client is not None:
            await self._client.aclose()

    async def _run(self) -> None:
        while not self._stopping:
            pause = self._launch_ready()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), pause)
            self.wake.clear()

    def _launch_ready(self) -> float:
        """Start every update that may go now; return how long to sleep at most."""
        now = time.monotonic()
        blocked = set(self.busy)
        pause = 1.0
        for update_id, kind, payload in list(self.bot.updates):
            if len(self.inflight) >= self.max_connections:
                break
            chat = chat_of(kind, payload)
            if update_id in self.inflight or chat in blocked:
                blocked.add(chat)
                continue
            blocked.add(chat)  # later updates of this chat wait for this one
            wait = self.retry_at.get(chat, 0.0) - now
            if wait > 0:
                pause = min(pause, wait)
                continue
            self.busy.add(chat)
            self.inflight[update_id] = asyncio.ensure_future(self._deliver(update_id, chat, {"update_id": update_id, kind: payload}))
        return max(pause, 0.005)

    async def _deliver(self, update_id: int, chat: int | None, body: JSON) -> None:
        headers = {"Content-Type": "application/json"}
        if self.secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.secret
        outcome: int | str
        try:
            assert self._client is not None
            response = await self._client.post(self.url, content=json.dumps(body, ensure_ascii=False), headers=headers)
            outcome = response.status_code
            error = None if 200 <= outcome < 300 else f"Wrong response from the webhook: {outcome} {response.reason_phrase}"
        except httpx.HTTPError as exc:
            outcome = type(exc).__name__
            error = "Connection refused" if isinstance(exc, httpx.ConnectError) else f"{type(exc).__name__}"
        self.log.append(Delivery(update_id, chat, outcome, time.time()))
        try:
            if error is None:
                self.bot.updates[:] = [u for u in self.bot.updates if u[0] != update_id]
                self.retry_at.pop(chat, None)
                self.attempts.pop(update_id, None)
            else:
                tries = self.attempts[update_id] = self.attempts.get(update_id, 0) + 1
                self.retry_at[chat] = time.monotonic() + min(self.max_retry, self.first_retry * 2 ** (tries - 1))
                self.bot.webhook["last_error"] = (int(time.time()), error)
        finally:
            self.inflight.pop(update_id, None)
            self.busy.discard(chat)
            self.wake.set()

"""The production rate limiter: Telegram's limits kept per chat, so only the chat that is
over its limit waits.

Telegram allows about 30 messages a second per bot, one a second per private chat (with
a short burst) and 20 a minute per group, and answers 429 ``retry_after`` beyond. PTB's
:class:`~telegram.ext.AIORateLimiter` paces groups with a leaky bucket (after a burst of
20 it lets the next one go 3 s later, which a sliding 60-second window refuses) and
stops *every* request of the bot when any one of them meets a 429. :class:`TelegramPacer`
instead keeps, per chat, the window Telegram applies (a sliding window for groups, a
token bucket for private chats) plus one bucket for the whole bot in which private chats
are served before groups. A 429 pauses the chat it concerns; 429s from several chats at
once mean the bot-wide limit, and pause everything. Timeouts and 5xx are retried with
backoff and jitter (a retried send that had in fact arrived shows up twice: acceptable,
since every notification is delivered *at least* once anyway; losing it is not).

Only requests that put a message into a chat count against that chat (``send*``,
``copyMessage``, ``forwardMessage``); edits and other chat requests count only against
the bot-wide bucket; requests without a chat (``getUpdates``, ``answerCallbackQuery``)
are never held back.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram.error import NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

from handlers.outbox.delivery import REQUEST_BACKOFF, REQUEST_RETRIES, backoff, classify, retry_after_seconds

logger = logging.getLogger(__name__)

#: Messages per second for the whole bot (Telegram allows about 30).
OVERALL_RATE = 26.0
#: A group: at most this many messages in any GROUP_SPAN seconds (Telegram: 20 a minute;
#: the extra second covers the time a request takes to reach Telegram).
GROUP_LIMIT = 20
GROUP_SPAN = 61.0
#: A private chat: a burst of PRIVATE_BURST, then PRIVATE_RATE a second (Telegram: about 1).
PRIVATE_RATE = 0.9
PRIVATE_BURST = 2
#: 429s from this many different chats within GLOBAL_WINDOW seconds mean the bot-wide limit.
GLOBAL_CHATS = 3
GLOBAL_WINDOW = 1.0
#: Bot API methods that put a new message into a chat.
SENDS = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"})

Clock = Callable[[], float]


def is_send(endpoint: str) -> bool:
    return (endpoint.startswith("send") and endpoint != "sendChatAction") or endpoint in SENDS


@dataclass(frozen=True)
class Limits:
    """Telegram's per-chat limits as this limiter keeps them (tests shrink the minute)."""

    group_limit: int = GROUP_LIMIT
    group_span: float = GROUP_SPAN
    private_rate: float = PRIVATE_RATE
    private_burst: int = PRIVATE_BURST


#: No per-chat limit at all: with ``overall_rate=0``, a pacer that only retries (tests that
#: measure no pacing, and benchmarks of throughput).
UNLIMITED = Limits(group_limit=1 << 30, private_rate=1e9, private_burst=1 << 30)


@dataclass
class ChatPace:
    """What one chat allows: recent sends (groups) or tokens (private), and a 429 pause."""

    group: bool
    limits: Limits = field(default_factory=Limits)
    sent: deque[float] = field(default_factory=deque)
    tokens: float = PRIVATE_BURST
    stamp: float = 0.0
    paused_until: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def wait(self, now: float) -> float:
        """Seconds until this chat may receive its next message."""
        pause, lim = max(0.0, self.paused_until - now), self.limits
        if self.group:
            while self.sent and self.sent[0] <= now - lim.group_span:
                self.sent.popleft()
            slot = 0.0 if len(self.sent) < lim.group_limit else self.sent[0] + lim.group_span - now
        else:
            self.tokens = min(lim.private_burst, self.tokens + (now - self.stamp) * lim.private_rate)
            self.stamp = now
            slot = 0.0 if self.tokens >= 1 else (1 - self.tokens) / lim.private_rate
        return max(pause, slot)

    def take(self, now: float) -> None:
        if self.group:
            self.sent.append(now)
        else:
            self.tokens -= 1


class PriorityBucket:
    """The bot-wide token bucket; waiting private chats are served before waiting groups."""

    def __init__(self, rate: float, clock: Clock) -> None:
        self.rate, self.clock = rate, clock
        self.tokens, self.stamp = rate, clock()
        self.paused_until = 0.0
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._server: asyncio.Task[None] | None = None

    def _wait(self, now: float) -> float:
        self.tokens = min(self.rate, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return max(self.paused_until - now, 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate)

    async def acquire(self, priority: int) -> None:
        """One token; lower `priority` first, then arrival order."""
        if self.rate <= 0:
            return
        if not self._waiters and self._wait(self.clock()) == 0:
            self.tokens -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._order), future))
        if self._server is None or self._server.done():
            self._server = asyncio.ensure_future(self._serve())
        await future

    async def _serve(self) -> None:
        while self._waiters:
            wait = self._wait(self.clock())
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            _, _, future = heapq.heappop(self._waiters)
            if not future.done():  # a cancelled waiter takes no token
                self.tokens -= 1
                future.set_result(None)


class TelegramPacer(BaseRateLimiter[int]):
    """Per-chat pacing with a shared, priority-ordered bot-wide bucket; see the module."""

    def __init__(
        self,
        overall_rate: float = OVERALL_RATE,
        max_retries: int = 2,
        retries: int = REQUEST_RETRIES,
        pause: float = REQUEST_BACKOFF,
        clock: Clock = time.monotonic,
        limits: Limits = Limits(),
    ) -> None:
        self.clock, self.limits = clock, limits
        self.max_retries, self.retries, self.pause = max_retries, retries, pause
        self.bucket = PriorityBucket(overall_rate, clock)
        self.chats: dict[int | str, ChatPace] = {}
        self.recent_429: deque[tuple[float, int | str]] = deque()
        self.count_429 = 0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def chat(self, chat_id: int | str) -> ChatPace:
        pace = self.chats.get(chat_id)
        if pace is None:
            group = isinstance(chat_id, str) or chat_id < 0
            pace = self.chats[chat_id] = ChatPace(group, self.limits, tokens=self.limits.private_burst, stamp=self.clock())
        return pace

    async def ready(self, chat_id: int) -> None:
        """Until `chat_id` may receive a message (without taking its slot): the outbox
        sender waits here before it claims rows, so rows that arrive meanwhile merge."""
        pace = self.chat(chat_id)
        while (wait := pace.wait(self.clock())) > 0:
            await asyncio.sleep(wait)

    async def process_request(  # type: ignore[override]
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        from handlers.transport.instrument import counted

        callback = counted(callback, endpoint)  # /metrics: sends, failures by reason, 429s
        chat_id = _chat_of(data)
        attempts_429 = rate_limit_args if rate_limit_args is not None else self.max_retries
        failures = 0
        while True:
            try:
                return await self._paced(callback, args, kwargs, endpoint, chat_id)
            except RetryAfter as exc:
                self.note_429(chat_id, retry_after_seconds(exc))
                if attempts_429 <= 0:
                    raise
                attempts_429 -= 1
            except NetworkError as exc:
                if classify(exc) != "retry" or failures >= self.retries:
                    raise
                delay = backoff(failures, self.pause, 5.0)
                failures += 1
                logger.info("%s failed (%s); retrying in %.2fs", endpoint, exc, delay)
                await asyncio.sleep(delay)

    async def _paced(self, callback: Any, args: Any, kwargs: dict[str, Any], endpoint: str, chat_id: int | str | None) -> Any:
        if chat_id is None:
            await self._global_pause()
            return await callback(*args, **kwargs)
        pace = self.chat(chat_id)
        if not is_send(endpoint):  # an edit, a chat lookup: the bot-wide bucket only
            await self.bucket.acquire(0)
            return await callback(*args, **kwargs)
        async with pace.lock:  # one chat's messages leave in the order they were asked for
            while (wait := pace.wait(self.clock())) > 0:
                await asyncio.sleep(wait)
            await self.bucket.acquire(1 if pace.group else 0)
            pace.take(self.clock())
            return await callback(*args, **kwargs)

    async def _global_pause(self) -> None:
        wait = self.bucket.paused_until - self.clock()
        if wait > 0:
            await asyncio.sleep(wait)

    def note_429(self, chat_id: int | str | None, seconds: float) -> None:
        """Pause the chat a 429 concerns, or the whole bot when several chats got one at once."""
        now = self.clock()
        self.count_429 += 1
        until = now + seconds + 0.1
        if chat_id is None:
            self.bucket.paused_until = max(self.bucket.paused_until, until)
            return
        self.chat(chat_id).paused_until = max(self.chat(chat_id).paused_until, until)
        self.recent_429.append((now, chat_id))
        while self.recent_429 and self.recent_429[0][0] < now - GLOBAL_WINDOW:
            self.recent_429.popleft()
        if len({c for _, c in self.recent_429}) >= GLOBAL_CHATS:
            logger.warning("429 from %d chats within %.0fs: pausing all sending for %.1fs",
                           GLOBAL_CHATS, GLOBAL_WINDOW, seconds)
            self.bucket.paused_until = max(self.bucket.paused_until, until)
        else:
            logger.info("429 in chat %s: pausing it for %.1fs", chat_id, seconds)


def _chat_of(data: dict[str, Any]) -> int | str | None:
    chat_id = data.get("chat_id")
    if chat_id is None:
        return None
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return str(chat_id)

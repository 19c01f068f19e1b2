"""Fault injection and Telegram flood limits.

The real Bot API fails in three ways a bot has to survive: 5xx errors, 429 flood
waits and requests that hang past the client's timeout.  Faults are decided
*before* a request is applied, so a failed sendMessage never delivered anything
and a test can assert "exactly once" after retries.  A seeded generator keeps a
faulty run reproducible.  Flood limits follow Telegram's published numbers so
benchmarks can see how many 429s the bot's pacing provokes.
"""

from __future__ import annotations

import math
import random
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

FAULT_KINDS = ("error500", "retry429", "timeout")
# Methods that put a new message into a chat and therefore count against flood limits.
MESSAGE_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto", "copymessage",
                             "forwardmessage", "sendmediagroup"})


@dataclass
class FaultConfig:
    """Runtime-switchable knobs; ``probability`` 0 disables injection."""

    probability: float = 0.0
    seed: int | None = 0
    weights: dict[str, float] = field(default_factory=lambda: dict.fromkeys(FAULT_KINDS, 1.0))
    retry_after: int = 1
    # Longer than PTB's default 5 s read timeout so the client gives up first.
    hold_seconds: float = 6.0
    # Lower-cased Bot API method names eligible for faults; None means all of them.
    methods: frozenset[str] | None = None


@dataclass(frozen=True)
class Fault:
    """A decided failure; the server applies it instead of running the method."""

    kind: str
    retry_after: int
    hold_seconds: float

    def response(self) -> tuple[int, dict[str, Any]]:
        if self.kind == "retry429":
            return 429, {"ok": False, "error_code": 429,
                         "description": f"Too Many Requests: retry after {self.retry_after}",
                         "parameters": {"retry_after": self.retry_after}}
        if self.kind == "timeout":
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}


@dataclass
class FloodConfig:
    """Telegram's documented limits; the private-chat burst mirrors its lenient bucket."""

    enabled: bool = False
    bot_per_second: float = 30.0
    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: int = 20
    #: The group window's length in seconds (Telegram: a minute; tests shorten it).
    group_window: float = 60.0


@dataclass
class Stats:
    """Counters a benchmark reports; reset together with faults."""

    requests: int = 0
    messages_sent: int = 0
    flood_429: int = 0
    injected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FAULT_KINDS, 0))

    @property
    def injected_total(self) -> int:
        return sum(self.injected.values())

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"injected_total": self.injected_total}


class _Bucket:
    """Token bucket: ``capacity`` burst, refilled at ``rate`` tokens per second."""

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity, self.rate, self.tokens, self.stamp = capacity, rate, capacity, now

    def wait(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


class _Window:
    """Sliding window: at most ``limit`` events per ``span`` seconds (Telegram's group rule)."""

    def __init__(self, limit: int, span: float) -> None:
        self.limit, self.span, self.times = limit, span, deque[float]()

    def wait(self, now: float) -> float:
        while self.times and self.times[0] <= now - self.span:
            self.times.popleft()
        return 0.0 if len(self.times) < self.limit else self.times[0] + self.span - now

    def take(self, now: float) -> None:
        self.times.append(now)


class Faults:
    """Decides injected failures and enforces flood limits for the server."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.config = FaultConfig()
        self.flood = FloodConfig()
        self.stats = Stats()
        self._rng = random.Random(self.config.seed)
        self._buckets: dict[tuple[int, int], _Bucket] = {}
        self._windows: dict[tuple[int, int], _Window] = {}

    def configure(self, probability: float | None = None, *, seed: int | None = 0,
                  weights: dict[str, float] | None = None, retry_after: int | None = None,
                  hold_seconds: float | None = None,
                  methods: Iterable[str] | None = None) -> FaultConfig:
        """Switch injection on/off at runtime; always reseeds so runs are reproducible."""
        cfg = self.config
        if probability is not None:
            cfg.probability = max(0.0, min(1.0, float(probability)))
        if weights is not None:
            unknown = set(weights) - set(FAULT_KINDS)
            if unknown:
                raise ValueError(f"unknown fault kinds {sorted(unknown)}; use {FAULT_KINDS}")
            cfg.weights = {k: float(weights.get(k, 0.0)) for k in FAULT_KINDS}
        if retry_after is not None:
            cfg.retry_after = int(retry_after)
        if hold_seconds is not None:
            cfg.hold_seconds = float(hold_seconds)
        if methods is not None:
            cfg.methods = frozenset(m.lower() for m in methods) or None
        cfg.seed = seed
        self._rng = random.Random(seed)
        return cfg

    def disable(self) -> None:
        self.config.probability = 0.0

    def set_flood_limits(self, enabled: bool = True, **limits: float) -> FloodConfig:
        """Enable Telegram's limits; keyword overrides map onto :class:`FloodConfig` fields."""
        self.flood = FloodConfig(enabled=enabled, **limits)  # type: ignore[arg-type]
        self._buckets.clear()
        self._windows.clear()
        return self.flood

    def reset(self) -> None:
        self.config = FaultConfig()
        self.flood = FloodConfig()
        self.stats = Stats()
        self._rng = random.Random(self.config.seed)
        self._buckets.clear()
        self._windows.clear()

    def decide(self, method: str) -> Fault | None:
        """Roll the dice for one request; called before the method has any effect."""
        self.stats.requests += 1
        cfg = self.config
        if cfg.probability <= 0 or (cfg.methods is not None and method.lower() not in cfg.methods):
            return None
        if self._rng.random() >= cfg.probability:
            return None
        kinds = [k for k in FAULT_KINDS if cfg.weights.get(k, 0) > 0]
        if not kinds:
            return None
        kind = self._rng.choices(kinds, weights=[cfg.weights[k] for k in kinds])[0]
        self.stats.injected[kind] += 1
        return Fault(kind, cfg.retry_after, cfg.hold_seconds)

    def admit_message(self, bot_id: int, chat_id: int, is_private: bool) -> int | None:
        """Count one outgoing message; return retry_after seconds if a flood limit refuses it."""
        if not self.flood.enabled:
            self.stats.messages_sent += 1
            return None
        now, f = self.clock(), self.flood
        per_bot = self._buckets.setdefault((bot_id, 0), _Bucket(f.bot_per_second, f.bot_per_second, now))
        if is_private:
            per_chat: _Bucket | _Window = self._buckets.setdefault(
                (bot_id, chat_id), _Bucket(f.private_burst, f.private_per_second, now))
        else:
            per_chat = self._windows.setdefault((bot_id, chat_id), _Window(f.group_per_minute, f.group_window))
        wait = max(per_bot.wait(now), per_chat.wait(now))
        if wait > 0:
            self.stats.flood_429 += 1
            return max(1, math.ceil(wait))
        per_bot.take()
        if isinstance(per_chat, _Window):
            per_chat.take(now)
        else:
            per_chat.take()
        self.stats.messages_sent += 1
        return None

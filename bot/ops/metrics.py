"""Prometheus metrics of one bot process (``prometheus-client``), served on ``/metrics``.

Counters and the latency histogram are bumped by small calls at clear points: the
Application's ``process_update`` and every Bot API request (:mod:`handlers.transport.instrument`), the outbox drain (:func:`sender_alive`) and
the deadline tick (:func:`nags_sent`). What lives in the database (outbox backlog and
age, open runs, overdue tasks) is read at scrape time by :class:`DatabaseCollector`, so
every worker reports the same truth however many there are.

Everything is registered on :data:`REGISTRY`, not prometheus-client's global one, so a
process (or a test) that builds several applications never registers a name twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

REGISTRY = CollectorRegistry(auto_describe=True)

UPDATES = Counter("pandu_updates", "Updates handled, by kind", ["kind"], registry=REGISTRY)
UPDATE_ERRORS = Counter("pandu_update_errors", "Updates whose processing raised", ["kind"], registry=REGISTRY)
PRESS_SECONDS = Histogram(
    "pandu_press_latency_seconds", "From a button press reaching the bot to its handling finished",
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0), registry=REGISTRY,
)
SENT = Counter("pandu_messages_sent", "Bot API sends and edits that succeeded, by method", ["method"], registry=REGISTRY)
FAILED = Counter("pandu_messages_failed", "Bot API requests that failed, by reason", ["reason", "method"], registry=REGISTRY)
RATE_LIMITED = Counter("pandu_telegram_429", "429 Too Many Requests answers from Telegram", registry=REGISTRY)
NAGS = Counter("pandu_nags_sent", "Nag rounds claimed by this process (reminders, overdue alerts)", registry=REGISTRY)
NAG_MESSAGES = Counter("pandu_nag_messages", "Digest messages queued for those rounds", registry=REGISTRY)

#: When the outbox drain last started in this process (monotonic), for /healthz.
_last_drain: list[float] = []

def sender_alive() -> None:
    """The outbox drain job ran (called at its start)."""
    _last_drain[:] = [time.monotonic()]


def seconds_since_drain() -> float | None:
    return time.monotonic() - _last_drain[0] if _last_drain else None


def nags_sent(rounds: int, messages: int) -> None:
    NAGS.inc(rounds)
    NAG_MESSAGES.inc(messages)


class DatabaseCollector(Collector):
    """Gauges read from the database at each scrape (shared truth across workers)."""

    def __init__(self, read: Callable[[], Any], now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.read, self.now = read, now

    def describe(self) -> list[Metric]:
        return []  # computed at collect time only; nothing to check at registration

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("pandu_database_up", "1 when the database answered this scrape")
        try:
            state = self.read()
        except Exception:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        age = (self.now() - state.oldest_unsent_at).total_seconds() if state.oldest_unsent_at else 0.0
        for name, doc, value in (
            ("pandu_outbox_backlog", "Notifications not yet delivered", state.outbox_backlog),
            ("pandu_outbox_oldest_age_seconds", "Age of the oldest undelivered notification", max(0.0, age)),
            ("pandu_outbox_abandoned", "Notifications given up (refused by Telegram)", state.abandoned),
            ("pandu_open_runs", "SOP runs in progress", state.open_runs),
            ("pandu_overdue_tasks", "Active tasks past their due time", state.overdue_tasks),
            ("pandu_overdue_unreachable_tasks", "Overdue tasks whose holder and coordinator cannot be written to",
             len(state.unreachable)),
        ):
            yield GaugeMetricFamily(name, doc, value=value)

"""The bot's HTTP server: ``/healthz``, ``/metrics`` and, in webhook mode, the webhook.

PTB's own webhook server answers Telegram 200 as soon as an update is *queued*; a worker
killed right after would lose it, and with two workers behind a proxy a chat's next
update could be handled before the previous one. This handler answers only once the
update has been *processed* (through the Application's update processor, so the
concurrency is still PTB's), which makes Telegram's retries the recovery: an update whose
worker died mid-way is delivered again, to a worker that is alive, and the engine's
idempotency keys make the replay change nothing that was already committed.

``/healthz`` answers 200 when the database answers and the outbox sender ran recently,
503 otherwise, with a JSON body saying which part failed. ``/metrics`` is Prometheus'
text format (:mod:`bot.ops.metrics`).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import socket
from collections.abc import Callable
from typing import Any

import tornado.web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.ops.metrics import REGISTRY, seconds_since_drain

logger = logging.getLogger(__name__)

#: The outbox drain runs every few seconds; silence longer than this means it is stuck.
SENDER_STALE_AFTER = 90.0


class Health:
    """What /healthz checks: the database answers, the sender is alive, the bot runs."""

    def __init__(self, application: Application, ping: Callable[[], None], stale_after: float = SENDER_STALE_AFTER) -> None:  # type: ignore[type-arg]
        self.application, self.ping, self.stale_after = application, ping, stale_after

    async def report(self) -> tuple[bool, dict[str, str]]:
        parts: dict[str, str] = {}
        try:
            await asyncio.wait_for(asyncio.to_thread(self.ping), 5.0)
            parts["database"] = "ok"
        except Exception as exc:  # any failure is the answer, not a crash
            parts["database"] = f"error: {type(exc).__name__}"
        since = seconds_since_drain()
        if since is None:
            parts["sender"] = "not started"
        elif since > self.stale_after:
            parts["sender"] = f"stale: last drain {since:.0f}s ago"
        else:
            parts["sender"] = "ok"
        parts["bot"] = "ok" if self.application.running else "stopped"
        return all(v == "ok" for v in parts.values()), parts


class HealthHandler(tornado.web.RequestHandler):
    def initialize(self, health: Health) -> None:
        self.health = health

    async def get(self) -> None:
        ok, parts = await self.health.report()
        self.set_status(200 if ok else 503)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"status": "ok" if ok else "fail", **parts}))


class MetricsHandler(tornado.web.RequestHandler):
    async def get(self) -> None:
        body = await asyncio.to_thread(generate_latest, REGISTRY)  # the DB gauges query the database
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.finish(body)


class WebhookHandler(tornado.web.RequestHandler):
    """One update from Telegram: checked, processed, and only then acknowledged."""

    def initialize(self, bot_app: Application, secret: str | None, inflight: set[asyncio.Task[Any]]) -> None:  # type: ignore[type-arg]
        self.bot_app, self.secret, self.inflight = bot_app, secret, inflight

    async def post(self) -> None:
        if self.secret is not None:
            given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not hmac.compare_digest(given.encode(), self.secret.encode()):
                logger.warning("webhook request with a wrong secret token from %s", self.request.remote_ip)
                raise tornado.web.HTTPError(403)
        try:
            update = Update.de_json(json.loads(self.request.body), self.bot_app.bot)
        except (ValueError, TypeError, KeyError):
            raise tornado.web.HTTPError(400) from None
        app = self.bot_app
        if not app.running:
            raise tornado.web.HTTPError(503)  # stopping: Telegram will retry, another worker takes it
        task = asyncio.ensure_future(app.update_processor.process_update(update, app.process_update(update)))
        self.inflight.add(task)
        try:
            await asyncio.shield(task)  # a dropped connection must not cancel half a handler
        finally:
            self.inflight.discard(task)
        self.set_status(200)
        self.finish()


class WebServer:
    """Owns the listening socket(s); serves health and metrics, and the webhook when given a path."""

    def __init__(self, health: Health, listen: str, port: int, *, webhook_path: str | None = None,
                 secret: str | None = None) -> None:
        self.health, self.listen, self.port = health, listen, port
        self.webhook_path, self.secret = webhook_path, secret
        self.inflight: set[asyncio.Task[Any]] = set()
        self._http: HTTPServer | None = None

    async def start(self) -> int:
        routes: list[Any] = [(r"/healthz", HealthHandler, {"health": self.health}), (r"/metrics", MetricsHandler)]
        if self.webhook_path is not None:
            routes.append((rf"/{self.webhook_path.strip('/')}", WebhookHandler,
                           {"bot_app": self.health.application, "secret": self.secret, "inflight": self.inflight}))
        app = tornado.web.Application(routes, log_function=lambda handler: None)
        family = socket.AF_INET6 if ":" in self.listen else socket.AF_INET
        sockets = bind_sockets(self.port, self.listen, family=family)
        self._http = HTTPServer(app, xheaders=True)
        self._http.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        logger.info("HTTP server on %s:%d (healthz, metrics%s)", self.listen, self.port,
                    ", webhook" if self.webhook_path is not None else "")
        return self.port

    async def stop(self, grace: float = 10.0) -> None:
        """Stop accepting, let updates being processed finish (up to `grace` seconds)."""
        if self._http is None:
            return
        self._http.stop()
        if self.inflight:
            await asyncio.wait(set(self.inflight), timeout=grace)
        await self._http.close_all_connections()
        self._http = None

"""Run the bot until SIGTERM/SIGINT: long polling or the webhook server, plus health/metrics.

PTB's ``run_polling``/``run_webhook`` own the event loop and their own server; Pandu's
server must also answer ``/healthz`` and ``/metrics`` and acknowledge an update only once
it is processed (:mod:`bot.ops.web`), so the lifecycle is spelled out here, in the order
PTB documents: initialize, post_init, start, serve; then stop, post_stop, shutdown,
post_shutdown. In webhook mode every worker sets the same webhook at start; the webhook
is left in place at stop, since the other workers still serve it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from urllib.parse import urlsplit

from telegram.ext import Application

from bot.config import Settings
from bot.ops.metrics import REGISTRY, DatabaseCollector
from bot.ops.probes import ping, read_state
from bot.ops.web import Health, WebServer

logger = logging.getLogger(__name__)


#: The only updates Pandu acts on; Telegram does not even send the others (edits, channel
#: posts, member changes), and the handlers ignores them if it does.
ALLOWED_UPDATES = ["message", "callback_query"]


def web_server(application: Application, settings: Settings) -> WebServer | None:  # type: ignore[type-arg]
    """The HTTP server this configuration needs: the webhook's (with health), health alone, or none."""
    engine = application.bot_data.engine
    health = Health(application, lambda: ping(engine.db))
    if settings.webhook_url:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        path = urlsplit(settings.webhook_url).path or "/"
        return WebServer(health, settings.webhook_listen, settings.webhook_port, webhook_path=path, secret=secret)
    if settings.health_port:
        return WebServer(health, settings.health_listen, settings.health_port)
    return None


async def serve(application: Application, settings: Settings, stop: asyncio.Event | None = None) -> None:  # type: ignore[type-arg]
    """Serve until `stop` is set (or a SIGTERM/SIGINT arrives)."""

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    engine = application.bot_data.engine
    collector = DatabaseCollector(lambda: read_state(engine.db, engine.now()), engine.now)
    REGISTRY.register(collector)
    server = web_server(application, settings)
    await application.initialize()
    started = False
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        started = True
        if server is not None:
            await server.start()
        if settings.webhook_url:
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
            await application.bot.set_webhook(
                settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                max_connections=settings.webhook_max_connections,
            )
            logger.info("webhook mode: Telegram delivers to the configured WEBHOOK_URL")
        else:
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            logger.info("long polling")
        await stop.wait()
        logger.info("stopping")
    finally:
        if server is not None:
            await server.stop()
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if started:
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        REGISTRY.unregister(collector)


def run(application: Application, settings: Settings) -> int:  # type: ignore[type-arg]
    asyncio.run(serve(application, settings))
    return 0

"""Wiring of the Telegram bot: build the PTB Application and run it.

`python -m bot` calls :func:`run_bot`, which long-polls by default or serves a webhook
when ``WEBHOOK_URL`` is set. :func:`build_application` is also what the tests and the
demo use, pointed at the local Bot API emulator through ``TELEGRAM_API_BASE_URL``.
Handlers live in :mod:`handlers`; this module only assembles services and lifecycle.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from telegram import Bot, BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, BaseRateLimiter, Defaults
from telegram.request import BaseRequest

from bot.config import Settings
from bot.ops.secrets import protect_secrets, quiet_http_logs
from handlers.context import CONTEXT_TYPES, BotData, Prompt
from handlers.ui.texts import t

if TYPE_CHECKING:
    from bot.engine import SopEngine

logger = logging.getLogger(__name__)

#: Messages per second for the whole bot. Telegram allows about 30; pacing at exactly 30
#: drew 429s in the nag-burst benchmark, 26 drew none (see README, Performance).
OVERALL_MAX_RATE = 26

#: Seconds between the outbox sender's own looks at the outbox (handlers wake it at once;
#: this catches failed sends coming due and what a crash left).
DRAIN_INTERVAL = 5.0

#: (Indonesian command, English command, catalog key of the description) for setMyCommands.
MENU: tuple[tuple[str, str, str], ...] = (
    ("start", "start", "cmd_start"),
    ("tugas", "mytasks", "cmd_tasks"),
    ("selesai", "done", "cmd_done"),
    ("status", "next", "cmd_status"),
    ("peran", "roles", "cmd_roles"),
    ("ambil", "claim", "cmd_claim"),
    ("lepas", "release", "cmd_release"),
    ("tetapkan", "assign", "cmd_assign"),
    ("cabut", "revoke", "cmd_revoke"),
    ("plh", "plh", "cmd_plh"),
    ("wakili", "onbehalf", "cmd_onbehalf"),
    ("riwayat", "history", "cmd_history"),
    ("laporan", "report", "cmd_report"),
    ("peta", "flow", "cmd_flow"),
    ("monev", "review", "cmd_monev"),
    ("sop", "sop", "cmd_sop"),
    ("mulai", "startrun", "cmd_startrun"),
    ("batal", "cancel", "cmd_cancel"),
    ("bahasa", "language", "cmd_language"),
    ("zona", "timezone", "cmd_zone"),
    ("bantuan", "help", "cmd_help"),
)


# -- services -----------------------------------------------------------------------------
def file_url_for(base_url: str) -> str:
    """``…/bot`` (the Bot API) has its file downloads under ``…/file/bot``."""
    head, sep, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}" if sep else f"{base_url}/file"


def build_engine(settings: Settings) -> SopEngine:
    """The run engine over the configured database and SOP folder, on working time."""
    from bot.engine import SopEngine

    return SopEngine.from_settings(settings)


def build_application(
    settings: Settings,
    engine: SopEngine | None = None,
    *,
    upgrade_schema: bool = True,
    drain_interval: float | None = DRAIN_INTERVAL,
    rate_limiter: BaseRateLimiter | None = None,  # type: ignore[type-arg]
    request_timeout: float | None = None,
    request: BaseRequest | None = None,
) -> Application:  # type: ignore[type-arg]
    """A ready-to-start Application: services in bot_data, handlers registered, lifecycle hooks set.

    Every Bot API request goes through a rate limiter that keeps Telegram's limits per chat
    and retries timeouts and 5xx (:class:`handlers.transport.pacing.TelegramPacer`); updates of different
    chats are handled concurrently, each chat's in order (:mod:`handlers.transport.update_order`); the outbox
    sender runs in the background (:mod:`handlers.outbox.sender`), looking every `drain_interval`
    seconds besides when woken. `request_timeout` shortens PTB's connect/read/write
    timeouts (tests that make the emulator hang use it). `request` replaces the HTTP client
    for every Bot API call (the in-process handler test client records them in memory).
    """
    from handlers.transport.pacing import TelegramPacer
    from handlers.transport.update_order import PerChatUpdateProcessor
    from bot.deadlines.scheduler import NagScheduler
    from handlers.transport.instrument import MeasuredApplication
    from bot.deadlines.service import NagService
    from handlers.outbox.sender import Notifier
    from handlers.registry import register
    from storage.prompts import SharedPrompts

    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is required")
    protect_secrets(token, settings.webhook_secret.get_secret_value() if settings.webhook_secret else "")
    quiet_http_logs()
    builder = (
        ApplicationBuilder()
        .application_class(MeasuredApplication)  # counts updates, times presses (/metrics)
        .token(token)
        .context_types(CONTEXT_TYPES)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(rate_limiter or TelegramPacer(overall_rate=OVERALL_MAX_RATE, max_retries=2))
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if request_timeout is not None:
        builder = builder.connect_timeout(request_timeout).read_timeout(request_timeout).write_timeout(request_timeout)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(file_url_for(base))
    application = builder.build()
    data: BotData = application.bot_data
    data.settings = settings
    data.engine = engine if engine is not None else build_engine(settings)
    data.sops = data.engine.catalog
    data.notifier = Notifier(application, poll=drain_interval or DRAIN_INTERVAL)
    data.nags = NagScheduler(NagService(data.engine), after_tick=data.notifier.nudge)
    data.upgrade_schema = upgrade_schema
    if getattr(data.engine, "db", None) is not None:  # open questions, shared by every worker
        data.prompts = SharedPrompts.of(Prompt, data.engine.db, data.engine.now)
    register(application)
    return application


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    """Upgrade the schema, learn our username, publish the command menu in both languages."""
    data: BotData = application.bot_data
    if data.upgrade_schema:
        from storage.migrate import upgrade

        revision = await asyncio.to_thread(upgrade, data.settings.effective_database_url)
        logger.info("database schema at %s", revision)
    await asyncio.to_thread(data.sops.list)  # the catalogue's first read publishes the SOP_DIR seeds
    me = await application.bot.get_me()
    data.bot_username = me.username or ""
    await publish_menu(application.bot)
    await data.notifier.start()  # delivers at once whatever a crash left unsent
    await data.nags.start()  # arms the deadline job at the earliest pending nag in the database
    logger.info("Pandu is up as @%s", data.bot_username)


async def publish_menu(bot: Bot) -> None:
    """The command menu in Indonesian (the default) and English (`python -m bot setup` too)."""
    await bot.set_my_commands([BotCommand(i, t("id", key)) for i, _, key in MENU])
    await bot.set_my_commands([BotCommand(e, t("en", key)) for _, e, key in MENU], language_code="en")


async def _post_stop(application: Application) -> None:  # type: ignore[type-arg]
    """No deadline ticks once updates stop (the database keeps every pending nag); the
    sender finishes what it is sending and hands back the rest of its claims."""
    await application.bot_data.nags.stop()
    await application.bot_data.notifier.stop()


async def _post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
    """Stop the deadline scheduler and sender (if post_stop did not), release database connections."""
    await application.bot_data.nags.stop()
    await application.bot_data.notifier.stop()
    engine = application.bot_data.engine
    db = getattr(engine, "db", None)
    if db is not None and hasattr(db, "dispose"):
        await asyncio.to_thread(db.dispose)


def run_bot(settings: Settings) -> int:
    """Run until SIGTERM/SIGINT: long polling, or the webhook server when WEBHOOK_URL is set."""
    from bot.ops.runner import run  # also serves /healthz and /metrics (HEALTH_PORT, webhook)

    return run(build_application(settings), settings)


@contextlib.asynccontextmanager
async def serving(app: Application, poll_timeout: float = 5) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run `app` by long polling inside the current event loop, as run_polling would.

    The demo and the tests share the loop with the emulator, so they cannot hand it to
    run_polling; this starts (initialize, post_init, start, poll) and always stops cleanly.
    """
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=poll_timeout)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            if app.post_stop is not None:  # as run_polling does: the sender stops while the bot can still send
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def publish_with_token(token: str, base_url: str | None) -> None:
    """`python -m bot setup`: register the command menu before the bot ever runs."""
    kwargs = {"base_url": base_url.rstrip("/"), "base_file_url": file_url_for(base_url)} if base_url else {}
    async with Bot(token, **kwargs) as bot:
        await publish_menu(bot)

"""A bot in its own process, long-polling the emulator: `python -m benchmarks.botproc MODE ...`.

``pandu``: the real Application from :func:`handlers.application.build_application` (handlers, outbox
drain job, migrations in post_init), started with ``run_polling`` as ``python -m bot``
does. The only difference from production is the rate limiter: Telegram's own pacing
(30 messages/s, 20/min per group) is switched off, since the emulator enforces no flood
limits in a throughput benchmark and the figure wanted is what the bot can process.

Options for the deadline benchmarks: ``--production-limiter`` keeps the rate limiter
handlers/application.py builds by default (Telegram's pacing), ``--all-hours`` puts the engine on a 24/7 working
calendar so that nags fall whatever day and hour the benchmark runs.

``echo``: the framework's floor, a bare PTB Application on the same rate limiter with one
MessageHandler that replies with the text it got (or, for a text starting "x4 ", makes the
four Bot API calls a confirmation makes: three messages and an edit).

The echo bot processes updates one at a time, as PTB does by default; Pandu handles
different chats concurrently, each chat's updates in order (:mod:`handlers.transport.update_order`).
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from pydantic import SecretStr
from telegram import Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from benchmarks.common import SOP_DIR


def unthrottled() -> AIORateLimiter:
    """The limiter the end-to-end tests use: retries on 429 kept, Telegram's pacing off."""
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=2)


def pandu(args: argparse.Namespace) -> Application:  # type: ignore[type-arg]
    from handlers.application import build_application
    from bot.config import Settings

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=SecretStr(args.token),
        telegram_api_base_url=args.base_url,
        database_url=args.database_url,
        sop_dir=Path(args.sop_dir),
        log_level=args.log_level,
    )
    limiter = None if args.production_limiter else unthrottled()
    engine = None
    if args.all_hours:
        from bot.engine import SopEngine, continuous_calendar

        engine = SopEngine.from_settings(settings)
        engine.calendar_for = continuous_calendar  # every minute is working time: runs on any day
    return build_application(settings, engine=engine, rate_limiter=limiter)


def echo(args: argparse.Namespace) -> Application:  # type: ignore[type-arg]
    base = args.base_url.rstrip("/")
    head, _, tail = base.rpartition("/")
    app = (
        ApplicationBuilder()
        .token(args.token)
        .base_url(base)
        .base_file_url(f"{head}/file/{tail}")
        .rate_limiter(unthrottled())
        .build()
    )

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        if not message.text.startswith("x4 "):
            await message.reply_text(message.text)
            return
        # A confirmation's pattern of Bot API calls: three messages and an edit, one after another.
        first = await message.reply_text(message.text)
        await message.reply_text(f"{message.text} (2)")
        await first.edit_text(f"{message.text} (edited)")
        await message.reply_text(f"{message.text} (3)")

    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, reply))
    return app


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.botproc")
    p.add_argument("mode", choices=["pandu", "echo"])
    p.add_argument("--token", required=True)
    p.add_argument("--base-url", required=True)
    p.add_argument("--database-url")
    p.add_argument("--sop-dir", default=str(SOP_DIR))
    p.add_argument("--log-level", default="INFO")
    p.add_argument("--production-limiter", action="store_true", help="the rate limiter handlers/application.py builds by default")
    p.add_argument("--all-hours", action="store_true",
                   help="a 24/7 working calendar (no office hours, weekends or holidays), so nags fall any day")
    args = p.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("httpx", "httpcore", "apscheduler", "alembic.runtime.plugins"):
        logging.getLogger(name).setLevel(logging.WARNING)
    app = pandu(args) if args.mode == "pandu" else echo(args)
    app.run_polling()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

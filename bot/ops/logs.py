"""Logging of the running bot: plain text by default, one JSON object a line with LOG_FORMAT=json.

JSON lines go straight into journald, Loki or Elasticsearch without a parsing rule. The
bot token and the webhook secret are redacted in the finished line too, whatever part of
the record (message, arguments, traceback) carried them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from bot.config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactedJsonFormatter(JsonFormatter):
    """JSON lines with the secrets of `redact` (bot.ops.secrets.RedactSecrets.redact) taken out."""

    def __init__(self, *args: Any, redact: Callable[[str], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


def configure_logging(settings: Settings) -> None:
    """Root logger at LOG_LEVEL on stderr, in the chosen format (replacing earlier handlers)."""
    from bot.ops.secrets import RedactSecrets, protect_secrets

    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_format == "json":
        handler.setFormatter(RedactedJsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            redact=RedactSecrets((token, secret)).redact,
        ))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=settings.log_level.upper(), handlers=[handler], force=True)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    protect_secrets(token, secret)  # and in every record, whichever handler shows it

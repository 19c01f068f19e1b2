"""The bot token never reaches a log, a traceback or stderr.

PTB and httpx log request URLs, and the Bot API puts the token in every URL; so every
record is redacted where it is made, and uncaught tracebacks on their way to stderr.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Iterable
from types import TracebackType
from typing import Any


class RedactSecrets(logging.Filter):
    """Replace secrets (the bot token) wherever they appear in a record: message, args, traceback.

    PTB and httpx log request URLs, and the Bot API puts the token in every URL.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[REDACTED]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the record
            message = str(record.msg)
        record.msg, record.args = self.redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


_redactor = RedactSecrets(())


def protect_secrets(*secrets: str) -> RedactSecrets:
    """Redact `secrets` in every record created from now on, whichever handler shows it.

    A filter on a logger does not see its children's records, and handlers come and go
    (pytest's capture, a later basicConfig), so the filter runs in the record factory.
    """
    global _redactor
    fresh = _redactor.secrets == ()
    _redactor.secrets = tuple(dict.fromkeys((*_redactor.secrets, *(s for s in secrets if s))))
    if fresh:
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _redactor.filter(record)
            return record

        logging.setLogRecordFactory(factory)
        _redact_uncaught_exceptions()
    for handler in logging.getLogger().handlers:
        if _redactor not in handler.filters:
            handler.addFilter(_redactor)
    return _redactor


def _redact_uncaught_exceptions() -> None:
    """Tracebacks of uncaught exceptions go to stderr without logging: redact those too."""

    def show(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        sys.stderr.write(_redactor.redact("".join(traceback.format_exception(kind, value, tb))))

    def show_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not SystemExit and args.exc_value is not None:
            show(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = show
    threading.excepthook = show_thread


def quiet_http_logs() -> None:
    """httpx logs every request URL (with the token) at INFO; keep only its warnings."""
    for name in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(name).setLevel(logging.WARNING)

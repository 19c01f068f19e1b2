"""How Pandu copes with Telegram failing: what a failure means, how retries are spaced, and
the sender's identity.

Telegram fails in three ways a bot must survive: requests that time out or meet a 5xx
(``NetworkError``/``TimedOut`` in PTB, which are worth retrying), 429 flood waits
(``RetryAfter``: wait exactly as long as Telegram asks) and permanent refusals (400
``BadRequest``, 403 ``Forbidden``: retrying cannot help). :func:`classify` names the
three, :func:`backoff` spaces retries (exponential with jitter, so many senders do not
retry in step), and the production rate limiter
(:class:`handlers.transport.pacing.TelegramPacer`) retries transient failures of every
request the bot makes, so a handler rarely sees one. The outbox sender adds its own,
longer backoff on top, stored in the database, for outages that outlast a request.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import uuid
import warnings
from collections.abc import Callable
from datetime import timedelta

from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError, RetryAfter

logger = logging.getLogger(__name__)

#: Retries of one request inside the rate limiter, and the first pause between them.
REQUEST_RETRIES = 3
REQUEST_BACKOFF = 0.25


def classify(error: BaseException) -> str:
    """"retry" (transient), "wait" (429), "forbidden" (403) or "permanent" (400 and the like)."""
    if isinstance(error, RetryAfter):
        return "wait"
    if isinstance(error, Forbidden):
        return "forbidden"
    if isinstance(error, (BadRequest, ChatMigrated)):
        return "permanent"
    if isinstance(error, (NetworkError, InvalidToken)):  # TimedOut, 5xx, connection errors
        return "retry"
    return "permanent"


def retry_after_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait (PTB 22 is moving the attribute to a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def backoff(attempt: int, base: float, cap: float, rng: Callable[[], float] = random.random) -> float:
    """Seconds before retry number `attempt` (0-based): base·2^attempt, capped, times 0.5–1.5."""
    return min(cap, base * 2 ** min(attempt, 30)) * (0.5 + rng())


# -- who is sending --------------------------------------------------------------------------
def sender_id() -> str:
    """This process as an outbox sender: ``host:pid:random`` (unique even if pids repeat)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def is_dead(sender: str) -> bool:
    """True only when `sender` ran on this host and its process is gone.

    A sender on another host is never declared dead here: its claims simply expire with
    their lease. A pid reused by an unrelated process makes us wait for the lease too.
    """
    host, _, rest = sender.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:60] or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by someone else
        return False
    return False

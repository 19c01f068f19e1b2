"""The one error handler: refusals become polite answers, bugs get logged.

Every refusal (a handler's, the engine's, a forged button's) carries its message key and
words (:mod:`bot.domain.refusal`); it is worded here in the chat's language, the names and
times it refers to looked up. A refusal is answered where the person acted: a reply to a message, or an alert on the
button they pressed (Telegram shows callback answers as plain text of at most 200
characters). A refusal comes before any change (the engine's transaction rolled back).
Other failures are sorted by :func:`classify`: a message or press that is gone is only
logged, Telegram trouble gets a "check /status" answer, and anything else is a bug:
logged with its traceback (the token redacted), counted in ``unexpected_errors`` (tests
assert it stays empty) and answered politely. A handler may fail after its change was
committed, so the outbox sender is woken afterwards: its notifications still go out.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Mapping
from typing import Any

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.domain.refusal import Moment, Person, Phrase, Refusal, RoleName, Text
from handlers.common import lang_of
from handlers.context import Context
from handlers.ui.formatting import esc, mention, when
from handlers.actor_facts import person_ref
from handlers.engine_calls import do, engine
from handlers.ui.texts import ID, t

logger = logging.getLogger(__name__)
_TAGS = re.compile(r"<[^>]+>")
ALERT_LIMIT = 200


async def role_display(context: Context, key: str, run_id: int | None) -> str:
    """A role key's name in the SOP version the run is pinned to (not the file on disk)."""
    if run_id is not None:
        try:
            sop = await do(engine(context).run_definition, run_id)
        except Refusal:
            sop = None
        role = sop.role_by_key.get(key) if sop is not None else None
        if role is not None:
            return esc(role.nama)
    return esc(key)


async def person(context: Context, user_id: int | None) -> str:
    return "?" if user_id is None else mention(await person_ref(context, user_id))


async def word(context: Context, value: Any) -> Any:
    """One word of a refusal: a reference resolved (names, times, typed text), the rest as is."""
    if isinstance(value, Person):
        return await person(context, value.user_id)
    if isinstance(value, RoleName):
        return await role_display(context, value.key, value.run_id)
    if isinstance(value, Text):
        return esc(value.value, value.limit)
    if isinstance(value, Moment):
        tz = context.chat_data.get("tz", context.bot_data.settings.default_timezone)
        return when(value.at, tz, lang_of(context))
    if isinstance(value, Phrase):
        return await sentence(context, value.key, value.words)
    return value


async def sentence(context: Context, key: str, words: Mapping[str, Any]) -> str:
    """The message `key` in the chat's language, its references resolved."""
    if key not in ID:
        logger.warning("no wording for refusal %s", key)
        key, words = "error", {}
    return t(lang_of(context), key, **{name: await word(context, v) for name, v in words.items()})


async def explain(context: Context, refusal: Refusal) -> str:
    """The sentence for any refusal, from the message key it carries."""
    return await sentence(context, *refusal.wording())


def plain(text: str) -> str:
    """Callback alerts show plain text: drop tags, unescape, shorten."""
    value = html.unescape(_TAGS.sub("", text))
    return value if len(value) <= ALERT_LIMIT else value[: ALERT_LIMIT - 1] + "…"


async def answer(update: Update, text: str) -> None:
    """Tell the person why, where they acted."""
    if update.callback_query is not None:
        await update.callback_query.answer(plain(text), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text, do_quote=True)


#: Telegram's words for a message or press that is gone: the person deleted it, pressed
#: twice, or a restart replayed a press whose query expired. Nothing to tell anyone.
GONE = (
    "query is too old",
    "query id is invalid",
    "message to edit not found",
    "message is not modified",
    "message can't be edited",
    "message to delete not found",
    "message to be replied not found",
)


def classify(error: object) -> str:
    """"refusal", "gone" (nothing to answer), "telegram" (transport trouble) or "bug"."""
    if isinstance(error, Refusal):
        return "refusal"
    if isinstance(error, Forbidden) or (isinstance(error, BadRequest) and any(g in str(error).lower() for g in GONE)):
        return "gone"
    if isinstance(error, (RetryAfter, NetworkError)) and not isinstance(error, BadRequest):
        return "telegram"
    return "bug"


async def on_error(update: object, context: Context) -> None:
    """Answer refusals politely; log anything else (the token is redacted from every record).

    Whatever a failed handler committed before it failed is delivered here: its
    notifications are in the outbox, and waking the sender is harmless when there are none.
    """
    error = context.error
    kind = classify(error)
    if not isinstance(update, Update):
        if kind == "bug":
            context.bot_data.unexpected_errors.append(type(error).__name__)
        logger.error("error outside an update: %s", error, exc_info=error)
        return
    text = await _what_to_say(update, context, error, kind)
    if text is not None:
        await _answer_quietly(update, text)
    if kind != "refusal":
        await deliver_pending(context)


async def _what_to_say(update: Update, context: Context, error: BaseException | None, kind: str) -> str | None:
    """The answer to a failed update (None: nothing to say), logged and counted by its kind."""
    lang = lang_of(context)
    if isinstance(error, Refusal):
        return await explain(context, error)
    if kind == "gone":
        logger.info("update %s: %s", update.update_id, error)
        return None
    if kind == "telegram":
        logger.warning("update %s: Telegram trouble: %s", update.update_id, error)
        return t(lang, "error_telegram")
    context.bot_data.unexpected_errors.append(type(error).__name__)
    logger.error("update %s failed", update.update_id, exc_info=error)
    return t(lang, "error")


async def _answer_quietly(update: Update, text: str) -> None:
    """Answer where the person acted; an answer that cannot be given is only logged."""
    try:
        await answer(update, text)
    except (BadRequest, Forbidden) as exc:  # the query expired, or we may not write there
        logger.info("could not answer update %s: %s", update.update_id, exc)
    except TelegramError:
        logger.warning("could not answer update %s", update.update_id, exc_info=True)


async def deliver_pending(context: Context) -> None:
    """Have the background sender deliver what a failed handler left in the outbox."""
    notifier = getattr(context.bot_data, "notifier", None)
    if notifier is not None:
        notifier.wake()

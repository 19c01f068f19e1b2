"""The one error handler: refusals and engine errors become polite answers, bugs get logged.

A refusal is answered where the person acted: a reply to a message, or an alert on the
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

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.engine.errors import EngineError
from handlers.ui.callback_data import CallbackError
from handlers.common import Refusal, lang_of
from handlers.context import Context
from handlers.ui.formatting import esc, mention, when
from handlers.services import do, engine, person_ref
from handlers.ui.texts import ID, t

logger = logging.getLogger(__name__)
_TAGS = re.compile(r"<[^>]+>")
ALERT_LIMIT = 200

#: Engine error code -> catalog message id, for errors that need no names looked up.
SIMPLE: dict[str, str] = {
    "run_not_active": "run_not_active",
    "no_pending_claim": "stale_button",
    "not_a_decision": "stale_button",
    "is_a_decision": "stale_button",
    "unknown_outcome": "stale_button",
    "no_such_task": "stale_button",
    "reason_required": "reason_required",
    "undo_not_allowed": "undo_not_allowed",
    "invalid_setting": "language_usage",
}


async def role_display(context: Context, key: str, run_id: int | None) -> str:
    """A role key's name in the SOP version the run is pinned to (not the file on disk)."""
    if run_id is not None:
        try:
            sop = await do(engine(context).run_definition, run_id)
        except EngineError:
            sop = None
        role = sop.role_by_key.get(key) if sop is not None else None
        if role is not None:
            return esc(role.nama)
    return esc(key)


async def person(context: Context, user_id: int | None) -> str:
    return "?" if user_id is None else mention(await person_ref(context, user_id))


async def explain(context: Context, error: EngineError) -> str:
    """The sentence for an engine refusal, with the names and times it refers to."""
    lang, p = lang_of(context), error.params
    code = error.code
    if code == "undo_not_allowed" and p.get("reason") == "not_author":
        return t(lang, "undo_not_yours")
    if code == "text_required":
        return t(lang, f"text_required_{p.get('field')}")
    if code in SIMPLE:
        return t(lang, SIMPLE[code])
    if code == "run_not_found":
        return t(lang, "run_number_unknown", number=p["number"]) if p.get("number") else t(lang, "stale_button")
    if code == "unknown_sop":
        return t(lang, "sop_unknown", id=esc(p["sop_id"], 48))
    if code == "unknown_role":
        return t(lang, "role_unknown", query=esc(p["role_key"], 40), roles=", ".join(p.get("known") or ()))
    if code == "role_taken":
        return t(lang, "role_taken", role=await role_display(context, p["role_key"], p.get("run_id")), holder=await person(context, p["holder_id"]))
    if code == "role_is_external":
        return t(lang, "role_is_external", role=await role_display(context, p["role_key"], p.get("run_id")))
    if code == "role_not_held":
        return t(lang, "role_not_held", role=await role_display(context, p["role_key"], p.get("run_id")))
    if code == "not_coordinator":
        return t(lang, "not_coordinator", coordinator=await person(context, p["coordinator_id"]))
    if code == "not_role_holder":
        return t(lang, "not_holder", role=await role_display(context, p["role_key"], p.get("run_id")))
    if code == "task_not_current":
        by = ""
        if p.get("completed_by") is not None:
            tz = context.chat_data.get("tz", context.bot_data.settings.default_timezone)
            who = await person(context, p["completed_by"])
            by = t(lang, "task_done_by", user=who, when=when(p.get("completed_at"), tz, lang))
        return t(lang, "task_not_current", by=by)
    if code == "delegation_refused" and f"plh_refused_{p['rule']}" in ID:
        role = await role_display(context, p["role_key"], p.get("run_id")) if p.get("role_key") else "?"
        details = {"days": "?", "max_days": "?", **(p.get("details") or {})}
        return t(lang, f"plh_refused_{p['rule']}", role=role, days=details["days"], max_days=details["max_days"])
    logger.warning("no wording for engine error %s", error)
    return t(lang, "error")


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
    if isinstance(error, (Refusal, CallbackError, EngineError)):
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
    lang = lang_of(context)
    text: str | None = None
    if isinstance(error, Refusal):
        text = t(lang, error.key, **error.params)
    elif isinstance(error, CallbackError):
        text = t(lang, "stale_button")
    elif isinstance(error, EngineError):
        text = await explain(context, error)
    elif kind == "gone":
        logger.info("update %s: %s", update.update_id, error)
    elif kind == "telegram":
        logger.warning("update %s: Telegram trouble: %s", update.update_id, error)
        text = t(lang, "error_telegram")
    else:
        context.bot_data.unexpected_errors.append(type(error).__name__)
        logger.error("update %s failed", update.update_id, exc_info=error)
        text = t(lang, "error")
    if text is not None:
        try:
            await answer(update, text)
        except (BadRequest, Forbidden) as exc:  # the query expired, or we may not write there
            logger.info("could not answer update %s: %s", update.update_id, exc)
        except TelegramError:
            logger.warning("could not answer update %s", update.update_id, exc_info=True)
    if kind != "refusal":
        await deliver_pending(context)


async def deliver_pending(context: Context) -> None:
    """Have the background sender deliver what a failed handler left in the outbox."""
    notifier = getattr(context.bot_data, "notifier", None)
    if notifier is not None:
        notifier.wake()

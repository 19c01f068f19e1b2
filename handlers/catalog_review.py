"""Reviewing an SOP draft in chat: the buttons that fix its "??" marks and the replies that answer.

A draft's review message lists what is still missing, one button per issue. Buttons that
pick (a step's actors, the supervisor, external roles, a decision's return target) edit
the pressed message into a picker and back; those that need words (a time, a column's
name, a text field) send a ForceReply question whose answer is the fix. Every fix is
re-validated (:func:`bot.catalog.review.review`) and the review shown again. Drafts, with
the question awaiting an answer, live in the database, so all of it survives a restart;
only their owner may press or answer.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import ForceReply, Message, Update
from telegram.ext import filters

from bot.catalog import fixes
from bot.catalog.review import Review, review
from bot.catalog.service import Fix
from bot.catalog.views import DraftView
from handlers.ui import callback_data as cb
from handlers.ui import catalog_pickers as pickers
from handlers.ui import catalog_text as view
from handlers.catalog_services import call, desk, manager_of
from handlers.common import Refusal, acknowledge, edit_pressed, lang_of, reply
from handlers.context import Context
from handlers.ui.formatting import esc, mention
from handlers.reports import draw_flowchart, send_file
from handlers.engine_calls import do, me
from handlers.run_lookup import chat_timezone
from handlers.ui.texts import t

logger = logging.getLogger(__name__)

#: The first line of every question a draft asks ("✏️ Draf SOP #12 · …"), in either language.
PROMPT = re.compile(r"^✏️ (?:Draf SOP|SOP draft) #(\d{1,12})\b")
REPLY_KINDS = ("time", "total", "role_name", "number", "text")


class DraftPrompt(filters.MessageFilter):
    """A reply to one of a draft's questions (recognised by its first line, so after a restart too)."""

    def filter(self, message: Message) -> bool:
        target = message.reply_to_message
        return bool(target is not None and target.from_user is not None and target.from_user.is_bot
                    and PROMPT.match(target.text or ""))


# -- showing a draft ---------------------------------------------------------------------------
async def review_parts(context: Context, draft: DraftView) -> tuple[str, Any, Review]:
    lang = lang_of(context)
    checked = await do(review, draft.content, lang)
    tz = await chat_timezone(context, draft.chat_id)
    return view.review_text(draft, checked, tz, lang), view.review_keyboard(draft, checked, lang), checked


async def send_new_draft(update: Update, context: Context, draft: DraftView) -> None:
    """The summary and the flowchart picture of a new draft (its review follows)."""
    from bot.catalog.provisional import provisional_definition

    lang = lang_of(context)
    checked = await do(review, draft.content, lang)
    await reply(update, view.summary(draft, checked, lang))
    sop = checked.definition or await do(provisional_definition, draft.content)
    pages: list[bytes] = []
    if sop is not None:
        try:
            pages = await do(draw_flowchart, sop, lang=lang)
        except Exception:  # an odd document must not cost the review: the picture is a help only
            logger.exception("draft %s: flowchart failed", draft.id)
    if not pages:
        await reply(update, t(lang, "catalog_flow_failed"))
    note = "" if checked.definition is not None else t(lang, "catalog_flow_provisional")
    caption = t(lang, "catalog_flow_caption", draft=draft.id) + note
    for index, page in enumerate(pages, 1):
        await send_file(update, context, "photo", page, f"draf-{draft.id}-{index}.png", caption)


async def show_review(update: Update, context: Context, draft: DraftView, *, edit: bool) -> None:
    text, markup, _checked = await review_parts(context, draft)
    if edit and update.callback_query is not None:
        await edit_pressed(update.callback_query, text, markup)
    else:
        await reply(update, text, markup)


# -- buttons ------------------------------------------------------------------------------------
async def fix_button(update: Update, context: Context, data: cb.DraftFix) -> None:
    """Any button of a draft: open a picker, apply a pick, ask a question, publish or discard."""
    query, user, lang = update.callback_query, update.effective_user, lang_of(context)
    assert query is not None and query.message is not None and user is not None
    drafts = desk(context).drafts
    draft = await call(context, drafts.get, data.draft_id, user.id)  # someone else's or expired: refused here
    action, index, arg = data.action, data.index, data.arg
    _check_position(draft, action, index)
    if action in REPLY_KINDS:
        await acknowledge(query)
        await ask(update, context, draft, action, index, arg)
    elif action == "publish":
        await publish(update, context, draft)
    elif action == "discard":
        await call(context, drafts.discard, draft.id, user.id)
        await acknowledge(query)
        await edit_pressed(query, t(lang, "catalog_discarded", draft=draft.id))
    elif action == "summary":
        await acknowledge(query)
        await reply(update, view.summary(draft, await do(review, draft.content, lang), lang))
    elif not await open_picker(update, context, draft, action, index, arg):
        await _apply_pick(update, context, draft, action, index, arg)


async def _apply_pick(update: Update, context: Context, draft: DraftView, action: str, index: int, arg: int) -> None:
    """A picker's button: apply its fix, then show the review (the external picker stays open)."""
    query, user, lang = update.callback_query, update.effective_user, lang_of(context)
    assert query is not None and user is not None
    changed = await call(context, desk(context).drafts.apply, draft.id, user.id, _button_fix(draft, action, index, arg))
    await acknowledge(query, t(lang, "catalog_fixed_ack"))
    if action == "toggle_ext":
        await open_picker(update, context, changed, "external", 0, 0)
    else:
        await show_review(update, context, changed, edit=True)


STEP_ACTIONS = frozenset({"actors", "time", "number", "goto", "decision_hint", "set_goto", "no_decision"})
ROLE_ACTIONS = frozenset({"role_name", "pick", "set_sup", "toggle_ext"})


def _check_position(draft: DraftView, action: str, index: int) -> None:
    """A step or role a (possibly forged) button names must exist in the draft."""
    key = "steps" if action in STEP_ACTIONS else "roles" if action in ROLE_ACTIONS else None
    if key is not None and not index < len(draft.content.get(key) or []):
        raise Refusal("catalog_fix_stale")


def _button_fix(draft: DraftView, action: str, index: int, arg: int) -> Fix:
    """The fix a picker's button makes."""
    pending = draft.pending or {}
    if action == "save":
        if pending.get("kind") != "actors":  # the picker was left for another question meanwhile
            raise Refusal("catalog_fix_stale")
        selected = list(pending.get("selected") or [])
        return lambda d: fixes.set_actors(d, int(pending.get("step", -1)), selected)
    if action == "set_sup":
        return lambda d: fixes.set_supervisor(d, index)
    if action == "toggle_ext":
        return lambda d: fixes.toggle_external(d, index)
    if action == "set_goto":
        outcome = pending.get("outcome")
        if outcome is None:
            return lambda d: fixes.make_decision(d, index, arg)
        return lambda d: fixes.set_goto(d, index, int(outcome), arg)
    if action == "no_decision":
        return lambda d: fixes.remove_decision(d, index)
    if action == "review":
        return lambda d: d
    raise cb.CallbackError(f"unknown draft action {action!r}")


async def open_picker(update: Update, context: Context, draft: DraftView, action: str, index: int, arg: int) -> bool:
    """Edit the pressed message into a picker; False when `action` is not one that opens one."""
    query, user, lang = update.callback_query, update.effective_user, lang_of(context)
    assert query is not None and user is not None
    drafts = desk(context).drafts
    if action in ("actors", "pick"):
        pending = pickers.actors_pending(draft, action, index)
        draft = await call(context, drafts.set_pending, draft.id, user.id, pending)
        text, markup = pickers.actors_picker(draft, pending, lang)
    elif action in ("supervisor", "external"):
        text, markup = pickers.role_choice(draft, action, lang)
    elif action in ("goto", "decision_hint"):
        outcome = arg if action == "goto" else None
        draft = await call(context, drafts.set_pending, draft.id, user.id,
                           {"kind": "goto", "step": index, "outcome": outcome})
        text, markup = pickers.goto_choice(draft, index, outcome, lang)
    else:
        return False
    await acknowledge(query)
    await edit_pressed(query, text, markup)
    return True


async def publish(update: Update, context: Context, draft: DraftView) -> None:
    """✅ Terbitkan: the next version, visible to /sop and /mulai at once in every process."""
    from bot.catalog.views import CatalogError
    from handlers.errors import explain

    query, lang = update.callback_query, lang_of(context)
    assert query is not None
    manager = await manager_of(update, context)
    try:
        done = await do(desk(context).publisher.publish, draft.id, manager)
    except CatalogError as exc:
        if exc.code != "version_taken":
            raise
        await acknowledge(query)  # the long story goes in a message, with the review re-based
        await reply(update, await explain(context, exc))
        await show_review(update, context, await call(context, desk(context).drafts.get, draft.id, manager.user_id),
                          edit=True)
        return
    await do(desk(context).refresh)
    await acknowledge(query, t(lang, "catalog_fixed_ack"))
    text = t(lang, "catalog_published", name=esc(done.nama), version=done.version, id=done.sop_id,
             scope=view.scope_name(done.scope_chat_id, done.scope_chat_id, lang))
    await edit_pressed(query, text)


# -- questions and their answers -----------------------------------------------------------------
async def ask(update: Update, context: Context, draft: DraftView, kind: str, index: int, arg: int) -> None:
    """Send the ForceReply question of a fix that needs words, and remember it with the draft."""
    lang, user, content = lang_of(context), update.effective_user, draft.content
    assert user is not None
    params: dict[str, Any] = {"draft": draft.id, "no": view.step_no(content, index), "position": index + 1,
                              "column": index + 1}
    key = f"catalog_ask_{kind}"
    if kind == "text":
        params["field"] = view.field_name(content, index, arg, lang)
        key = "catalog_ask_id" if index == 0 else "catalog_ask_nip" if index == 4 else key
    text = t(lang, key, **params) + "\n" + mention(me(update))
    sent = await reply(update, text, ForceReply(selective=True))
    if sent is not None:
        await call(context, desk(context).drafts.set_pending, draft.id, user.id,
                   {"kind": kind, "index": index, "arg": arg, "prompt": [sent.chat_id, sent.message_id]})


async def answer(update: Update, context: Context) -> None:
    """A reply to a draft's question: apply it as the fix it asked for, then show the review."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.reply_to_message is not None and user is not None
    target = message.reply_to_message
    match = PROMPT.match(target.text or "")
    if match is None or target.from_user is None or target.from_user.id != context.bot.id:
        return  # another bot's message that happens to look like ours
    draft = await call(context, desk(context).drafts.get, int(match.group(1)), user.id)
    pending = draft.pending or {}
    if pending.get("prompt") != [target.chat_id, target.message_id] or pending.get("kind") not in REPLY_KINDS:
        raise Refusal("catalog_prompt_stale")
    text = message.text or ""
    fix = _reply_fix(str(pending["kind"]), int(pending.get("index", 0)), int(pending.get("arg", 0)), text)
    changed = await call(context, desk(context).drafts.apply, draft.id, user.id, fix)
    await show_review(update, context, changed, edit=False)


def _reply_fix(kind: str, index: int, arg: int, text: str) -> Fix:
    if kind == "time":
        return lambda d: fixes.set_time(d, index, text)
    if kind == "total":
        return lambda d: fixes.set_total(d, text)
    if kind == "role_name":
        return lambda d: fixes.name_role(d, index, text)
    if kind == "number":
        return lambda d: fixes.set_number(d, index, text)
    path = view.TEXT_FIELDS[index] if 0 <= index < len(view.TEXT_FIELDS) else ("steps", arg, "aktivitas")
    return lambda d: fixes.set_text(d, path, text)

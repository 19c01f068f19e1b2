"""The handlers' side of the catalogue: its services, who the person is to it, refusals.

Catalogue errors (:class:`~bot.catalog.views.CatalogError`, a fix's
:class:`~bot.catalog.fixes.FixError`) become :class:`~handlers.common.Refusal` here, so the
one error handler words them like every other refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from telegram import Update

from bot.catalog.desk import CatalogDesk
from bot.catalog.fixes import FixError
from bot.catalog.rules import Manager
from bot.catalog.views import CatalogError
from handlers.common import Refusal, is_group, lang_of
from handlers.context import Context
from handlers.ui.formatting import esc, mention
from handlers.services import actor, do, engine, person_ref
from handlers.ui.texts import t

T = TypeVar("T")


def desk(context: Context) -> CatalogDesk:
    """The catalogue services of this bot, built on first use over the engine's database."""
    found = context.bot_data.catalog
    if found is None:
        eng = engine(context)
        hours = context.bot_data.settings.sop_draft_hours
        found = context.bot_data.catalog = CatalogDesk.build(eng.db, eng.catalog, eng.now, timedelta(hours=hours))
    return found  # type: ignore[no-any-return]


async def manager_of(update: Update, context: Context) -> Manager:
    """The person as the catalogue sees them: SOP admin, and admin of this group or not."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    who = await actor(context, chat.id, user.id, ask_admin=is_group(update))
    return Manager(user.id, who.bot_admin, chat.id if who.chat_admin else None)


async def refusal_of(context: Context, error: CatalogError | FixError) -> Refusal:
    """The polite refusal for a catalogue error, names looked up."""
    params = dict(error.params)
    if "by" in params:
        by = params.pop("by")
        params["user"] = mention(await person_ref(context, by)) if by else "?"
    if "version" in params:
        params["next"] = int(params["version"]) + 1
    if "scope" in params:
        scope = params.pop("scope")
        params["where"] = t(lang_of(context), "catalog_scope_bot" if scope is None else "catalog_scope_other")
    params = {k: esc(v, 80) if isinstance(v, str) and k not in ("user", "where") else v for k, v in params.items()}
    prefix = "catalog_fix_" if isinstance(error, FixError) else "catalog_"
    return Refusal(prefix + error.code, **params)


async def call(context: Context, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a catalogue call in a worker thread; its refusals come back as Refusal."""
    try:
        return await do(fn, *args, **kwargs)
    except (CatalogError, FixError) as exc:
        raise await refusal_of(context, exc) from None


async def refuse_withdrawn(context: Context, sop_id: str, chat_id: int) -> None:
    """/mulai of a withdrawn SOP gets its own answer, not "unknown SOP"."""
    from bot.catalog.rules import visible_in

    item = await do(desk(context).item, sop_id)
    if item is not None and not item.active and visible_in(item.scope_chat_id, chat_id):
        raise Refusal("catalog_start_withdrawn", id=esc(sop_id, 48))

"""The handlers' side of the catalogue: its services and who the person is to it.

Catalogue errors (:class:`~bot.catalog.views.CatalogError`, a fix's
:class:`~bot.catalog.fixes.FixError`) are refusals like every other
(:mod:`bot.domain.refusal`): the one error handler words them from their message key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from telegram import Update

from bot.catalog.desk import CatalogDesk
from bot.catalog.rules import Manager
from handlers.common import Refusal, is_group
from handlers.context import Context
from handlers.ui.formatting import esc
from handlers.actor_facts import actor
from handlers.engine_calls import do, engine

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


async def call(context: Context, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a catalogue call in a worker thread (its refusals are worded by the error handler)."""
    return await do(fn, *args, **kwargs)


async def refuse_withdrawn(context: Context, sop_id: str, chat_id: int) -> None:
    """/mulai of a withdrawn SOP gets its own answer, not "unknown SOP"."""
    from bot.catalog.rules import visible_in

    item = await do(desk(context).item, sop_id)
    if item is not None and not item.active and visible_in(item.scope_chat_id, chat_id):
        raise Refusal("catalog_start_withdrawn", id=esc(sop_id, 48))

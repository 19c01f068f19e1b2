"""The facts about the person acting that only the Telegram side knows, for
:mod:`bot.domain.permissions` to decide on: who they are, whether they administer the chat,
whether the bot can write to them, their name as last seen.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram.constants import ChatMemberStatus

from bot.domain import permissions
from bot.domain.permissions import Actor, RunFacts
from bot.engine.views import RoleView, RunView, UserRef
from handlers.context import Context
from handlers.engine_calls import do, engine


async def is_admin(context: Context, chat_id: int, user_id: int) -> bool:
    """Group admin (or creator), asked from Telegram each time: promotions change."""
    member = await context.bot.get_chat_member(chat_id, user_id)
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def actor(context: Context, chat_id: int, user_id: int, *, ask_admin: bool = True) -> Actor:
    """The person as :mod:`bot.domain.permissions` sees them, the facts only we can know.

    Telegram is asked whether they administer the chat only with `ask_admin` (a Bot API
    call: skipped when the rule at hand cannot depend on it, e.g. for the run's coordinator).
    """
    chat_admin = ask_admin and await is_admin(context, chat_id, user_id)
    return Actor(user_id, chat_admin=chat_admin, bot_admin=user_id in context.bot_data.settings.sop_admin_ids)


async def run_actor(context: Context, run: RunView, user_id: int) -> Actor:
    """The person acting on `run`; whether they administer its group matters only if they
    do not coordinate it."""
    facts = run_facts(run)
    return await actor(context, run.chat_id, user_id, ask_admin=not permissions.is_coordinator(user_id, facts))


def run_facts(run: RunView) -> RunFacts:
    return RunFacts(run_id=run.id, coordinator_id=run.coordinator.id)


async def require_start_run(context: Context, chat_id: int, user_id: int) -> None:
    """RUN_STARTERS: group admins only, or anyone in the group."""
    starters = context.bot_data.settings.run_starters
    who = await actor(context, chat_id, user_id, ask_admin=starters != "anyone")
    permissions.require_start_run(who, starters)


async def unreachable_holders(context: Context, views: Sequence[RoleView]) -> frozenset[int]:
    """Holders the bot cannot write to privately (never pressed Start, or blocked it)."""
    found = set()
    for user_id in {v.holder.id for v in views if v.holder is not None}:
        person = await do(engine(context).get_user, user_id)
        if person is None or not person.reachable:
            found.add(user_id)
    return frozenset(found)


async def person_ref(context: Context, user_id: int) -> UserRef:
    """A person's name as last seen by the bot (just the id if never seen)."""
    found = await do(engine(context).get_user, user_id)
    return UserRef(user_id, found.first_name, found.username) if found else UserRef(user_id)

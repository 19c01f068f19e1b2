"""Roles of a run: /peran lists them, /ambil and /lepas claim and release (also by button),
/tetapkan lets the coordinator assign one by replying to a member's message, and /cabut
lets the coordinator take one back.

The group hears about every change from the engine's outbox (a notice per claim,
release or assignment), so these handlers answer only when something was refused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, Message, Update, User

from bot.domain import permissions
from bot.engine.views import RunView
from handlers.ui import callback_data as cb
from handlers.ui import delegation_text as dr
from handlers.ui import keyboards, formatting
from handlers.common import Refusal, acknowledge, args_of, edit_pressed, lang_of, number_arg, reply
from handlers.context import Context
from handlers.actor_facts import run_facts, unreachable_holders
from handlers.engine_calls import do, engine, request_id, wake_sender
from handlers.run_lookup import chat_timezone, choose_run, match_role, run_in_chat, run_roles
from handlers.ui.texts import t

#: What a roles-list button does, given the run and who pressed.
RoleAct = Callable[[RunView, int], Awaitable[None]]


async def roles_message(
    context: Context, run: RunView, viewer: int | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The roles list: holders, each role's Plh./Plt. and its end; the buttons are `viewer`'s."""
    lang, views = lang_of(context), await run_roles(context, run)
    away = await unreachable_holders(context, views)
    delegations = await do(engine(context).delegations, run.id)
    tz = await chat_timezone(context, run.chat_id)
    notes = dr.roles_lines(delegations, tz, lang)
    markup = keyboards.roles(run, views, lang, viewer)
    # 🔚 only for who may end it: the holder, the substitute, the run's coordinator.
    mine = [v for v in delegations if viewer is not None and permissions.may_end_delegation(
            viewer, v.holder.id if v.holder else None, v.substitute.id, run.coordinator.id)]
    rows = [*(markup.inline_keyboard if markup else ()), *dr.end_buttons(mine, lang)]
    return formatting.roles(run, views, lang, away, notes), InlineKeyboardMarkup(rows) if rows else None


async def show_roles(update: Update, context: Context, run: RunView) -> None:
    """The roles of `run`, with the buttons of the one who asked."""
    viewer = update.effective_user.id if update.effective_user else None
    await reply(update, *await roles_message(context, run, viewer))


async def roles_command(update: Update, context: Context) -> None:
    """/peran [no]: who holds which role."""
    run = await choose_run(update, context, "roles")
    if run is not None:
        await show_roles(update, context, run)


def _role_query(context: Context) -> str:
    """The role words of `/ambil [no] PERAN`."""
    args = args_of(context)
    return " ".join(args[1:] if number_arg(context) is not None else args)


async def _role_command(update: Update, context: Context, usage: str) -> tuple[RunView, User, str] | None:
    """The run, person and role words of `/ambil`, `/lepas` or `/cabut`; None while asking which run."""
    user, query = update.effective_user, _role_query(context)
    if not query:
        raise Refusal(usage)
    run = await choose_run(update, context, "roles")
    if run is None or user is None:
        return None
    return run, user, query


async def claim_command(update: Update, context: Context) -> None:
    """/ambil PERAN: take a free role."""
    found = await _role_command(update, context, "claim_usage")
    if found is not None:
        run, user, query = found
        await claim(update, context, run, query, user.id)


async def claim(update: Update, context: Context, run: RunView, query: str, user_id: int) -> None:
    """Claim the role `query` names; the engine's notice tells the group."""
    views = await run_roles(context, run)
    role = match_role([v.role for v in views], query)
    if any(v.role.key == role.key and v.holder is not None and v.holder.id == user_id for v in views):
        raise Refusal("role_already_yours", role=formatting.role_name(role))
    await do(engine(context).claim_role, run.id, role.key, user_id, request_id=request_id(update))
    wake_sender(context)


async def release_command(update: Update, context: Context) -> None:
    """/lepas PERAN: give a role back."""
    found = await _role_command(update, context, "release_usage")
    if found is None:
        return
    run, user, query = found
    role = match_role([v.role for v in await run_roles(context, run)], query)
    await do(engine(context).release_role, run.id, role.key, user.id, request_id=request_id(update))
    wake_sender(context)


async def assign_command(update: Update, context: Context) -> None:
    """/tetapkan PERAN, replying to a member's message: the coordinator assigns the role."""
    message, user, query = update.effective_message, update.effective_user, _role_query(context)
    target = message.reply_to_message.from_user if message and message.reply_to_message else None
    if not query or target is None or target.is_bot or user is None:
        raise Refusal("assign_usage")
    run = await choose_run(update, context, "roles")
    if run is None:
        return
    role = match_role([v.role for v in await run_roles(context, run)], query)
    await do(engine(context).ensure_user, target.id, target.first_name, target.username, target.language_code)
    await do(engine(context).assign_role, run.id, role.key, target.id, user.id, request_id=request_id(update))
    wake_sender(context)


async def revoke_command(update: Update, context: Context) -> None:
    """/cabut PERAN: the coordinator takes a role back from its holder."""
    found = await _role_command(update, context, "revoke_usage")
    if found is None:
        return
    run, user, query = found
    await revoke(update, context, run, query, user.id)


async def revoke(update: Update, context: Context, run: RunView, query: str, user_id: int) -> None:
    """Take the role `query` names back from its holder (the coordinator only)."""
    views = await run_roles(context, run)
    role = match_role([v.role for v in views], query)
    permissions.require_coordinator(user_id, run_facts(run))
    if not any(v.role.key == role.key and v.holder is not None for v in views):
        raise Refusal("revoke_not_held", role=formatting.role_name(role))
    await do(engine(context).revoke_role, run.id, role.key, user_id, request_id=request_id(update))
    wake_sender(context)


async def _role_button(update: Update, context: Context, run_id: int, act: RoleAct) -> None:
    """A button under a roles list: `act` on the run of the chat it sits in, then redraw the list."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.message is not None and user is not None
    run = await run_in_chat(context, run_id, query.message.chat.id)
    await act(run, user.id)
    await acknowledge(query, t(lang_of(context), "done_ack"))
    await refresh_pressed(update, context, run)


async def revoke_button(update: Update, context: Context, data: cb.Revoke) -> None:
    """✖️ pressed under a roles list: the coordinator takes the role back."""
    await _role_button(update, context, data.run_id, lambda run, uid: revoke(update, context, run, data.role, uid))


async def claim_button(update: Update, context: Context, data: cb.Claim) -> None:
    """🙋 pressed under a roles list or a task notice."""
    await _role_button(update, context, data.run_id, lambda run, uid: claim(update, context, run, data.role, uid))


async def refresh_pressed(update: Update, context: Context, run: RunView) -> None:
    """Bring the pressed message up to date: a roles list is redrawn, a one-button notice loses it."""
    query = update.callback_query
    assert query is not None
    if not isinstance(query.message, Message):
        return  # deleted or too old to edit
    markup = query.message.reply_markup
    if markup is not None and sum(len(row) for row in markup.inline_keyboard) > 1:
        viewer = update.effective_user.id if update.effective_user else None  # drawn for who pressed
        await edit_pressed(query, *await roles_message(context, run, viewer))
    else:
        await edit_pressed(query)


async def release_button(update: Update, context: Context, data: cb.Release) -> None:
    """🔓 pressed under a roles list: only its holder can release it."""

    async def release(run: RunView, user_id: int) -> None:
        await do(engine(context).release_role, run.id, data.role, user_id, request_id=request_id(update))

    await _role_button(update, context, data.run_id, release)
    wake_sender(context)


async def approve_button(update: Update, context: Context, data: cb.Approve) -> None:
    """👍 pressed by the coordinator under a pending claim (strict mode)."""
    await _claim_decision(update, context, data, approve=True)


async def reject_button(update: Update, context: Context, data: cb.Reject) -> None:
    """❌ pressed by the coordinator under a pending claim: the role stays free (no undo;
    the person may simply claim again)."""
    await _claim_decision(update, context, data, approve=False)


async def _claim_decision(update: Update, context: Context, data: cb.Approve | cb.Reject, *, approve: bool) -> None:
    """Approve or reject the claim a notice's button names; the engine checks the coordinator."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.message is not None and user is not None
    run = await run_in_chat(context, data.run_id, query.message.chat.id)
    views = await run_roles(context, run)
    if data.role_index >= len(views):
        raise Refusal("stale_button")
    role_key = views[data.role_index].role.key
    decide = engine(context).approve_claim if approve else engine(context).reject_claim
    await do(decide, run.id, role_key, data.user_id, user.id, request_id=request_id(update))
    await acknowledge(query, t(lang_of(context), "done_ack" if approve else "claim_rejected_ack"))
    await edit_pressed(query)
    wake_sender(context)

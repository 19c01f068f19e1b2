"""Finding what a command or a button names: the run, the task, the role, the chat's zone.

A run or task a button names is honoured only in the chat it belongs to (or, in private,
for the people it concerns); anything else is answered exactly like a stale button.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import Update

from bot.domain import permissions
from bot.engine.errors import NoSuchTask
from bot.engine.views import RoleRef, RunView, StepView, TaskView
from handlers.actor_facts import run_facts
from handlers.common import Refusal, is_group, lang_of, number_arg, reply, require_group
from handlers.context import Context
from handlers.engine_calls import do, engine
from handlers.ui import keyboards
from handlers.ui.formatting import esc, mention, when
from handlers.ui.texts import t


# -- runs ----------------------------------------------------------------------------------
#: Picker actions that, with no run going, mean the chat's latest run, and the refusal when
#: the chat has none at all.
LATEST_RUN_FALLBACK = {"status": "no_active_run", "history": "no_active_run",
                       "report": "report_no_runs", "flow": "report_no_runs"}


async def choose_run(update: Update, context: Context, action: str) -> RunView | None:
    """The run a group command is about: by number, the only active one, or ask with buttons.

    With no active run, /status, /riwayat, /laporan and /peta fall back to the chat's latest
    run (from the database, so a restart forgets nothing).
    """
    chat = require_group(update)
    number = number_arg(context)
    if number is not None:
        return await do(engine(context).run_by_number, chat.id, number)
    runs = await do(engine(context).active_runs, chat.id)
    if len(runs) > 1:
        lang = lang_of(context)
        await reply(update, t(lang, "choose_run"), keyboards.pick_run(action, runs, lang))
        return None
    if runs:
        return runs[0]
    latest = await do(engine(context).latest_run, chat.id) if action in LATEST_RUN_FALLBACK else None
    if latest is None:
        raise Refusal(LATEST_RUN_FALLBACK.get(action, "no_active_run"))
    return latest


async def run_in_chat(context: Context, run_id: int, chat_id: int) -> RunView:
    """A run a button names, only if it belongs to the chat the button is in (else forged)."""
    run = await do(engine(context).get_run, run_id)
    if run.chat_id != chat_id:
        raise Refusal("stale_button")
    return run


async def task_in_scope(update: Update, context: Context, task_id: int) -> TaskView:
    """A task a button names, only where it may be seen, else the button counts as forged
    (for a handler that reads the task before it acts; a press checks its scope itself).

    In a group: a task of that group's runs. In a private chat: a task the person holds (or
    covers as Plh./Plt.), completed, or coordinates. Anything else is answered exactly like a stale button, so
    a payload copied from another chat reveals nothing (not even that the task exists).
    """
    user = update.effective_user
    try:
        task = await do(engine(context).get_task, task_id)
    except NoSuchTask:
        raise Refusal("stale_button") from None
    chat = update.effective_chat
    if is_group(update):
        if chat is None or task.chat_id != chat.id:
            raise Refusal("stale_button")
        return task
    concerned = {p.id for p in (task.holder, task.acting_for, task.completed_by) if p is not None}  # a holder on leave too
    if user is not None and user.id not in concerned:
        run = await do(engine(context).get_run, task.run_id)
        if not permissions.may_see_task(user.id, run_facts(run), concerned):
            raise Refusal("stale_button")
    return task


# -- roles ---------------------------------------------------------------------------------
def match_role(roles: Sequence[RoleRef], query: str) -> RoleRef:
    """A role by key, name, or a case-insensitive unique prefix of its key, name or a name word."""
    q = " ".join(query.lower().replace("_", " ").split())
    if not q:
        raise Refusal("role_unknown", query="", roles=_role_list(roles))
    for role in roles:
        if q in (role.key.replace("_", " "), role.nama.lower()):
            return role

    def prefixes(role: RoleRef) -> list[str]:
        name = role.nama.lower().replace(".", " ")
        return [role.key.replace("_", " "), name, *name.split(), *role.key.split("_")]

    found = [r for r in roles if any(p.startswith(q) for p in prefixes(r))]
    if len(found) == 1:
        return found[0]
    if not found:
        raise Refusal("role_unknown", query=esc(query, 40), roles=_role_list(roles))
    raise Refusal("role_ambiguous", query=esc(query, 40), roles=_role_list(found))


def _role_list(roles: Sequence[RoleRef]) -> str:
    return ", ".join(f"{esc(r.nama)} (<code>{r.key}</code>)" for r in roles)


async def run_roles(context: Context, run: RunView) -> list[Any]:
    """The roles of a run in document order, with holders."""
    return list(await do(engine(context).roles, run.id))


# -- tasks ---------------------------------------------------------------------------------
async def my_tasks(context: Context, user_id: int, chat_id: int | None, on_behalf: bool = False) -> list[TaskView]:
    """Tasks the person can act on now (their roles; with `on_behalf`, external ones they coordinate)."""
    return list(await do(engine(context).tasks_for_user, user_id, chat_id=chat_id, include_on_behalf=on_behalf))


async def task_step(context: Context, task: TaskView) -> StepView:
    """The step definition of a task, current or not, from its run's pinned SOP version."""
    return await do(engine(context).task_step, task.id)


async def current_task(context: Context, task_id: int, task: TaskView | None = None) -> tuple[TaskView, StepView]:
    """A task someone wants to act on, refused politely unless it is the one the run waits for
    (`task`: its view, when already read)."""
    if task is None:
        task = await do(engine(context).get_task, task_id)
    if task.status != "active":  # a run has one active task at most: the one it waits for
        by = ""
        if task.completed_by is not None:
            tz, lang = await chat_timezone(context, task.chat_id), lang_of(context)
            by = t(lang, "task_done_by", user=mention(task.completed_by), when=when(task.completed_at, tz, lang))
        raise Refusal("task_not_current", by=by)
    return task, await task_step(context, task)


async def chat_timezone(context: Context, chat_id: int) -> str:
    """The zone a chat's times are shown in (WIB unless set otherwise)."""
    chat = await do(engine(context).get_chat, chat_id)
    return chat.timezone if chat is not None else context.bot_data.settings.default_timezone

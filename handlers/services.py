"""The handlers' side of the engine: async calls, run and role lookup, permissions.

The engine is synchronous (SQLAlchemy); every call goes through :func:`do`, which runs it
in a worker thread so the event loop keeps serving other chats. Each engine command is
one transaction of its own, and its notifications sit in the outbox until the background
sender delivers them; handlers :func:`wake_sender` right after the change, so the next
actor hears at once, and never wait for that sending themselves.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

from telegram import Message, Update
from telegram.constants import ChatMemberStatus

from bot.domain import permissions
from bot.domain.permissions import Actor, PressScope, RunFacts
from bot.engine.errors import NoSuchTask
from bot.engine.views import EvidenceInput, RoleRef, RoleView, RunView, StepView, TaskView, UserRef
from handlers.ui import keyboards
from handlers.common import Refusal, is_group, lang_of, number_arg, reply, require_group
from handlers.context import Context, Prompt
from handlers.ui.formatting import esc, mention, when
from handlers.ui.texts import t

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


async def do(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a synchronous engine call off the event loop."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def engine(context: Context) -> Any:
    """The run engine of this bot."""
    return context.bot_data.engine


def me(update: Update) -> UserRef:
    """The person behind the update, as the engine names people."""
    user = update.effective_user
    assert user is not None
    return UserRef(user.id, user.first_name, user.username)


def request_id(update: Update) -> str:
    """Idempotency key: a redelivered update (after a crash) replays instead of acting twice.

    Built from what Telegram keeps unique (callback query ids; a message's chat and id),
    not from update ids, which restart at random after a quiet week.
    """
    if update.callback_query is not None:
        return f"cq:{update.callback_query.id}"
    message = update.effective_message
    if message is not None:
        return f"msg:{message.chat_id}:{message.message_id}"
    return f"up:{update.update_id}"


def press_scope(update: Update) -> PressScope:
    """Where a button was pressed (or a prompt answered): the press checks its task is in scope."""
    chat = update.effective_chat
    assert chat is not None
    return PressScope(chat_id=chat.id, in_group=is_group(update))


def wake_sender(context: Context) -> None:
    """Tell the outbox sender the last change put something in the outbox (returns at once)."""
    context.bot_data.notifier.wake()


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


async def unreachable_holders(context: Context, views: Sequence[RoleView]) -> frozenset[int]:
    """Holders the bot cannot write to privately (never pressed Start, or blocked it)."""
    found = set()
    for user_id in {v.holder.id for v in views if v.holder is not None}:
        person = await do(engine(context).get_user, user_id)
        if person is None or not person.reachable:
            found.add(user_id)
    return frozenset(found)


# -- people --------------------------------------------------------------------------------
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


def evidence_of(message: Message, max_mb: float | None = None) -> EvidenceInput | None:
    """A document, photo (largest size) or text of a message, as evidence.

    Only the file_id is kept, never the file; a file larger than `max_mb` is refused by
    the size Telegram reports, without downloading anything.
    """
    where = {"chat_id": message.chat_id, "message_id": message.message_id}
    size = message.document.file_size if message.document else message.photo[-1].file_size if message.photo else None
    if max_mb is not None and size is not None and size > max_mb * 1024 * 1024:
        raise Refusal("evidence_too_big", size=f"{size / 1024 / 1024:.1f}", limit=f"{max_mb:g}")
    if message.document is not None:
        doc = message.document
        return EvidenceInput("document", doc.file_id, doc.file_name, message.caption, **where)
    if message.photo:
        return EvidenceInput("photo", message.photo[-1].file_id, None, message.caption, **where)
    if message.text:
        return EvidenceInput("text", None, None, message.text, **where)
    return None


#: Questions awaiting a reply that are remembered (the oldest unanswered are forgotten).
MAX_OPEN_PROMPTS = 1000


def remember(context: Context, where: tuple[int, int], prompt: Prompt) -> None:
    """Keep a ForceReply question so its reply is understood (in memory: a restart forgets it)."""
    prompts = context.bot_data.prompts
    prompts[where] = prompt
    while len(prompts) > MAX_OPEN_PROMPTS:
        del prompts[next(iter(prompts))]


async def person_ref(context: Context, user_id: int) -> UserRef:
    """A person's name as last seen by the bot (just the id if never seen)."""
    found = await do(engine(context).get_user, user_id)
    return UserRef(user_id, found.first_name, found.username) if found else UserRef(user_id)


async def chat_timezone(context: Context, chat_id: int) -> str:
    """The zone a chat's times are shown in (WIB unless set otherwise)."""
    chat = await do(engine(context).get_chat, chat_id)
    return chat.timezone if chat is not None else context.bot_data.settings.default_timezone

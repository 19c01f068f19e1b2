"""Rendering outbox rows into Telegram messages, and sending them: the sender's words.

Each row names ids only; what it says is rendered at sending time from the database,
so a late message still tells the truth (or is skipped when nothing is left to say: a
task that moved on). A private message Telegram refuses (403: never pressed Start, or
blocked the bot) falls back to a mention in the run's group with a button to open the
bot. Deadline digests are rendered by :mod:`handlers.ui.digests`, possibly as several
messages. :class:`handlers.outbox.sender.Notifier` adds the delivery loop around this.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.ext import Application

from handlers.ui import digests as deadlines
from bot.engine.views import NoticeSnapshot, NotificationView, OutcomeView, RunView, TaskView, UserRef
from handlers.outbox.card_sweep import remember_card
from handlers.outbox.batch_reads import named
from handlers.outbox import delegation_notes
from handlers.ui import keyboards, formatting
from handlers.ui.paging import split_html
from handlers.ui.task_cards import task_card
from handlers.ui.texts import language, t

logger = logging.getLogger(__name__)

Rendered = tuple[str, InlineKeyboardMarkup | None] | None
#: Group notices about roles -> catalog message id.
ROLE_NOTICES = {
    "role_claimed": "role_claimed",
    "role_claim_pending": "role_claim_pending",
    "role_assigned": "role_assigned",
    "role_released": "role_released",
    "role_revoked": "role_revoked",
    "role_claim_rejected": "role_claim_rejected",
}


#: Seconds a batch's snapshot is trusted: a batch slowed down by Telegram's limits
#: renders its later rows from fresh reads, so a task that moved on meanwhile is skipped.
SNAPSHOT_FRESH = 2.0
#: Engine lookups a batch snapshot answers -> the snapshot's field.
SNAPSHOT_LOOKUPS = {"get_task": "tasks", "task_step": "steps", "get_run": "runs", "get_chat": "chats", "get_user": "users"}


class Skip(Exception):
    """Nothing to say any more (the task moved on before we got to it)."""


#: The batch being sent names these (see :meth:`NoticeSender.snapshot_of`), read at this
#: loop time. One per asyncio task: the sender serves several chats at once.
_snapshot: ContextVar[tuple[NoticeSnapshot, float] | None] = ContextVar("notice_snapshot", default=None)
#: While a group's batch is rendered, :meth:`NoticeSender.post` collects what it would
#: send here (chat, text, buttons) instead, for the sender to merge into fewer messages.
collecting: ContextVar[list[tuple[int, str, InlineKeyboardMarkup | None]] | None] = ContextVar(
    "notice_collecting", default=None
)


class NoticeSender:
    """Renders and sends one row; needs an Application with the engine in its bot_data."""

    application: Application  # type: ignore[type-arg]

    @property
    def engine(self) -> Any:
        return self.application.bot_data.engine

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """An engine call in a worker thread (the engine is synchronous).

        Lookups of what the current batch names are answered from its snapshot.
        """
        field = SNAPSHOT_LOOKUPS.get(method)
        current = _snapshot.get()
        if field is not None and current is not None and len(args) == 1 and not kwargs:
            snapshot, taken = current
            if asyncio.get_running_loop().time() - taken > SNAPSHOT_FRESH:
                _snapshot.set(None)  # a slow batch (rate limits): read afresh from here on
            else:
                known = getattr(snapshot, field)
                if int(args[0]) in known:
                    return known[int(args[0])]
        return await asyncio.to_thread(getattr(self.engine, method), *args, **kwargs)

    @asynccontextmanager
    async def snapshot_of(self, rows: Sequence[NotificationView]) -> AsyncIterator[None]:
        """Read what `rows` name in one transaction, and render them from that.

        If that read fails, each row looks up what it needs on its own (and fails, and is
        retried, on its own), as if there were no snapshot.
        """
        tasks, runs, chats, users = named(rows)
        try:
            snapshot = await asyncio.to_thread(self.engine.notice_snapshot, tasks, runs, chats, users)
            _snapshot.set((snapshot, asyncio.get_running_loop().time()))
        except Exception:
            logger.warning("could not read the batch's snapshot; rendering row by row", exc_info=True)
            _snapshot.set(None)
        try:
            yield
        finally:
            _snapshot.set(None)

    # -- sending -------------------------------------------------------------------------
    async def lang_of(self, chat_id: int) -> str:
        """The language the target chat chose (private chats have their own)."""
        chat = await self.call("get_chat", chat_id)
        return language(chat.language if chat else self.application.bot_data.settings.default_language)

    async def post(self, chat_id: int, rendered: Rendered) -> Any:
        """Send a rendered notification, split below Telegram's limit; buttons on the last
        part, which is returned (None while a group's batch is being collected)."""
        if rendered is None:
            raise Skip
        text, markup = rendered
        into = collecting.get()
        if into is not None:
            into.append((chat_id, text, markup))
            return None
        chunks = split_html(text)
        sent = None
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            sent = await self.application.bot.send_message(chat_id, chunk, reply_markup=markup if last else None)
        return sent

    def undo_markup(self, task_id: int, lang: str) -> InlineKeyboardMarkup:
        """The ↩️ a card keeps for its author while the undo window is open."""
        return keyboards.undo(task_id, lang)

    async def post_parts(self, chat_id: int, parts: list[tuple[str, InlineKeyboardMarkup | None]]) -> None:
        """Several messages in order (a long digest); nothing left to say is a Skip."""
        if not parts:
            raise Skip
        for part in parts:
            await self.post(chat_id, part)

    async def send(self, row: NotificationView) -> None:
        """Render and send one row by kind: a private task card or digest, or a group message."""
        p = row.payload
        if row.kind == "task_assigned":
            assert row.user_id is not None
            task = await self.active_task(p)
            lang = await self.lang_of(row.user_id)
            sent = await self.post(row.user_id, await task_card(self.application.bot_data, task, lang, lookup=self.call))
            await delegation_notes.record_card(self, row, sent)  # a substitute's card: buttons go at the end
            await remember_card(self, task, row.user_id, sent)
            return
        if row.kind == "delegation_note":
            return await delegation_notes.send_note(self, row)
        if row.kind == "deadline_digest":
            assert row.user_id is not None
            await self.post_parts(row.user_id, await deadlines.private_digest(self, p["items"], await self.lang_of(row.user_id)))
            return
        assert row.chat_id is not None
        lang = await self.lang_of(row.chat_id)
        if row.kind == "deadline_group":
            await self.post_parts(row.chat_id, await deadlines.group_digest(self, p["items"], lang))
        elif row.kind == "task_unassigned":
            await self.post(row.chat_id, await self.unassigned(p, lang))
        elif row.kind == "start_private_prompt":
            await self.post(row.chat_id, await self.open_bot(p, int(p["user_id"]), "notice_open_bot", lang))
        elif row.kind == "group_notice":
            await self.post(row.chat_id, await self.notice(p, lang))
        else:
            logger.warning("unknown notification kind %r", row.kind)
            raise Skip

    async def fallback_to_group(self, row: NotificationView) -> None:
        """The person cannot be written to privately: mention them in the run's group."""
        p = row.payload
        chat_id = p.get("chat_id")
        if chat_id is None or row.user_id is None:
            raise Skip
        lang = await self.lang_of(int(chat_id))
        await self.post(int(chat_id), await self.open_bot(p, row.user_id, "notice_dm_failed", lang))

    # -- rendering -----------------------------------------------------------------------
    async def active_task(self, p: Mapping[str, Any]) -> TaskView:
        """The task a notification is about, while it is still the one to act on."""
        task: TaskView = await self.call("get_task", int(p["task_id"]))
        if task.status != "active":
            raise Skip
        return task

    async def person(self, user_id: Any) -> UserRef | None:
        """Someone named by id in a payload, with the name the bot last saw."""
        if user_id is None:
            return None
        found = await self.call("get_user", int(user_id))
        return UserRef(int(user_id), found.first_name, found.username) if found else UserRef(int(user_id))

    async def unassigned(self, p: Mapping[str, Any], lang: str) -> Rendered:
        """Nobody holds the role of the task now up: ask the group, with a claim button."""
        task = await self.active_task(p)
        if task.holder is not None:
            raise Skip
        text = t(lang, "notice_unassigned", number=task.run_number, no=task.step_no, role=formatting.role_name(task.role))
        return text, keyboards.claim_one(task.run_id, task.role.key, task.role.nama, lang)

    async def open_bot(self, p: Mapping[str, Any], user_id: int, key: str, lang: str) -> Rendered:
        """Mention a holder we cannot write to privately, with a button that opens the bot."""
        task = await self.active_task(p)
        who = formatting.mention(await self.person(user_id))
        text = t(lang, key, user=who, number=task.run_number, no=task.step_no, role=formatting.role_name(task.role))
        return text, keyboards.open_bot(self.application.bot_data.bot_username, lang)

    async def notice(self, p: Mapping[str, Any], lang: str) -> Rendered:
        """A group notice; ``p["notice"]`` says what happened."""
        kind = p.get("notice")
        run: RunView = await self.call("get_run", int(p["run_id"]))
        user = formatting.mention(await self.person(p.get("user_id")))
        if kind == "run_started":
            coordinator = formatting.mention(run.coordinator)
            text = t(lang, "run_started", number=run.number, title=formatting.run_title(run), sop=formatting.esc(run.sop_nama), coordinator=coordinator)
            return text, None
        if kind in ("task_done", "step_done", "decision", "run_finished"):
            return await self.completion(p, run, lang)
        if kind == "run_cancelled":
            return t(lang, "run_cancelled", number=run.number, title=formatting.run_title(run), user=user), None
        if kind == "task_undone":
            return t(lang, "undone", no=p.get("step_no"), user=user), None
        if kind in ROLE_NOTICES:
            return await self.role_notice(p, run, user, lang)
        if kind in delegation_notes.NOTICES:
            return await delegation_notes.group_notice(self, p, run, lang)
        logger.warning("unknown group notice %r", kind)
        return None

    async def role_notice(self, p: Mapping[str, Any], run: RunView, user: str, lang: str) -> Rendered:
        """A claim, release, assignment or revocation; a pending claim gets 👍 and ❌ for the coordinator."""
        key = str(p.get("role_key"))
        roles = [v.role for v in await self.call("roles", run.id)]
        index = next((i for i, r in enumerate(roles) if r.key == key), None)
        name = formatting.role_name(roles[index]) if index is not None else formatting.esc(key)
        by = formatting.mention(await self.person(p.get("by_user_id") or run.coordinator.id))
        text = t(lang, ROLE_NOTICES[str(p["notice"])], user=user, role=name, coordinator=by)
        if p["notice"] != "role_claim_pending" or index is None:
            return text, None
        person = await self.person(p.get("user_id"))
        label = (person.first_name if person else None) or str(p.get("user_id"))
        return text, keyboards.approve_claim(run.id, index, int(p["user_id"]), label, lang)

    async def completion(self, p: Mapping[str, Any], run: RunView, lang: str) -> Rendered:
        """Who finished which step, and who is up next (mentioned), with ↩️ and 🤝 where useful."""
        done: TaskView = await self.call("get_task", int(p["task_id"]))
        if done.status != "done":
            raise Skip  # undone before we got to it; the undo notice follows
        who = formatting.actor(done.completed_by, done.acting_as, done.role, lang)
        role = formatting.role_name(done.role)
        outcome = await self.outcome_of(done)
        if outcome is not None and outcome.goto is not None:
            reason = formatting.esc(done.decision_reason or "-")
            lines = [t(lang, "notice_returned", number=run.number, goto=outcome.goto, user=who, reason=reason)]
        elif outcome is not None:
            lines = [t(lang, "decided", no=done.step_no, outcome=formatting.outcome_label(outcome, lang), user=who)]
        elif done.on_behalf:
            reason = formatting.esc(done.on_behalf_reason or "-")
            lines = [t(lang, "on_behalf_done", no=done.step_no, role=role, user=who, reason=reason)]
        else:
            lines = [t(lang, "confirmed", no=done.step_no, role=role, user=who)]
        buttons = [[keyboards.undo(done.id, lang).inline_keyboard[0][0]]]
        if p.get("notice") == "run_finished":
            lines.append(t(lang, "notice_finished", number=run.number, title=formatting.run_title(run)))
        steps: dict[int, list[TaskView]] = {}  # one line per step, its actors together
        for task_id in p.get("next_task_ids") or ():
            nxt: TaskView = await self.call("get_task", int(task_id))
            steps.setdefault(nxt.step_no, []).append(nxt)
            if nxt.role.eksternal and nxt.status == "active":
                buttons.append([keyboards.on_behalf(nxt, lang).inline_keyboard[0][0]])
        for no, tasks in steps.items():
            lines.append(formatting.next_step_line(run.number, no, tasks, same_step=no == done.step_no, lang=lang))
        return "\n".join(lines), InlineKeyboardMarkup(buttons) if buttons else None

    async def outcome_of(self, task: TaskView) -> OutcomeView | None:
        """The decision outcome a task took, from the run's pinned SOP (None for a plain confirmation)."""
        if not task.outcome_key:
            return None
        step = await self.call("task_step", task.id)
        outcomes = step.decision.outcomes if step.decision is not None else ()
        return next((o for o in outcomes if o.key == task.outcome_key), None)

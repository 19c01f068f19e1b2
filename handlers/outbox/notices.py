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
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup, Message
from telegram.ext import Application

from bot.domain import outbox_messages as m
from bot.engine.views import NotificationView, OutcomeView, RunView, TaskView, UserRef
from handlers.outbox import delegation_notes
from handlers.outbox.batch_reads import SNAPSHOT_FRESH, SnapshotReads, message_of, named
from handlers.outbox.card_sweep import remember
from handlers.ui import digests as deadlines
from handlers.ui import formatting, keyboards
from handlers.ui.paging import split_html
from handlers.ui.reads import EngineReads, Reads
from handlers.ui.task_cards import task_card
from handlers.ui.texts import language, t

if TYPE_CHECKING:
    from bot.engine import SopEngine

__all__ = ["ROLE_NOTICES", "SNAPSHOT_FRESH", "NoticeSender", "Rendered", "Skip", "collecting", "named"]

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


class Skip(Exception):
    """Nothing to say any more (the task moved on before we got to it)."""


#: The reads of the batch being sent (see :meth:`NoticeSender.snapshot_of`). One per
#: asyncio task: the sender serves several chats at once.
_batch: ContextVar[SnapshotReads | None] = ContextVar("notice_snapshot", default=None)
#: While a group's batch is rendered, :meth:`NoticeSender.post` collects what it would
#: send here (chat, text, buttons) instead, for the sender to merge into fewer messages.
collecting: ContextVar[list[tuple[int, str, InlineKeyboardMarkup | None]] | None] = ContextVar(
    "notice_collecting", default=None
)


class NoticeSender:
    """Renders and sends one row; needs an Application with the engine in its bot_data."""

    application: Application  # type: ignore[type-arg]

    @property
    def engine(self) -> SopEngine:
        return self.application.bot_data.engine  # type: ignore[no-any-return]

    @property
    def reads(self) -> Reads:
        """The current batch's snapshot while it is fresh; the engine's single reads otherwise."""
        return _batch.get() or EngineReads(self.engine)

    @asynccontextmanager
    async def snapshot_of(self, rows: Sequence[NotificationView]) -> AsyncIterator[None]:
        """Read what `rows` name in one transaction, and render them from that.

        If that read fails, each row looks up what it needs on its own (and fails, and is
        retried, on its own), as if there were no snapshot.
        """
        tasks, runs, chats, users = named(rows)
        try:
            snapshot = await asyncio.to_thread(self.engine.notice_snapshot, tasks, runs, chats, users)
            _batch.set(SnapshotReads(snapshot, EngineReads(self.engine)))
        except Exception:
            logger.warning("could not read the batch's snapshot; rendering row by row", exc_info=True)
            _batch.set(None)
        try:
            yield
        finally:
            _batch.set(None)

    # -- sending -------------------------------------------------------------------------
    async def lang_of(self, chat_id: int) -> str:
        """The language the target chat chose (private chats have their own)."""
        chat = await self.reads.chat(chat_id)
        return language(chat.language if chat else self.application.bot_data.settings.default_language)

    async def post(self, chat_id: int, rendered: Rendered, delegation_id: int | None = None) -> Message | None:
        """Send a rendered notification, split below Telegram's limit; buttons on the last
        part, which is returned (None while a group's batch is being collected). A part
        with a task's buttons is recorded, so they go when the task ends."""
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
        await remember(self, chat_id, sent, markup, delegation_id)
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
        """Decode one row into its message and send it by type."""
        try:
            message = message_of(row)
        except m.UnknownMessage:
            logger.warning("unknown notification %r", row.kind)
            raise Skip from None
        match message:
            case m.TaskAssigned():
                task = await self.active_task(message.task.task_id)
                lang = await self.lang_of(message.user_id)
                card = await task_card(self.application.bot_data, task, lang, reads=self.reads)
                await self.post(message.user_id, card, delegation_id=message.delegation_id)
            case m.DelegationNote():
                await delegation_notes.send_note(self, message)
            case m.DeadlineDigest():
                lang = await self.lang_of(message.user_id)
                await self.post_parts(message.user_id, await deadlines.private_digest(self, message.items, lang))
            case m.DeadlineGroup():
                lang = await self.lang_of(message.chat_id)
                await self.post_parts(message.chat_id, await deadlines.group_digest(self, message.items, lang))
            case m.TaskUnassigned():
                lang = await self.lang_of(message.task.chat_id)
                await self.post(message.task.chat_id, await self.unassigned(message, lang))
            case m.StartPrivatePrompt():
                lang = await self.lang_of(message.task.chat_id)
                rendered = await self.open_bot(message.task.task_id, message.user_id, "notice_open_bot", lang)
                await self.post(message.task.chat_id, rendered)
            case m.GroupNotice():
                await self.post(message.chat_id, await self.notice(message, await self.lang_of(message.chat_id)))

    async def fallback_to_group(self, row: NotificationView) -> None:
        """The person cannot be written to privately: mention them in the run's group."""
        try:
            message = message_of(row)
        except (m.UnknownMessage, KeyError, ValueError):
            raise Skip from None
        task_id = m.task_of(message)
        chat_id = _group_of(message)
        if chat_id is None or task_id is None or row.user_id is None:
            raise Skip
        lang = await self.lang_of(chat_id)
        await self.post(chat_id, await self.open_bot(task_id, row.user_id, "notice_dm_failed", lang))

    # -- rendering -----------------------------------------------------------------------
    async def active_task(self, task_id: int) -> TaskView:
        """The task a notification is about, while it is still the one to act on."""
        task = await self.reads.task(task_id)
        if task.status != "active":
            raise Skip
        return task

    async def person(self, user_id: int | None) -> UserRef | None:
        """Someone named by id in a message, with the name the bot last saw."""
        if user_id is None:
            return None
        found = await self.reads.user(int(user_id))
        return UserRef(int(user_id), found.first_name, found.username) if found else UserRef(int(user_id))

    async def unassigned(self, message: m.TaskUnassigned, lang: str) -> Rendered:
        """Nobody holds the role of the task now up: ask the group, with a claim button."""
        task = await self.active_task(message.task.task_id)
        if task.holder is not None:
            raise Skip
        text = t(lang, "notice_unassigned", number=task.run_number, no=task.step_no, role=formatting.role_name(task.role))
        return text, keyboards.claim_one(task.run_id, task.role.key, task.role.nama, lang)

    async def open_bot(self, task_id: int, user_id: int, key: str, lang: str) -> Rendered:
        """Mention a holder we cannot write to privately, with a button that opens the bot."""
        task = await self.active_task(task_id)
        who = formatting.mention(await self.person(user_id))
        text = t(lang, key, user=who, number=task.run_number, no=task.step_no, role=formatting.role_name(task.role))
        return text, keyboards.open_bot(self.application.bot_data.bot_username, lang)

    async def notice(self, p: m.GroupNotice, lang: str) -> Rendered:
        """A group notice; ``p.notice`` says what happened."""
        kind = p.notice
        run = await self.reads.run(p.run_id)
        user = formatting.mention(await self.person(p.user_id))
        if kind is m.Notice.RUN_STARTED:
            coordinator = formatting.mention(run.coordinator)
            text = t(lang, "run_started", number=run.number, title=formatting.run_title(run), sop=formatting.esc(run.sop_nama), coordinator=coordinator)
            return text, None
        if kind in m.COMPLETION_NOTICES:
            return await self.completion(p, run, lang)
        if kind is m.Notice.RUN_CANCELLED:
            return t(lang, "run_cancelled", number=run.number, title=formatting.run_title(run), user=user), None
        if kind is m.Notice.TASK_UNDONE:
            return t(lang, "undone", no=p.step_no, user=user), None
        if kind in m.ROLE_NOTICES:
            return await self.role_notice(p, run, user, lang)
        if p.delegation_id is None:  # a delegation notice always names one; nothing to say without
            raise Skip
        return await delegation_notes.group_notice(self, p, run, lang)

    async def role_notice(self, p: m.GroupNotice, run: RunView, user: str, lang: str) -> Rendered:
        """A claim, release, assignment or revocation; a pending claim gets 👍 and ❌ for the coordinator."""
        key = str(p.role_key)
        roles = [v.role for v in await self.reads.roles(run.id)]
        index = next((i for i, r in enumerate(roles) if r.key == key), None)
        name = formatting.role_name(roles[index]) if index is not None else formatting.esc(key)
        by = formatting.mention(await self.person(p.by_user_id or run.coordinator.id))
        text = t(lang, ROLE_NOTICES[p.notice.value], user=user, role=name, coordinator=by)
        if p.notice != "role_claim_pending" or index is None or p.user_id is None:
            return text, None
        person = await self.person(p.user_id)
        label = (person.first_name if person else None) or str(p.user_id)
        return text, keyboards.approve_claim(run.id, index, p.user_id, label, lang)

    async def completion(self, p: m.GroupNotice, run: RunView, lang: str) -> Rendered:
        """Who finished which step, and who is up next (mentioned), with ↩️ and 🤝 where useful."""
        if p.task_id is None:
            raise Skip
        done = await self.reads.task(p.task_id)
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
        if p.notice is m.Notice.RUN_FINISHED:
            lines.append(t(lang, "notice_finished", number=run.number, title=formatting.run_title(run)))
        steps: dict[int, list[TaskView]] = {}  # one line per step, its actors together
        for task_id in p.next_task_ids or ():
            nxt = await self.reads.task(task_id)
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
        step = await self.reads.step(task.id)
        outcomes = step.decision.outcomes if step.decision is not None else ()
        return next((o for o in outcomes if o.key == task.outcome_key), None)


def _group_of(message: m.Message) -> int | None:
    """The group a private message's 403 fallback goes to."""
    match message:
        case m.TaskAssigned() | m.StartPrivatePrompt() | m.TaskUnassigned():
            return message.task.chat_id
        case m.DelegationNote() | m.GroupNotice():
            return message.chat_id
        case m.DeadlineDigest() | m.DeadlineGroup():
            return message.items[0].chat_id if message.items else None
    return None

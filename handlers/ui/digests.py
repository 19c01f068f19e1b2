"""The deadline digests as Telegram messages: what the outbox sender posts for a nag row.

A private digest lists the recipient's own late (or soon due) tasks, each with its own
buttons (✅, a decision's outcomes, or 🤝 for the coordinator of an external role), and
the overdue alerts they get as supervisor or coordinator: which run, which step, who
holds it and how far over it is in working time. A single reminder about one's own task
is the familiar task card with a reminder line on top. The group digest lists the tasks
nobody holds (with the claim button) and ends by mentioning the people the bot cannot
write to, with the button that opens the bot.

Items whose task moved on since the tick are left out; a digest left empty is skipped.
Long digests are split below Telegram's limits (4096 characters, 100 buttons), each part
carrying the buttons of its own items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.outbox_messages import DigestItem
from bot.engine.views import StepView, TaskView, UserRef
from handlers.ui import keyboards, formatting
from handlers.ui.paging import utf16_len
from handlers.ui.reads import Reads
from handlers.ui.task_cards import task_card
from handlers.ui.texts import t

#: Characters and buttons per message, below Telegram's 4096 and 100.
TEXT_LIMIT = 3500
BUTTON_LIMIT = 90
Part = tuple[str, InlineKeyboardMarkup | None]


class Sender(Protocol):
    """What the renderer needs from :class:`handlers.outbox.sender.Notifier`."""

    application: Any

    @property
    def reads(self) -> Reads: ...

    async def person(self, user_id: Any) -> UserRef | None: ...


@dataclass
class _Entry:
    line: str
    buttons: list[InlineKeyboardButton] = field(default_factory=list)


async def _live(sender: Sender, items: Sequence[DigestItem]) -> list[tuple[DigestItem, TaskView]]:
    """Items whose task is still the one to act on, with its current view."""
    found = []
    for item in items:
        task = await sender.reads.task(item.task_id)
        if task.status == "active":
            found.append((item, task))
    return found


async def _zone(sender: Sender, chat_id: int) -> tuple[str, str | None]:
    """A group's time zone and title."""
    chat = await sender.reads.chat(chat_id)
    if chat is None:
        return sender.application.bot_data.settings.default_timezone, None
    return chat.timezone, chat.title


def _status(item: DigestItem, task: TaskView, tz: str, lang: str) -> str:
    """"lewat 1 jam 20 menit", "batas waktu sudah tiba", or the due time for an early one."""
    late = item.late_minutes
    if item.round == 0:
        return t(lang, "nag_left", due=formatting.when(task.due_at, tz, lang), left=formatting.minutes(-late, lang))
    if late < 1:
        return t(lang, "nag_due_reached")
    return t(lang, "nag_late", late=formatting.minutes(late, lang))


async def _step(sender: Sender, task: TaskView) -> StepView | None:
    status = await sender.reads.status(task.run_id)
    return status.step if status.task is not None and status.task.id == task.id else None


def _prefixed(markup: InlineKeyboardMarkup | None, prefix: str) -> list[InlineKeyboardButton]:
    """A task card's buttons, labelled with their task so a list of them stays readable."""
    rows = markup.inline_keyboard if markup is not None else ()
    return [InlineKeyboardButton(f"{prefix} {b.text}"[:48], callback_data=b.callback_data) for row in rows for b in row]


async def _actions(sender: Sender, task: TaskView, lang: str) -> list[InlineKeyboardButton]:
    prefix = t(lang, "nag_button_prefix", number=task.run_number, no=task.step_no)
    if task.role.eksternal:
        return _prefixed(keyboards.on_behalf(task, lang), prefix)
    return _prefixed(keyboards.task_actions(task, await _step(sender, task), lang), prefix)


async def private_digest(sender: Sender, items: Sequence[DigestItem], lang: str) -> list[Part]:
    """The reminders and alerts of one tick for one person."""
    live = await _live(sender, items)
    own = [(i, task) for i, task in live if i.reason == "actor"]
    alerts = [(i, task) for i, task in live if i.reason != "actor"]
    if len(own) == 1 and not alerts:
        item, task = own[0]
        tz, _ = await _zone(sender, task.chat_id)
        text, markup = await task_card(sender.application.bot_data, task, lang, reads=sender.reads)
        key = "nag_early" if item.round == 0 else "nag_reminder"
        return [(f"{t(lang, key, status=_status(item, task, tz, lang))}\n\n{text}", markup)]
    entries: list[_Entry] = []
    if own:
        entries.append(_Entry(t(lang, "nag_own_header", count=len(own))))
        for item, task in own:
            tz, _ = await _zone(sender, task.chat_id)
            line = t(lang, "nag_own_item", number=task.run_number, title=formatting.esc(task.run_title, 80),
                     no=task.step_no, role=formatting.role_name(task.role), activity=formatting.esc(task.aktivitas, 120),
                     status=_status(item, task, tz, lang))
            entries.append(_Entry(line, await _actions(sender, task, lang)))
    if alerts:
        entries.append(_Entry(t(lang, "nag_alert_header", count=len(alerts))))
        for item, task in alerts:
            entries.append(_Entry(await _alert_line(sender, item, task, lang)))
    return _pack(entries)


async def _alert_line(sender: Sender, item: DigestItem, task: TaskView, lang: str) -> str:
    """Run, step, holder and how far over: what a Kasubag needs to chase it."""
    tz, title = await _zone(sender, task.chat_id)
    group = t(lang, "task_in_group", group=formatting.esc(title, 60)) if title else ""
    return t(
        lang, "nag_alert_item", number=task.run_number, title=formatting.esc(task.run_title, 80), group=group,
        no=task.step_no, activity=formatting.esc(task.aktivitas, 120), role=formatting.role_name(task.role),
        holder=formatting.holder_text(task.holder, task.role, lang), status=_status(item, task, tz, lang),
    )


async def group_digest(sender: Sender, items: Sequence[DigestItem], lang: str) -> list[Part]:
    """Overdue tasks of one group nobody holds (claim buttons) or whose people need a mention."""
    live = await _live(sender, items)
    if not live:
        return []
    entries = [_Entry(t(lang, "nag_group_header", count=len(live)))]
    mentions: list[int] = []
    for item, task in live:
        buttons: list[InlineKeyboardButton] = []
        if item.unassigned and task.holder is None and not task.role.eksternal:
            buttons = list(keyboards.claim_one(task.run_id, task.role.key, task.role.nama, lang).inline_keyboard[0])
        entries.append(_Entry(await _alert_line(sender, item, task, lang), buttons))
        mentions.extend(u for u in item.mention or () if u not in mentions)
    if mentions:  # last, so the ping and its button end the one message most groups get
        people = ", ".join([formatting.mention(await sender.person(u)) for u in mentions])
        button = keyboards.open_bot(sender.application.bot_data.bot_username, lang).inline_keyboard[0]
        entries.append(_Entry(t(lang, "nag_group_ping", users=people), list(button)))
    return _pack(entries)


def _pack(entries: list[_Entry]) -> list[Part]:
    """Greedy split: each part below the text and button limits, with its own buttons."""
    parts: list[Part] = []
    lines: list[str] = []
    rows: list[list[InlineKeyboardButton]] = []
    size = buttons = 0
    for entry in entries:
        length = utf16_len(entry.line) + 1
        if lines and (size + length > TEXT_LIMIT or buttons + len(entry.buttons) > BUTTON_LIMIT):
            parts.append(("\n".join(lines), InlineKeyboardMarkup(rows) if rows else None))
            lines, rows, size, buttons = [], [], 0, 0
        lines.append(entry.line)
        size, buttons = size + length, buttons + len(entry.buttons)
        if entry.buttons:
            rows.append(entry.buttons)
    if lines:
        parts.append(("\n".join(lines), InlineKeyboardMarkup(rows) if rows else None))
    return parts

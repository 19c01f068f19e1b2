"""The sender's words for delegations (Plh./Plt.): the group notices when a period is
accepted or ends, and the private notes — the holder's hand-back digest, the substitute's
"your time is over" (when their recorded cards lose their buttons), and "the holder did
this step" — rendered at sending time from the database, like every outbox row."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Protocol

from telegram import Message

from bot.engine.delegation_views import DelegationView
from bot.engine.views import NotificationView, RunView, TaskView, UserRef
from handlers.ui import delegation_text as dr
from handlers.common import drop_buttons
from handlers.ui.formatting import actor, mention, role_name
from handlers.ui.texts import t

logger = logging.getLogger(__name__)

NOTICES = frozenset({"delegation_accepted", "delegation_ended"})


class Sender(Protocol):
    """What :class:`handlers.outbox.notices.NoticeSender` offers these renderers."""

    application: Any

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any: ...

    async def lang_of(self, chat_id: int) -> str: ...

    async def post(self, chat_id: int, rendered: Any) -> Message | None: ...

    async def person(self, user_id: Any) -> UserRef | None: ...


async def _zone(sender: Sender, chat_id: int) -> str:
    chat = await sender.call("get_chat", chat_id)
    return chat.timezone if chat is not None else sender.application.bot_data.settings.default_timezone


async def group_notice(sender: Sender, p: Mapping[str, Any], run: RunView, lang: str) -> tuple[str, None]:
    """"Siti acts as Plh. Kepala Badan until …" / "… is over; tasks go back to Budi"."""
    view: DelegationView = await sender.call("get_delegation", int(p["delegation_id"]))
    tz = await _zone(sender, run.chat_id)
    label = dr.label(view, lang)
    if p.get("notice") == "delegation_accepted":
        text = t(lang, "notice_plh_accepted", substitute=mention(view.substitute), label=label,
                 number=run.number, period=dr.period(view, tz, lang))
    else:  # the role's holder now (a Plt. ended by a claim hands back to the new holder)
        holder_id = p.get("holder_id")
        holder = mention(await sender.person(holder_id)) if holder_id is not None else t(lang, "nobody")
        text = t(lang, "notice_plh_ended", substitute=mention(view.substitute), label=label,
                 number=run.number, holder=holder)
    return text, None


async def send_note(sender: Sender, row: NotificationView) -> None:
    """A private note about a delegation (``payload["what"]``)."""
    assert row.user_id is not None
    p = row.payload
    lang = await sender.lang_of(row.user_id)
    delegation_id = int(p["delegation_id"])
    view: DelegationView = await sender.call("get_delegation", delegation_id)
    tz = await _zone(sender, view.chat_id)
    what = p.get("what")
    if what == "handback":
        text = dr.handback_text(await sender.call("handback_digest", delegation_id), tz, lang)
    elif what == "over":
        await strip_cards(sender, delegation_id)
        text = t(lang, "note_over", label=dr.label(view, lang), number=view.run_number)
    else:  # the holder did it: the substitute's card of that task is spent
        await strip_cards(sender, delegation_id, int(p["task_id"]))
        task: TaskView = await sender.call("get_task", int(p["task_id"]))
        who = actor(task.completed_by, task.acting_as, task.role, lang)
        text = t(lang, "note_holder_acted", no=task.step_no, number=task.run_number, role=role_name(task.role), user=who)
    await sender.post(row.user_id, (text, None))


async def strip_cards(sender: Sender, delegation_id: int, task_id: int | None = None) -> None:
    """The substitute's task cards of this period (of one task) lose their buttons (a gone message is fine)."""
    bot = sender.application.bot
    for chat_id, message_id in await sender.call("delegation_cards", delegation_id, task_id):
        await drop_buttons(bot, chat_id, message_id)


async def record_card(sender: Sender, row: NotificationView, sent: Message | None) -> None:
    """Remember a card sent to a substitute; a failure only costs the later button removal."""
    delegation_id = row.payload.get("delegation_id")
    if delegation_id is None or sent is None or row.user_id is None:
        return
    try:
        task_id = row.payload.get("task_id")
        await sender.call("record_delegation_card", int(delegation_id), row.user_id, sent.message_id,
                          int(task_id) if task_id is not None else None)
    except Exception:
        logger.warning("could not record the substitute's card %s", sent.message_id, exc_info=True)

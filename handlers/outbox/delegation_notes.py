"""The sender's words for delegations (Plh./Plt.): the group notices when a period is
accepted or ends, and the private notes — the holder's hand-back digest, the substitute's
"your time is over" (when their recorded cards lose their buttons), and "the holder did
this step" — rendered at sending time from the database, like every outbox row."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.domain import outbox_messages as m
from bot.engine.views import RunView
from handlers.outbox.card_sweep import strip_delegation_cards
from handlers.ui import delegation_text as dr
from handlers.ui.formatting import actor, mention, role_name
from handlers.ui.texts import t

if TYPE_CHECKING:
    from handlers.outbox.notices import NoticeSender

logger = logging.getLogger(__name__)

NOTICES = frozenset(n.value for n in m.DELEGATION_NOTICES)


async def _zone(sender: NoticeSender, chat_id: int) -> str:
    chat = await sender.reads.chat(chat_id)
    return chat.timezone if chat is not None else sender.application.bot_data.settings.default_timezone


async def group_notice(sender: NoticeSender, p: m.GroupNotice, run: RunView, lang: str) -> tuple[str, None]:
    """"Siti acts as Plh. Kepala Badan until …" / "… is over; tasks go back to Budi"."""
    assert p.delegation_id is not None  # the sender skips one that names none
    view = await sender.reads.delegation(p.delegation_id)
    tz = await _zone(sender, run.chat_id)
    label = dr.label(view, lang)
    if p.notice is m.Notice.DELEGATION_ACCEPTED:
        text = t(lang, "notice_plh_accepted", substitute=mention(view.substitute), label=label,
                 number=run.number, period=dr.period(view, tz, lang))
    else:  # the role's holder now (a Plt. ended by a claim hands back to the new holder)
        holder = mention(await sender.person(p.holder_id)) if p.holder_id is not None else t(lang, "nobody")
        text = t(lang, "notice_plh_ended", substitute=mention(view.substitute), label=label,
                 number=run.number, holder=holder)
    return text, None


async def send_note(sender: NoticeSender, note: m.DelegationNote) -> None:
    """A private note about a delegation (``note.what``)."""
    lang = await sender.lang_of(note.user_id)
    view = await sender.reads.delegation(note.delegation_id)
    tz = await _zone(sender, view.chat_id)
    if note.what is m.NoteKind.HANDBACK:
        text = dr.handback_text(await sender.reads.handback(note.delegation_id), tz, lang)
    elif note.what is m.NoteKind.OVER:
        await strip_delegation_cards(sender, note.delegation_id)
        text = t(lang, "note_over", label=dr.label(view, lang), number=view.run_number)
    else:  # the holder did it: the substitute's card of that task is spent
        assert note.task_id is not None
        await strip_delegation_cards(sender, note.delegation_id, note.task_id)
        task = await sender.reads.task(note.task_id)
        who = actor(task.completed_by, task.acting_as, task.role, lang)
        text = t(lang, "note_holder_acted", no=task.step_no, number=task.run_number, role=role_name(task.role), user=who)
    await sender.post(note.user_id, (text, None))

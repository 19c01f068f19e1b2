"""Plh./Plt. views to Telegram HTML: the request with its buttons, the lines under /peran,
the hand-back digest, and the trail's lines for /riwayat."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine.delegation_views import DelegationView, HandbackDigest
from bot.engine.views import HistoryEntry, RoleRef, UserRef
from bot.domain.sop import SopDefinition
from handlers.ui import callback_data as cb
from handlers.ui.keyboards import deep_link
from handlers.ui.formatting import acting_label, actor, esc, mention, when
from handlers.ui.texts import t

#: Delegation events /riwayat shows (the rest are bookkeeping).
DELEGATION_EVENTS = frozenset({"delegation_accepted", "delegation_ended"})


def day_text(iso: str | None, lang: str) -> str:
    """An ISO date as people write it: "7 Des 2026"."""
    if not iso:
        return "-"
    day = date.fromisoformat(iso)
    return f"{day.day} {t(lang, 'months').split(',')[day.month - 1]} {day.year}"


def label(view: DelegationView, lang: str) -> str:
    return acting_label(view.kind, view.role, lang)


def period(view: DelegationView, tz: str, lang: str) -> str:
    """"Rab 2 Des 09:00 WIB s.d. 7 Des 2026", or open-ended for a Plt."""
    start = when(view.starts_at, tz, lang)
    if view.last_day is None:
        return t(lang, "plh_period_open", start=start)
    return t(lang, "plh_period", start=start, end=day_text(view.last_day, lang))


def request_text(view: DelegationView, tz: str, lang: str) -> str:
    reason = t(lang, "plh_request_reason", reason=esc(view.reason)) if view.reason else ""
    text = t(
        lang, "plh_request", requested_by=mention(view.requested_by), substitute=mention(view.substitute),
        label=label(view, lang), number=view.run_number, period=period(view, tz, lang), reason=reason,
        accept_by=when(view.accept_by, tz, lang),
    )
    if not view.substitute_reachable:
        text += t(lang, "plh_needs_start", substitute=mention(view.substitute))
    return text


def request_markup(view: DelegationView, bot_username: str, lang: str) -> InlineKeyboardMarkup:
    """Accept / Decline; and, for someone who never pressed Start, the button that opens the bot."""
    rows = [[
        InlineKeyboardButton(t(lang, "btn_plh_accept"), callback_data=cb.PlhAccept(view.id).encode()),
        InlineKeyboardButton(t(lang, "btn_plh_decline"), callback_data=cb.PlhDecline(view.id).encode()),
    ]]
    if not view.substitute_reachable:
        rows.append([InlineKeyboardButton(t(lang, "btn_open_bot"), url=deep_link(bot_username))])
    return InlineKeyboardMarkup(rows)


def roles_lines(delegations: Iterable[DelegationView], tz: str, lang: str) -> dict[str, str]:
    """Role key → the line shown under it in /peran."""
    found: dict[str, str] = {}
    for view in delegations:
        key = "roles_delegation" if view.in_force else "roles_delegation_pending"
        found[view.role.key] = t(lang, key, label=label(view, lang), substitute=mention(view.substitute),
                                 period=period(view, tz, lang))
    return found


def end_buttons(delegations: Iterable[DelegationView], lang: str) -> list[list[InlineKeyboardButton]]:
    return [
        [InlineKeyboardButton(t(lang, "btn_plh_end", label=t(lang, f"acting_{v.kind}", role=v.role.nama)),  # plain text
                              callback_data=cb.PlhEnd(v.id).encode())]
        for v in delegations if v.in_force
    ]


def handback_text(digest: HandbackDigest, tz: str, lang: str) -> str:
    view = digest.delegation
    lines = [t(lang, "note_handback", role=esc(view.role.nama, 80), number=view.run_number,
               substitute=mention(view.substitute), label=label(view, lang), period=period(view, tz, lang))]
    for item in digest.done:
        who = actor(item.completed_by, item.acting_as, view.role, lang)
        lines.append(t(lang, "note_handback_item", no=item.step_no, activity=esc(item.aktivitas, 120), user=who,
                       when=when(item.completed_at, tz, lang)))
    if not digest.done:
        lines.append(t(lang, "note_handback_none"))
    if digest.reminders:
        lines.append(t(lang, "note_handback_reminders", count=digest.reminders, substitute=mention(view.substitute)))
    if digest.current_task_id is not None:
        lines.append(t(lang, "note_handback_current", no=_step_of(digest)))
    return "\n".join(lines)


def _step_of(digest: HandbackDigest) -> str:
    return str(digest.current_step_no) if digest.current_step_no is not None else "?"


def delegation_event(
    entry: HistoryEntry, sop: SopDefinition | None, lang: str, people: Mapping[int, UserRef]
) -> str:
    data = entry.data
    role_def = sop.role_by_key.get(str(data.get("role_key"))) if sop is not None else None
    role = RoleRef(key=str(data.get("role_key")), nama=role_def.nama if role_def else str(data.get("role_key")))
    name = acting_label(str(data.get("delegation_kind")), role, lang)
    sub_id = data.get("substitute_id")
    substitute = mention(people.get(int(sub_id)) or UserRef(int(sub_id))) if sub_id is not None else "?"
    if entry.kind == "delegation_accepted":
        end = data.get("last_day")
        span = t(lang, "plh_period_until", end=day_text(str(end), lang)) if end else t(lang, "plh_open_ended")
        return t(lang, "h_delegation_accepted", substitute=substitute, label=name, period=span)
    return t(lang, "h_delegation_ended", substitute=substitute, label=name)

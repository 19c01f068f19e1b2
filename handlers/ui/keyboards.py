"""Inline keyboards. Every button carries a :mod:`handlers.ui.callback_data` payload or a t.me link.

Builders take views and a language and return markup; they decide nothing about who may
press what (that is checked against the database when the button is pressed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine.views import RoleView, RunView, StepView, TaskView
from bot.domain import permissions
from bot.domain.permissions import RunFacts
from handlers.ui import callback_data as cb
from handlers.ui.texts import t

BUTTON_LABEL_MAX = 48  # longer labels are cut off on a phone anyway


def _button(text: str, data: cb.Callback) -> InlineKeyboardButton:
    label = text if len(text) <= BUTTON_LABEL_MAX else text[: BUTTON_LABEL_MAX - 1] + "…"
    return InlineKeyboardButton(label, callback_data=data.encode())


def _markup(rows: Iterable[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    kept = [list(row) for row in rows if row]
    return InlineKeyboardMarkup(kept) if kept else None


def deep_link(bot_username: str, payload: str = "tugas") -> str:
    """A link that opens the private chat with the bot and sends /start <payload>."""
    return f"https://t.me/{bot_username}?start={payload}"


def open_bot(bot_username: str, lang: str) -> InlineKeyboardMarkup:
    """The button a person presses before the bot may write to them."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t(lang, "btn_open_bot"), url=deep_link(bot_username))]])


def sop_pages(page: int, pages: int, lang: str) -> InlineKeyboardMarkup | None:
    row = []
    if page > 0:
        row.append(_button(t(lang, "btn_prev"), cb.SopPage(page - 1)))
    if page + 1 < pages:
        row.append(_button(t(lang, "btn_next"), cb.SopPage(page + 1)))
    return _markup([row])


def roles(run: RunView, views: Iterable[RoleView], lang: str, viewer_id: int | None = None) -> InlineKeyboardMarkup | None:
    """🙋 for every free role; for the one who asked, 🔓 and 🧳 (name a Plh.) on their own roles and, when
    they coordinate the run, ✖️ to take back the others' and 🧳 for an absent holder (external roles are never held)."""
    rows = []
    for view in views:
        if view.role.eksternal:
            continue
        if view.holder is None:
            rows.append([_button(t(lang, "btn_claim", role=view.role.nama), cb.Claim(run.id, view.role.key))])
        elif view.holder.id == viewer_id:
            rows.append([_button(t(lang, "btn_release", role=view.role.nama), cb.Release(run.id, view.role.key)),
                         _button(t(lang, "btn_plh_ask"), cb.PlhAsk(run.id, view.role.key))])
        elif viewer_id is not None and permissions.is_coordinator(viewer_id, RunFacts(run.id, run.coordinator.id)):
            rows.append([_button(t(lang, "btn_revoke", role=view.role.nama), cb.Revoke(run.id, view.role.key)),
                         _button(t(lang, "btn_plh_ask"), cb.PlhAsk(run.id, view.role.key))])
    return _markup(rows)


def claim_one(run_id: int, role_key: str, role_name: str, lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t(lang, "btn_claim", role=role_name), cb.Claim(run_id, role_key))]])


def task_actions(task: TaskView, step: StepView | None, lang: str) -> InlineKeyboardMarkup | None:
    """✅ for a plain task; one button per outcome for the deciding actor of a decision step."""
    if task.is_decision and step is not None and step.decision is not None:
        buttons = []
        for outcome in step.decision.outcomes:
            label = t(lang, "btn_return") if outcome.goto is not None else t(lang, "btn_approve")
            buttons.append(_button(label, cb.Decide(task.id, outcome.key)))
        return _markup([buttons])
    return _markup([[_button(t(lang, "btn_done"), cb.Done(task.id))]])


def undo(task_id: int, lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t(lang, "btn_undo"), cb.Undo(task_id))]])


def on_behalf(task: TaskView, lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t(lang, "btn_on_behalf", role=task.role.nama), cb.OnBehalf(task.id))]])


def on_behalf_outcomes(task: TaskView, step: StepView, lang: str) -> InlineKeyboardMarkup | None:
    """One 🤝 button per outcome of a decision the coordinator takes for its actor."""
    outcomes = step.decision.outcomes if step.decision is not None else ()
    return _markup([[_button(t(lang, "btn_on_behalf_outcome", outcome=o.label_en if lang == "en" and o.label_en else o.label), cb.OnBehalfDecide(task.id, o.key))] for o in outcomes])


def pick_run(action: str, runs: Iterable[RunView], lang: str) -> InlineKeyboardMarkup | None:
    return _markup(
        [[_button(t(lang, "btn_run", number=r.number, title=r.title), cb.PickRun(action, r.id))] for r in runs]
    )


def confirm_cancel(run_id: int, lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(t(lang, "btn_cancel_yes"), cb.CancelRun(run_id)), _button(t(lang, "btn_cancel_no"), cb.KeepRun(run_id))]]
    )


def approve_claim(run_id: int, role_index: int, user_id: int, user_name: str, lang: str) -> InlineKeyboardMarkup:
    """👍 and ❌ under a pending claim (strict mode): the coordinator approves or rejects it."""
    approve = _button(t(lang, "btn_approve_claim", user=user_name), cb.Approve(run_id, role_index, user_id))
    reject = _button(t(lang, "btn_reject_claim"), cb.Reject(run_id, role_index, user_id))
    return InlineKeyboardMarkup([[approve, reject]])

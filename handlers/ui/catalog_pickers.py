"""The pickers a draft's review opens in place of its message: the actors of a step (in the
order picked), the supervisor, the external roles, and where a decision's outcome goes.

Pure: the draft in, text and buttons out (:mod:`handlers.catalog_review` stores what a
picker remembers between presses).
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup

from bot.catalog.views import DraftView
from handlers.ui import callback_data as cb
from handlers.ui.catalog_text import button, goto_picker, role_picker, step_no
from handlers.ui.formatting import esc
from handlers.ui.texts import t


def actors_pending(draft: DraftView, action: str, index: int) -> dict[str, Any]:
    """The actors picker's state after a press: opened anew on a step ("actors"), or with
    one role picked or unpicked ("pick")."""
    pending = dict(draft.pending or {})
    if action == "actors" or pending.get("kind") != "actors":
        return {"kind": "actors", "step": index, "selected": []}
    chosen = list(pending["selected"])
    pending["selected"] = [i for i in chosen if i != index] if index in chosen else [*chosen, index]
    return pending


def actors_picker(draft: DraftView, pending: dict[str, Any], lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """The step's text, the actors chosen so far, every role (numbered in the order picked), 💾."""
    content = draft.content
    roles, step = content.get("roles") or [], pending["step"]
    chosen = [esc(roles[i].get("nama"), 60) for i in pending["selected"] if 0 <= i < len(roles)]
    text = t(lang, "catalog_pick_actors", no=step_no(content, step),
             text=esc((content["steps"][step] if 0 <= step < len(content["steps"]) else {}).get("aktivitas"), 200),
             chosen=" → ".join(chosen) or t(lang, "catalog_chosen_none"))
    save = [button(t(lang, "catalog_btn_save"), cb.DraftFix(draft.id, "save", 0, 0))]
    marks = {i: n for n, i in enumerate(pending["selected"], 1)}
    return text, role_picker(draft, "pick", lang, lambda i, r: _picked(i, r, marks), save)


def role_choice(draft: DraftView, action: str, lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """The supervisor picker ("supervisor": internal roles only) or the external toggles ("external")."""
    if action == "supervisor":
        return t(lang, "catalog_pick_supervisor"), role_picker(
            draft, "set_sup", lang, lambda i, r: None if r.get("eksternal") else _named(i, r))
    return t(lang, "catalog_pick_external"), role_picker(
        draft, "toggle_ext", lang, lambda i, r: ("🌐 " if r.get("eksternal") else "🏢 ") + _named(i, r))


def goto_choice(draft: DraftView, index: int, outcome: int | None, lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """Where the step's outcome (or a new decision, `outcome` None) sends the run."""
    steps = draft.content.get("steps") or []
    activity = steps[index].get("aktivitas") if 0 <= index < len(steps) else ""
    text = t(lang, "catalog_pick_goto", no=step_no(draft.content, index), text=esc(activity, 200))
    return text, goto_picker(draft, index, outcome or 0, lang)


def _named(index: int, role: dict[str, Any]) -> str:
    name = role.get("nama")
    return str(name) if isinstance(name, str) and not name.startswith("??") else f"?? (Pelaksana {index + 1})"


def _picked(index: int, role: dict[str, Any], marks: dict[int, int]) -> str:
    return (f"{marks[index]}. " if index in marks else "") + _named(index, role)

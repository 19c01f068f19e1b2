"""Words and buttons of the SOP catalogue: the list, an entry's history, a draft's summary,
its review (what is still missing) and the pickers that fix it.

Renderers take plain data (drafts are dicts, reviews come from :mod:`bot.catalog.review`)
and a language; they decide nothing about who may press what.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.catalog.review import Issue, Review
from bot.catalog.views import CatalogItem, DraftView, VersionInfo
from bot.sop_import.common import is_mark
from handlers.ui import callback_data as cb
from handlers.ui.keyboards import BUTTON_LABEL_MAX
from handlers.ui.formatting import SOP_PAGE_SIZE, esc, minutes, when
from handlers.ui.texts import t

#: Fields a "text" issue can be about, by the code its button carries.
TEXT_FIELDS: tuple[tuple[str | int, ...], ...] = (
    ("id",), ("nama",), ("identitas", "instansi"), ("identitas", "disahkan_oleh", "jabatan"),
    ("identitas", "disahkan_oleh", "nip"),
)
#: Issues listed in a review message; the rest are counted (each fix shows the next ones).
MAX_LISTED = 25
#: Buttons carry positions and step numbers below this (see callbacks.Small).
SMALL = 10_000
#: Issue kinds with a button of their own (see bot.catalog.review.KINDS).
FIXABLE = ("text", "number", "role_name", "supervisor", "actors", "time", "goto", "total", "decision_hint")
ACTIVITY = len(TEXT_FIELDS)  # the code of a step's aktivitas; the step index rides along
_FIELD_NAMES = ("catalog_field_id", "catalog_field_nama", "catalog_field_instansi", "catalog_field_jabatan",
                "catalog_field_nip")


def button(text: str, data: cb.Callback) -> InlineKeyboardButton:
    label = text if len(text) <= BUTTON_LABEL_MAX else text[: BUTTON_LABEL_MAX - 1] + "…"
    return InlineKeyboardButton(label, callback_data=data.encode())


def step_no(draft: dict[str, Any], index: int | None) -> str:
    steps = draft.get("steps") or []
    if index is None or not 0 <= index < len(steps):
        return "?"
    no = steps[index].get("no")
    return str(no) if isinstance(no, int) else f"#{index + 1}"


def text_code(issue: Issue) -> tuple[int, int]:
    """(field code, step index) of a text issue, for its button."""
    if len(issue.path) == 3 and issue.path[0] == "steps" and isinstance(issue.path[1], int):
        return ACTIVITY, issue.path[1]
    return (TEXT_FIELDS.index(issue.path) if issue.path in TEXT_FIELDS else 1), 0


def field_name(draft: dict[str, Any], code: int, step_index: int, lang: str) -> str:
    if code == ACTIVITY:
        return t(lang, "catalog_field_aktivitas", no=step_no(draft, step_index))
    return t(lang, _FIELD_NAMES[code if 0 <= code < len(_FIELD_NAMES) else 1])


def _issue_params(draft: dict[str, Any], issue: Issue, lang: str) -> dict[str, Any]:
    params: dict[str, Any] = {"no": step_no(draft, issue.step_index),
                              "position": (issue.step_index or 0) + 1,
                              "column": (issue.role_index or 0) + 1,
                              "message": esc(issue.message, 200)}
    if issue.kind == "text":
        params["field"] = field_name(draft, *text_code(issue), lang)
    return params


def issue_line(draft: dict[str, Any], issue: Issue, lang: str) -> str:
    text = t(lang, f"catalog_issue_{issue.kind}", **_issue_params(draft, issue, lang))
    if issue.message and issue.kind not in ("rule",):
        text += t(lang, "catalog_issue_detail", message=esc(issue.message, 200))
    return text


def issue_button(draft_id: int, draft: dict[str, Any], issue: Issue, lang: str) -> InlineKeyboardButton:
    label = t(lang, f"catalog_btn_{issue.kind}", **_issue_params(draft, issue, lang))
    index, arg = issue.step_index or 0, issue.outcome_index or 0
    if issue.kind == "role_name":
        index = issue.role_index or 0
    elif issue.kind == "text":
        index, arg = text_code(issue)
    return button(label, cb.DraftFix(draft_id, issue.kind, index, arg))


def _role_name(role: dict[str, Any], index: int) -> str:
    """A column's name; an unnamed one as the review numbers it ("?? (Pelaksana 1)")."""
    name = role.get("nama") or role.get("key")
    return f"?? (Pelaksana {index + 1})" if not name or is_mark(name) else esc(name, 80)


def _actors(draft: dict[str, Any], step: dict[str, Any]) -> str:
    names = {r.get("key"): _role_name(r, i) for i, r in enumerate(draft.get("roles") or [])}
    chain = [names.get(a.get("role"), esc(a.get("role"), 40)) for a in step.get("actors") or []]
    return " → ".join(chain) or "??"


def _waktu(value: Any) -> str:
    if isinstance(value, list):
        return esc(" ".join(str(v) for v in value), 40)
    return esc(value, 40)


def summary(draft: DraftView, checked: Review, lang: str) -> str:
    """Everything the importer read, for checking against the paper: roles, steps, totals."""
    content = draft.content
    supervisor = content.get("supervisor")
    roles = []
    for index, role in enumerate(content.get("roles") or []):
        mark = t(lang, "mark_external") if role.get("eksternal") else ""
        mark += t(lang, "mark_supervisor") if role.get("key") == supervisor and not is_mark(supervisor) else ""
        key = "??" if is_mark(role.get("key")) else esc(role.get("key"), 40)
        roles.append(t(lang, "sop_role_line", name=_role_name(role, index), key=key, mark=mark))
    steps = [t(lang, "sop_step_line", no=esc(s.get("no"), 8), actors=_actors(content, s),
               text=esc(s.get("aktivitas"), 90), time=_waktu(s.get("waktu")))
             for s in content.get("steps") or []]
    identitas = content.get("identitas") or {}
    office = " — ".join(esc(x, 120) for x in (identitas.get("instansi"), identitas.get("unit")) if x)
    return t(lang, "catalog_summary", draft=draft.id, name=esc(content.get("nama"), 160), id=esc(content.get("id"), 48),
             office=office, scope=scope_name(draft.scope_chat_id, draft.scope_chat_id, lang),
             version=draft.base_version + 1, roles="\n".join(roles), steps="\n".join(steps),
             totals=totals(checked, lang))


def totals(checked: Review, lang: str) -> str:
    unknown = t(lang, "catalog_totals_unknown", count=checked.unknown_times) if checked.unknown_times else ""
    if checked.stated_minutes is None:
        stated, check = t(lang, "catalog_total_none"), ""
    else:
        stated = minutes(checked.stated_minutes, lang)
        same = checked.stated_minutes == checked.total_minutes and not checked.unknown_times
        check = t(lang, "catalog_total_ok" if same else "catalog_total_differs")
    return t(lang, "catalog_totals", sum=minutes(checked.total_minutes, lang), unknown=unknown, stated=stated,
             check=check)


def review_text(draft: DraftView, checked: Review, tz: str, lang: str) -> str:
    """What is still missing (or that it is ready), the notes, and until when the draft is kept."""
    content = draft.content
    parts = [t(lang, "catalog_review_header", draft=draft.id, id=esc(content.get("id"), 48),
               name=esc(content.get("nama"), 120))]
    blocking = checked.blocking
    if blocking:
        items = "\n".join(f"• {issue_line(content, i, lang)}" for i in blocking[:MAX_LISTED])
        if len(blocking) > MAX_LISTED:  # the message is edited in place: it must stay one message
            items += "\n" + t(lang, "catalog_review_more", count=len(blocking) - MAX_LISTED)
        parts.append(t(lang, "catalog_review_missing", count=len(blocking), items=items))
    else:
        parts.append(t(lang, "catalog_review_ready", version=draft.base_version + 1))
    hints = [issue_line(content, i, lang) for i in checked.issues if not i.blocking]
    notes = ([esc(n, 200) for n in draft.notes] + hints)[:10]
    if notes:
        parts.append(t(lang, "catalog_review_notes", items="\n".join(f"• {n}" for n in notes)))
    parts.append(t(lang, "catalog_review_expires", when=when(draft.expires_at, tz, lang)))
    return "\n\n".join(parts)


def review_keyboard(draft: DraftView, checked: Review, lang: str) -> InlineKeyboardMarkup:
    fix = lambda action, index=0, arg=0: cb.DraftFix(draft.id, action, index, arg)  # noqa: E731
    fixable = [i for i in checked.issues  # a broken rule has no button: the line says why
               if i.kind in FIXABLE and max(i.step_index or 0, i.role_index or 0, i.outcome_index or 0) < SMALL]
    rows = [[issue_button(draft.id, draft.content, i, lang)] for i in fixable[:MAX_LISTED + 5]]
    rows.append([button(t(lang, "catalog_btn_external"), fix("external")),
                 button(t(lang, "catalog_btn_id"), fix("text", 0))])
    last = [button(t(lang, "catalog_btn_summary"), fix("summary"))]
    if checked.ready:
        last.insert(0, button(t(lang, "catalog_btn_publish"), fix("publish")))
    last.append(button(t(lang, "catalog_btn_discard"), fix("discard")))
    rows.append(last)
    return InlineKeyboardMarkup(rows)


def _pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i: i + 2] for i in range(0, len(buttons), 2)]


def role_picker(draft: DraftView, action: str, lang: str, label: Callable[[int, dict[str, Any]], str | None],
                extra: Sequence[InlineKeyboardButton] = ()) -> InlineKeyboardMarkup:
    """One button per role column (those `label` gives a label for), then the extra row and Back."""
    buttons = []
    for index, role in enumerate((draft.content.get("roles") or [])[:90]):  # Telegram: 100 buttons
        text = label(index, role)
        if text is not None:
            buttons.append(button(text, cb.DraftFix(draft.id, action, index, 0)))
    rows = _pairs(buttons)
    rows.append([*extra, button(t(lang, "catalog_btn_back"), cb.DraftFix(draft.id, "review", 0, 0))])
    return InlineKeyboardMarkup(rows)


def goto_picker(draft: DraftView, step_index: int, outcome_index: int, lang: str) -> InlineKeyboardMarkup:
    steps = draft.content.get("steps") or []
    targets = [s.get("no") for i, s in enumerate(steps)
               if i != step_index and isinstance(s.get("no"), int) and 0 <= s.get("no") < SMALL]
    buttons = [button(t(lang, "catalog_btn_goto_step", no=n), cb.DraftFix(draft.id, "set_goto", step_index, n))
               for n in targets[:60]]
    rows = [buttons[i: i + 4] for i in range(0, len(buttons), 4)]
    rows.append([button(t(lang, "catalog_btn_no_decision"), cb.DraftFix(draft.id, "no_decision", step_index, 0)),
                 button(t(lang, "catalog_btn_back"), cb.DraftFix(draft.id, "review", 0, 0))])
    return InlineKeyboardMarkup(rows)


# -- the catalogue ---------------------------------------------------------------------------
def scope_name(scope_chat_id: int | None, chat_id: int | None, lang: str) -> str:
    if scope_chat_id is None:
        return t(lang, "catalog_scope_bot")
    return t(lang, "catalog_scope_group" if scope_chat_id == chat_id else "catalog_scope_other")


def catalog_list(items: Sequence[CatalogItem], page: int, chat_id: int | None, lang: str) -> str:
    if not items:
        return t(lang, "sop_none") + "\n\n" + t(lang, "catalog_add_hint")
    pages = max(1, -(-len(items) // SOP_PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    lines = [t(lang, "sop_list_header", count=len(items))]
    for item in items[page * SOP_PAGE_SIZE: (page + 1) * SOP_PAGE_SIZE]:
        mark = t(lang, "catalog_mark_group") if item.scope_chat_id is not None else ""
        lines.append(t(lang, "catalog_list_item", id=esc(item.sop_id), name=esc(item.definition.nama),
                       steps=len(item.definition.steps), version=item.latest_version, mark=mark))
    if pages > 1:
        lines.append(t(lang, "page", page=page + 1, pages=pages))
    return "\n".join(lines) + "\n\n" + t(lang, "catalog_add_hint")


def history(item: CatalogItem, versions: Sequence[VersionInfo], people: dict[int, str], chat_id: int | None,
            tz: str, lang: str) -> str:
    lines = [t(lang, "catalog_history_header", scope=scope_name(item.scope_chat_id, chat_id, lang))]
    for v in reversed(versions[-15:]):
        who = people.get(v.published_by or 0, str(v.published_by)) if v.published_by else t(lang, "catalog_seed_by")
        lines.append(t(lang, "catalog_history_line", version=v.version, when=when(v.published_at, tz, lang),
                       who=who, source=esc(v.source_name, 80), hash=v.source_hash[:12]))
    if not item.active:
        who = people.get(item.changed_by or 0, str(item.changed_by or "?"))
        lines.append(t(lang, "catalog_status_withdrawn", when=when(item.changed_at, tz, lang), who=who))
    lines.append(t(lang, "catalog_manage_hint", id=item.sop_id))
    return "\n".join(lines)


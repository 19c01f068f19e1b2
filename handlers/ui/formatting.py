"""SopEngine views to Telegram HTML, in the chat's language and time zone.

Everything a person typed (names, titles, reasons, captions) goes through :func:`esc`
here, so handlers can send the result with ``parse_mode=HTML`` without thinking about it.
Times arrive in UTC from the engine and leave as local wall-clock time with the zone's
own abbreviation (WIB, WITA, WIT).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence, Set as AbstractSet
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.engine.views import (
    RoleRef,
    RoleView,
    RunView,
    StatusView,
    StepView,
    TaskView,
    UserRef,
)
from bot.domain.durations import format_minutes
from bot.domain.sop import SopDefinition
from handlers.ui.texts import t

MAX_FREE_TEXT = 600  # a pasted essay as a reason must not swamp the chat
SOP_PAGE_SIZE = 10
NO_STANDARD = "—"  # a step without a standard time ("Setiap Saat"): not "0 menit"


def esc(text: object, limit: int = MAX_FREE_TEXT) -> str:
    """HTML-escape user-supplied text, shortened to `limit` characters."""
    value = str(text)
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return html.escape(value, quote=False)


def name_of(user: UserRef | None) -> str:
    """The plain display name (escaped)."""
    if user is None:
        return "?"
    return esc(user.first_name or (f"@{user.username}" if user.username else str(user.id)), 64)


def mention(user: UserRef | None) -> str:
    """An HTML mention that pings the person even without a username."""
    if user is None:
        return "?"
    return f'<a href="tg://user?id={int(user.id)}">{name_of(user)}</a>'


def minutes(value: float | int, lang: str) -> str:
    """Working minutes the way SOP documents write them."""
    return format_minutes(int(round(value)), lang)


def standard_time(value: int | None, lang: str) -> str:
    """A step's standard time, "—" when the SOP gives none (as reports and workbooks show it)."""
    return minutes(value, lang) if value else NO_STANDARD


def resume_time(moment: datetime, now: datetime | None, tz: str, lang: str) -> str:
    """When the office opens again, as people say it: "Senin 08.00 WIB" (with the date a week or more on)."""
    local = moment.astimezone(ZoneInfo(tz))
    day = t(lang, "weekdays_long").split(",")[local.weekday()]
    if now is None or (local.date() - now.astimezone(local.tzinfo).date()).days >= 6:
        day += f" {local.day} {t(lang, 'months').split(',')[local.month - 1]}"
    return t(lang, "resume_format", weekday=day, time=local.strftime(t(lang, "time_format")), zone=local.tzname() or tz)


def when(moment: datetime | None, tz: str, lang: str) -> str:
    """Local time with weekday and zone abbreviation, e.g. ``Sen 12 Mei 14:30 WIB``."""
    if moment is None:
        return "-"
    local = moment.astimezone(ZoneInfo(tz))
    return t(
        lang,
        "when_format",
        weekday=t(lang, "weekdays").split(",")[local.weekday()],
        day=local.day,
        month=t(lang, "months").split(",")[local.month - 1],
        time=local.strftime("%H:%M"),
        zone=local.tzname() or tz,
    )


def role_name(role: RoleRef) -> str:
    return esc(role.nama, 80)


def outcome_label(outcome: object, lang: str) -> str:
    """An outcome's label in the chat's language when the SOP provides one."""
    label_en = getattr(outcome, "label_en", None)
    return esc(label_en if lang == "en" and label_en else getattr(outcome, "label"), 120)


# -- SOP catalog ---------------------------------------------------------------------------
def sop_pages(sops: Sequence[SopDefinition]) -> int:
    return max(1, -(-len(sops) // SOP_PAGE_SIZE))


def sop_list(sops: Sequence[SopDefinition], page: int, lang: str) -> str:
    """One page of the SOP list, with ids to copy into /mulai."""
    if not sops:
        return t(lang, "sop_none")
    pages = sop_pages(sops)
    page = min(max(page, 0), pages - 1)
    lines = [t(lang, "sop_list_header", count=len(sops))]
    for sop in sops[page * SOP_PAGE_SIZE : (page + 1) * SOP_PAGE_SIZE]:
        lines.append(t(lang, "sop_list_item", id=esc(sop.id), name=esc(sop.nama), steps=len(sop.steps)))
    if pages > 1:
        lines.append(t(lang, "page", page=page + 1, pages=pages))
    return "\n".join(lines)


def sop_summary(sop: SopDefinition, lang: str) -> str:
    """Roles and steps of one SOP, short enough for a phone."""
    roles = []
    for role in sop.roles:
        mark = t(lang, "mark_external") if role.eksternal else ""
        mark += t(lang, "mark_supervisor") if role.key == sop.supervisor else ""
        roles.append(t(lang, "sop_role_line", name=esc(role.nama), key=role.key, mark=mark))
    steps = [
        t(
            lang,
            "sop_step_line",
            no=step.no,
            actors=" → ".join(esc(sop.role_by_key[k].nama) for k in step.actor_keys)
            + (t(lang, "mark_inferred") if step.inferred else ""),
            text=esc(step.aktivitas, 90),
            time=standard_time(step.minutes, lang),
        )
        for step in sop.steps
    ]
    office = sop.identitas.instansi + (f" — {sop.identitas.unit}" if sop.identitas.unit else "")
    return t(
        lang,
        "sop_summary",
        name=esc(sop.nama),
        id=sop.id,
        office=esc(office),
        steps=len(sop.steps),
        total=minutes(sop.total_minutes, lang),
        roles="\n".join(roles),
        step_lines="\n".join(steps) + (t(lang, "sop_inferred_note") if any(s.inferred for s in sop.steps) else ""),
    )


# -- runs ----------------------------------------------------------------------------------
def run_title(run: RunView) -> str:
    return esc(run.title, 120)


def acting_label(kind: str, role: RoleRef, lang: str) -> str:
    """"Plh. Kepala Badan" / "Plt. Kepala Badan"."""
    return t(lang, f"acting_{kind}", role=role_name(role)) if kind in ("plh", "plt") else role_name(role)


def actor(user: UserRef | None, acting_as: str | None, role: RoleRef, lang: str) -> str:
    """A person as the trail shows them: "Siti (Plh. Kepala Badan)" when acting as a substitute."""
    if not acting_as:
        return mention(user)
    return mention(user) + t(lang, "acting_suffix", label=acting_label(acting_as, role, lang))


def holder_text(holder: UserRef | None, role: RoleRef | None, lang: str) -> str:
    if role is not None and role.eksternal and holder is None:
        return t(lang, "role_external")
    return mention(holder) if holder is not None else t(lang, "nobody")


def status(view: StatusView, tz: str, lang: str) -> str:
    """The "what's next?" answer: the current step, who, how long, when due, what follows."""
    run = view.run
    lines = [t(lang, "status_header", number=run.number, title=run_title(run), sop=esc(run.sop_nama))]
    if run.status == "finished":
        return "\n".join([*lines, t(lang, "status_finished")])
    if run.status == "cancelled":
        return "\n".join([*lines, t(lang, "status_cancelled")])
    if view.step is not None and view.role is not None:
        lines.append(
            t(
                lang,
                "status_current",
                no=view.step.no,
                activity=esc(view.step.aktivitas, 300),
                role=role_name(view.role),
                holder=actor(view.holder, view.task.acting, view.role, lang)
                if view.task is not None and view.task.acting else holder_text(view.holder, view.role, lang),
                elapsed=minutes(view.elapsed_minutes or 0, lang),
                standard=standard_time(view.standard_minutes or view.step.minutes, lang),
                due=when(view.due_at, tz, lang),
            )
        )
        if view.resumes_at is not None:
            lines.append(t(lang, "status_paused", resumes=resume_time(view.resumes_at, view.taken_at, tz, lang)))
        if view.overdue:
            late = view.late_minutes
            if late is None and view.elapsed_minutes is not None and view.standard_minutes is not None:
                late = view.elapsed_minutes - view.standard_minutes
            lines.append(t(lang, "status_overdue", late=minutes(max(1.0, late or 0.0), lang)))
    if view.next_steps:
        lines.append(t(lang, "status_next_header"))
        for nxt in view.next_steps:
            who = ", ".join(
                f"{role_name(h.role)} ({holder_text(h.holder, h.role, lang)})" for h in nxt.holders
            )
            lines.append(t(lang, "status_next_line", no=nxt.step.no, role=who, activity=esc(nxt.step.aktivitas, 100)))
    return "\n".join(lines)


def roles(
    run: RunView, views: Iterable[RoleView], lang: str, unreachable: AbstractSet[int] = frozenset(),
    notes: Mapping[str, str] | None = None,
) -> str:
    """Every role of a run with its holder (or pending claimants, or 'free').

    A holder in `unreachable` is marked, so the group knows they must press Start before
    their tasks can reach them privately; `notes` adds a line under a role (its Plh./Plt.).
    """
    lines = [t(lang, "roles_header", number=run.number, title=run_title(run))]
    for view in views:
        if view.role.eksternal:
            holder = t(lang, "role_external")
        elif view.holder is not None:
            holder = mention(view.holder)
            if view.holder.id in unreachable:
                holder += t(lang, "role_unreachable")
        elif view.pending:
            holder = t(lang, "role_pending", holders=", ".join(mention(u) for u in view.pending))
        else:
            holder = t(lang, "role_free")
        lines.append(t(lang, "role_line", role=role_name(view.role), holder=holder))
        if notes and view.role.key in notes:
            lines.append(notes[view.role.key])
    return "\n".join(lines)


def task_card(task: TaskView, step: StepView | None, tz: str, lang: str, group: str | None) -> str:
    """The private message a holder acts on: what to do, with what, by when."""
    details = []
    if step is not None and step.kelengkapan:
        details.append(t(lang, "task_kelengkapan", text=esc(step.kelengkapan)))
    if step is not None and step.output:
        details.append(t(lang, "task_output", text=esc(step.output)))
    if task.elapsed_minutes is not None and task.elapsed_minutes >= 1:
        standard = standard_time(task.standard_minutes, lang)
        details.append(t(lang, "task_elapsed", elapsed=minutes(task.elapsed_minutes, lang), standard=standard))
    else:
        details.append(t(lang, "task_standard", time=standard_time(task.standard_minutes, lang)))
    details.append(t(lang, "task_due", due=when(task.due_at, tz, lang)))
    if step is not None and step.inferred:
        details.append(t(lang, "task_inferred", note=esc(step.inferred, 200)))
    if task.late_minutes is not None:
        details.append(t(lang, "status_overdue", late=minutes(max(1.0, task.late_minutes), lang)))
    if task.acting:
        holder = t(lang, "task_acting_for", holder=mention(task.acting_for)) if task.acting_for else ""
        label = acting_label(task.acting, task.role, lang)  # the same words for the substitute and the holder
        details.append(t(lang, "task_acting", label=label, substitute=mention(task.holder), holder=holder))
    if task.is_decision and step is not None and step.decision is not None:
        outcomes = "\n".join(t(lang, "task_outcome", label=outcome_label(o, lang)) for o in step.decision.outcomes)
        details.append(t(lang, "task_question", question=esc(step.decision.pertanyaan), outcomes=outcomes))
    return t(
        lang,
        "task_card",
        number=task.run_number,
        title=esc(task.run_title, 120),
        group=t(lang, "task_in_group", group=esc(group, 80)) if group else "",
        no=task.step_no,
        role=role_name(task.role),
        activity=esc(task.aktivitas),
        details="\n".join(details),
    )


def next_step_line(number: int, no: int, tasks: list[TaskView], same_step: bool, lang: str) -> str:
    """Who is up at step `no`: the activity once (not again while a chain goes on in the same
    step), then every actor of the step on one line."""
    def holder(x: TaskView) -> str:  # "Siti (Plh. Kepala Badan)" while a substitute acts
        return actor(x.holder, x.acting, x.role, lang) if x.acting else holder_text(x.holder, x.role, lang)

    actors = [f"{role_name(x.role)} — {holder(x)}" for x in tasks]
    if same_step:
        return t(lang, "notice_next_same_step", number=number, no=no, actors=", ".join(actors))
    activity = esc(tasks[0].aktivitas, 160)
    if len(tasks) == 1:
        first = tasks[0]
        return t(lang, "notice_next", number=number, no=no, activity=activity, role=role_name(first.role),
                 holder=holder(first))
    return t(lang, "notice_next_actors", number=number, no=no, activity=activity, actors=", ".join(actors))

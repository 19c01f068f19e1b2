"""Answers to the questions of :mod:`bot.intents`, each kind its own: who must act, where the
run is, how much working time is used and whether it is late. "What's next?" keeps the
whole status (:func:`handlers.ui.formatting.status`); a run that is over answers every kind
with that status too ("Selesai.").

Pure formatting of engine views; one short message each, in the chat's language.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from bot.engine.views import StatusView
from handlers.ui.formatting import (
    actor,
    esc,
    mention,
    minutes,
    resume_time,
    role_name,
    run_title,
    status,
    when,
)
from handlers.ui.texts import t


def _over(view: StatusView) -> bool:
    return view.run.status != "active" or view.step is None or view.role is None


def _chain(view: StatusView, lang: str) -> str:
    task = view.task
    if task is None or task.chain_length < 2:
        return ""
    return t(lang, "answer_chain", index=task.chain_index + 1, length=task.chain_length)


def whose_turn(view: StatusView, tz: str, lang: str) -> str:
    """"Giliran siapa?": the person who must act now, as whom (Plh./Plt., on behalf), since when."""
    if _over(view):
        return status(view, tz, lang)
    assert view.step is not None and view.role is not None
    common = {"number": view.run.number, "title": run_title(view.run), "no": view.step.no,
              "chain": _chain(view, lang), "since": when(view.started_at, tz, lang), "role": role_name(view.role)}
    task = view.task
    if view.role.eksternal and view.holder is None:
        return t(lang, "answer_who_external", who=mention(view.run.coordinator), **common)
    if view.holder is None:
        return t(lang, "answer_who_nobody", key=esc(view.role.key, 40), **common)
    if task is not None and task.acting:  # "Siti (Plh. Kepala Badan)" names the role already
        who = actor(view.holder, task.acting, view.role, lang)
    else:
        who = t(lang, "answer_who_role", holder=mention(view.holder), role=role_name(view.role))
    return t(lang, "answer_who", who=who, **common)


def where_we_are(view: StatusView, total_steps: int, done: AbstractSet[int], tz: str, lang: str) -> str:
    """"Sudah sampai mana?": step n of m and which steps are done."""
    if _over(view):
        return status(view, tz, lang)
    assert view.step is not None
    finished = sorted(done)
    done_line = (t(lang, "answer_where_done", steps=", ".join(map(str, finished))) if finished
                 else t(lang, "answer_where_none_done"))
    return t(lang, "answer_where", number=view.run.number, title=run_title(view.run), no=view.step.no,
             total=total_steps, activity=esc(view.step.aktivitas, 160), done=done_line)


def how_late(view: StatusView, tz: str, lang: str) -> str:
    """"Berapa lama lagi? Telat?": working time used against the standard, late or what is left;
    outside office hours, when the clock runs again."""
    if _over(view):
        return status(view, tz, lang)
    assert view.step is not None
    standard = view.standard_minutes or view.step.minutes
    elapsed = view.elapsed_minutes or 0.0
    common = {"number": view.run.number, "title": run_title(view.run), "no": view.step.no,
              "elapsed": minutes(elapsed, lang)}
    if not standard:
        text = t(lang, "answer_late_untimed", **common)
    elif view.overdue:
        late = view.late_minutes if view.late_minutes is not None else elapsed - standard
        verdict = t(lang, "answer_late_overdue", late=minutes(max(1.0, late), lang))
        text = t(lang, "answer_late", standard=minutes(standard, lang), verdict=verdict, **common)
    else:
        verdict = t(lang, "answer_late_left", left=minutes(max(0.0, standard - elapsed), lang),
                    due=when(view.due_at, tz, lang))
        text = t(lang, "answer_late", standard=minutes(standard, lang), verdict=verdict, **common)
    if view.resumes_at is not None:
        text += "\n" + t(lang, "status_paused", resumes=resume_time(view.resumes_at, view.taken_at, tz, lang))
    return text

"""What monev reads: the runs of a period, their nags, the questionnaires, the supervisor's
actions and sign-offs, and who may see which group's forms.

Read-only units of work only; the few writes live in :mod:`bot.monev.store`. Results are
plain values or the reports' frozen facts, so the computations stay pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from bot.monev.model import Answer
from bot.monev.period import Period, period_from_key
from bot.reports.model import RunFacts
from bot.reports.queries import facts_of_runs
from storage.db import Database
from storage.models import (
    AssignmentStatus,
    Chat,
    MonevAction,
    MonevEvaluation,
    MonevSignoff,
    NagLog,
    RoleAssignment,
    Run,
    SopVersion,
)

#: Roles someone *held* (not merely asked for) count as having supervised.
HELD = (AssignmentStatus.ACTIVE, AssignmentStatus.RELEASED, AssignmentStatus.REVOKED)


@dataclass(frozen=True)
class ChatInfo:
    id: int
    title: str
    timezone: str
    language: str


@dataclass(frozen=True)
class Signoff:
    chat_id: int
    period: str
    signed_by: int
    snapshot: dict  # type: ignore[type-arg]


def chats(db: Database, chat_ids: Iterable[int], default_timezone: str) -> dict[int, ChatInfo]:
    with db.transaction(readonly=True) as s:
        rows = s.exec(select(Chat).where(col(Chat.id).in_(list(chat_ids))))
        return {c.id: ChatInfo(c.id, c.title or str(c.id), c.timezone or default_timezone, c.language) for c in rows}


def group_chat_ids(db: Database) -> list[int]:
    """Every group the bot has seen (the CLI's form covers them all)."""
    with db.transaction(readonly=True) as s:
        return list(s.exec(select(Chat.id).where(Chat.type != "private").order_by(col(Chat.id))))


def period_runs(db: Database, chat: ChatInfo, period: Period) -> tuple[list[RunFacts], dict[int, int]]:
    """The runs that started in `period` (in the group's zone), and per run the overdue
    nags sent within the period (a run left open keeps being nagged after it)."""
    with db.transaction(readonly=True) as s:
        runs = list(s.exec(
            select(Run)
            .where(Run.chat_id == chat.id, col(Run.started_at) >= period.start_utc(chat.timezone),
                   col(Run.started_at) < period.end_utc(chat.timezone))
            .order_by(col(Run.number))
        ))
        facts = facts_of_runs(s, runs, chat.timezone)
        ids = [r.id for r in runs]
        counted = s.exec(
            select(NagLog.run_id, func.count())
            .where(col(NagLog.run_id).in_(ids), col(NagLog.round) >= 1,
                   col(NagLog.claimed_at) < period.end_utc(chat.timezone))
            .group_by(col(NagLog.run_id))
        ) if ids else []
        nags = {int(run_id): int(count) for run_id, count in counted}
        return facts, nags


def answers(db: Database, run_ids: list[int]) -> tuple[list[Answer], dict[tuple[int, str], int]]:
    """The questionnaires of these runs, and how many were delivered per (group, SOP)."""
    if not run_ids:
        return [], {}
    with db.transaction(readonly=True) as s:
        rows = list(s.exec(select(MonevEvaluation).where(col(MonevEvaluation.run_id).in_(run_ids))))
    invited: dict[tuple[int, str], int] = {}
    for row in rows:
        if row.sent_at is not None:
            invited[(row.chat_id, row.sop_id)] = invited.get((row.chat_id, row.sop_id), 0) + 1
    found = [Answer(r.chat_id, r.sop_id, {k: bool(v) for k, v in (r.answers or {}).items()}, r.note)
             for r in rows if r.answers or r.note]
    return found, invited


def overrides(db: Database, chat_id: int, period: str) -> dict[tuple[int, str], str]:
    with db.transaction(readonly=True) as s:
        rows = s.exec(select(MonevAction).where(MonevAction.chat_id == chat_id, MonevAction.period == period))
        return {(r.chat_id, r.sop_id): r.text for r in rows}


def signoff(db: Database, chat_id: int, period: str) -> Signoff | None:
    with db.transaction(readonly=True) as s:
        row = s.exec(select(MonevSignoff).where(MonevSignoff.chat_id == chat_id,
                                                MonevSignoff.period == period)).first()
        return Signoff(row.chat_id, row.period, row.signed_by, dict(row.snapshot)) if row else None


def locked_for_run(s: Session, run: Run, timezone: str) -> bool:
    """Whether a signed-off period of the run's group covers the run (its answers are frozen)."""
    keys = s.exec(select(MonevSignoff.period).where(MonevSignoff.chat_id == run.chat_id))
    return any(period_from_key(k).contains(run.started_at, timezone) for k in keys)


def standing(db: Database, user_id: int, chat_ids: Iterable[int] | None = None) -> dict[int, set[str]]:
    """Group -> what the person is there: "coordinator" of a run, "supervisor" (held the
    SOP's supervisor role in a run). `chat_ids` None: every group."""
    with db.transaction(readonly=True) as s:
        coordinated = select(Run.chat_id).where(Run.coordinator_id == user_id)
        if chat_ids is not None:
            coordinated = coordinated.where(col(Run.chat_id).in_(list(chat_ids)))
        found: dict[int, set[str]] = {}
        for chat_id in s.exec(coordinated.distinct()):
            found.setdefault(chat_id, set()).add("coordinator")
        held = (
            select(Run.chat_id, RoleAssignment.role_key, SopVersion.content)
            .join(RoleAssignment, col(RoleAssignment.run_id) == col(Run.id))
            .join(SopVersion, col(SopVersion.id) == col(Run.sop_version_id))
            .where(RoleAssignment.user_id == user_id, col(RoleAssignment.status).in_([str(h) for h in HELD]))
        )
        if chat_ids is not None:
            held = held.where(col(Run.chat_id).in_(list(chat_ids)))
        for chat_id, role_key, content in s.exec(held):
            if role_key == (content or {}).get("supervisor"):
                found.setdefault(chat_id, set()).add("supervisor")
        return found

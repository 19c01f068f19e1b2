"""Monev's reads and writes: runs of a period, nags, questionnaires, Tindakan, sign-offs.

:mod:`bot.monev` keeps the forms' logic (what a period covers, who may answer, when a
period is locked); this module only reads and writes rows, inside a transaction its
caller opened, and hands back plain frozen values. The one write whose outcome the
database decides (a sign-off racing another) is reported as :class:`SignoffExists`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from bot.domain.run_facts import RunFacts
from storage.models import (
    AssignmentStatus,
    AuditEvent,
    Chat,
    MonevAction,
    MonevEvaluation,
    MonevSignoff,
    NagLog,
    RoleAssignment,
    Run,
    RunStatus,
    SopVersion,
    Task,
    TaskStatus,
    User,
)
from storage.repositories.reports import ReportRepository

#: Roles someone *held* (not merely asked for) count as having supervised.
HELD = (AssignmentStatus.ACTIVE, AssignmentStatus.RELEASED, AssignmentStatus.REVOKED)


class SignoffExists(Exception):
    """The group's period was signed off already (seen, or decided by the unique constraint)."""


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
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class Invite:
    id: int
    user_id: int
    run_id: int


@dataclass(frozen=True)
class Evaluation:
    """One questionnaire row, with what its owner's view and the locks need."""

    id: int
    user_id: int
    run_id: int
    chat_id: int
    sop_id: str
    answers: dict[str, bool]
    note: str | None
    sent_at: datetime | None


@dataclass(frozen=True)
class EvaluationContext:
    """The run and group a questionnaire is about, and the group's signed-off periods."""

    run_number: int
    run_title: str
    run_started_at: datetime
    sop_nama: str
    chat_title: str
    timezone: str
    signed_periods: tuple[str, ...]


def _evaluation(row: MonevEvaluation) -> Evaluation:
    return Evaluation(row.id or 0, row.user_id, row.run_id, row.chat_id, row.sop_id,
                      {k: bool(v) for k, v in (row.answers or {}).items()}, row.note, row.sent_at)


class MonevRepository:
    """Monev's rows over one open session."""

    def __init__(self, session: Session) -> None:
        self.s = session

    # -- reads ---------------------------------------------------------------------------

    def chats(self, chat_ids: Iterable[int], default_timezone: str) -> dict[int, ChatInfo]:
        rows = self.s.exec(select(Chat).where(col(Chat.id).in_(list(chat_ids))))
        return {c.id: ChatInfo(c.id, c.title or str(c.id), c.timezone or default_timezone, c.language) for c in rows}

    def group_chat_ids(self) -> list[int]:
        """Every group the bot has seen."""
        return list(self.s.exec(select(Chat.id).where(Chat.type != "private").order_by(col(Chat.id))))

    def run_chat_ids(self) -> list[int]:
        """Groups with at least one run, the most recently started first."""
        latest = func.max(Run.started_at)
        rows = self.s.exec(select(Run.chat_id, latest).group_by(col(Run.chat_id)).order_by(latest.desc()))
        return [chat_id for chat_id, _latest in rows]

    def period_runs(self, chat: ChatInfo, start: datetime, end: datetime) -> tuple[list[RunFacts], dict[int, int]]:
        """The runs that started in [start, end), and per run the overdue nags sent before
        `end` (a run left open keeps being nagged after its period)."""
        runs = list(self.s.exec(
            select(Run)
            .where(Run.chat_id == chat.id, col(Run.started_at) >= start, col(Run.started_at) < end)
            .order_by(col(Run.number))
        ))
        facts = ReportRepository(self.s, chat.timezone).facts_of_runs(runs)
        ids = [r.id for r in runs]
        counted = self.s.exec(
            select(NagLog.run_id, func.count())
            .where(col(NagLog.run_id).in_(ids), col(NagLog.round) >= 1, col(NagLog.claimed_at) < end)
            .group_by(col(NagLog.run_id))
        ) if ids else []
        return facts, {int(run_id): int(count) for run_id, count in counted}

    def evaluations_of_runs(self, run_ids: list[int]) -> list[Evaluation]:
        if not run_ids:
            return []
        return [_evaluation(r) for r in self.s.exec(
            select(MonevEvaluation).where(col(MonevEvaluation.run_id).in_(run_ids)))]

    def actions(self, chat_id: int, period: str) -> dict[tuple[int, str], str]:
        rows = self.s.exec(select(MonevAction).where(MonevAction.chat_id == chat_id, MonevAction.period == period))
        return {(r.chat_id, r.sop_id): r.text for r in rows}

    def signoff(self, chat_id: int, period: str) -> Signoff | None:
        row = self.s.exec(select(MonevSignoff).where(MonevSignoff.chat_id == chat_id,
                                                     MonevSignoff.period == period)).first()
        return Signoff(row.chat_id, row.period, row.signed_by, dict(row.snapshot)) if row else None

    def signed_periods(self, chat_id: int) -> tuple[str, ...]:
        return tuple(self.s.exec(select(MonevSignoff.period).where(MonevSignoff.chat_id == chat_id)))

    def coordinated_chats(self, user_id: int, chat_ids: list[int] | None) -> set[int]:
        """Groups where the person coordinated a run."""
        q = select(Run.chat_id).where(Run.coordinator_id == user_id)
        if chat_ids is not None:
            q = q.where(col(Run.chat_id).in_(chat_ids))
        return set(self.s.exec(q.distinct()))

    def held_roles(self, user_id: int, chat_ids: list[int] | None) -> list[tuple[int, str, str | None]]:
        """(group, role key, the run's SOP supervisor role) of every role the person held."""
        q = (
            select(Run.chat_id, RoleAssignment.role_key, SopVersion.content)
            .join(RoleAssignment, col(RoleAssignment.run_id) == col(Run.id))
            .join(SopVersion, col(SopVersion.id) == col(Run.sop_version_id))
            .where(RoleAssignment.user_id == user_id, col(RoleAssignment.status).in_([str(h) for h in HELD]))
        )
        if chat_ids is not None:
            q = q.where(col(Run.chat_id).in_(chat_ids))
        return [(chat_id, role_key, (content or {}).get("supervisor")) for chat_id, role_key, content in self.s.exec(q)]

    def evaluation(self, evaluation_id: int) -> Evaluation | None:
        row = self.s.get(MonevEvaluation, evaluation_id)
        return _evaluation(row) if row is not None else None

    def evaluation_context(self, evaluation: Evaluation) -> EvaluationContext:
        run, chat = self.s.get(Run, evaluation.run_id), self.s.get(Chat, evaluation.chat_id)
        version = self.s.get(SopVersion, run.sop_version_id) if run else None
        assert run is not None and chat is not None and version is not None
        return EvaluationContext(run.number, run.title, run.started_at, version.nama, chat.title or "",
                                 chat.timezone, self.signed_periods(chat.id))

    # -- writes --------------------------------------------------------------------------

    def invite_finished(self, since: datetime, now: datetime) -> int:
        """Questionnaires for runs finished since `since`: one per person who confirmed an
        internal step themselves and may be written to; returns how many were new."""
        rows = self.s.exec(
            select(Run.id, Run.chat_id, SopVersion.sop_id, Task.completed_by)
            .join(Task, col(Task.run_id) == col(Run.id))
            .join(SopVersion, col(SopVersion.id) == col(Run.sop_version_id))
            .join(User, col(User.id) == col(Task.completed_by))
            .where(Run.status == RunStatus.FINISHED, col(Run.finished_at) >= since, Task.status == TaskStatus.DONE,
                   col(Task.on_behalf).is_(False), col(User.started_private).is_(True),
                   col(User.unreachable_since).is_(None))
            .distinct()
        )
        values = [{"run_id": r, "chat_id": c, "sop_id": sop, "user_id": u, "answers": {}, "created_at": now,
                   "attempts": 0} for r, c, sop, u in rows]
        if not values:
            return 0
        dialect = postgresql if self.s.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(MonevEvaluation).values(values).on_conflict_do_nothing(
            index_elements=["run_id", "user_id"]).returning(MonevEvaluation.id)
        return len(list(self.s.execute(statement)))  # (rowcount is -1 for this on psycopg)

    def claim_invites(self, now: datetime, lease: timedelta, limit: int) -> list[Invite]:
        """Unsent questionnaires nobody is sending, claimed for `lease`."""
        due = [col(MonevEvaluation.sent_at).is_(None), col(MonevEvaluation.abandoned_at).is_(None),
               or_(col(MonevEvaluation.claimed_until).is_(None), col(MonevEvaluation.claimed_until) < now)]
        ids = list(self.s.exec(select(MonevEvaluation.id).where(*due).order_by(col(MonevEvaluation.id)).limit(limit)))
        if not ids:
            return []
        self.s.execute(update(MonevEvaluation).where(col(MonevEvaluation.id).in_(ids), *due)
                       .values(claimed_until=now + lease).execution_options(synchronize_session=False))
        rows = self.s.exec(select(MonevEvaluation).where(col(MonevEvaluation.id).in_(ids),
                                                         MonevEvaluation.claimed_until == now + lease))
        return [Invite(r.id or 0, r.user_id, r.run_id) for r in rows]

    def settle_invite(self, invite_id: int, now: datetime, sent: bool, give_up_after: int, give_up: bool) -> None:
        """Delivered, or failed (given up after `give_up_after` attempts, or at once)."""
        row = self.s.get(MonevEvaluation, invite_id)
        if row is None or row.sent_at is not None:
            return
        row.claimed_until = None
        row.attempts += 1
        if sent:
            row.sent_at = now
        elif give_up or row.attempts >= give_up_after:
            row.abandoned_at = now
        self.s.add(row)

    def save_answers(self, evaluation_id: int, answers: dict[str, bool], note: str | None, now: datetime) -> None:
        row = self.s.get(MonevEvaluation, evaluation_id)
        assert row is not None
        row.answers, row.note, row.updated_at = dict(answers), note, now
        self.s.add(row)

    def set_action(self, chat_id: int, period: str, sop_id: str, text: str, user_id: int, now: datetime) -> None:
        """Replace the Tindakan for one SOP of the period; an empty text removes it."""
        row = self.s.exec(select(MonevAction).where(MonevAction.chat_id == chat_id, MonevAction.period == period,
                                                    MonevAction.sop_id == sop_id)).first()
        if not text:
            if row is not None:
                self.s.delete(row)
        else:
            row = row or MonevAction(chat_id=chat_id, period=period, sop_id=sop_id, text=text, set_by=user_id,
                                     set_at=now)
            row.text, row.set_by, row.set_at = text, user_id, now
            self.s.add(row)

    def add_signoff(self, chat_id: int, period: str, user_id: int, snapshot: dict[str, Any], now: datetime) -> None:
        """The frozen figures, once per group and period (:class:`SignoffExists` otherwise)."""
        if self.signoff(chat_id, period) is not None:
            raise SignoffExists(period)
        self.s.add(MonevSignoff(chat_id=chat_id, period=period, signed_by=user_id, signed_at=now, snapshot=snapshot))
        try:
            self.s.flush()
        except IntegrityError:  # a second press in a race: the unique constraint decided
            raise SignoffExists(period) from None

    def audit(self, chat_id: int, user_id: int, kind: str, note: str | None, data: dict[str, Any],
              now: datetime) -> None:
        self.s.add(AuditEvent(chat_id=chat_id, actor_id=user_id, kind=kind, note=note, data=data, created_at=now))

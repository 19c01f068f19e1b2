"""Monev's few writes: questionnaires (invite, deliver, answer), the supervisor's Tindakan
and the sign-off. Each function is one transaction; refusals raise :class:`MonevRefused`
before anything is written, so a refused request changes nothing.

Questionnaires are made for finished runs by :func:`invite_finished`: one per person who
confirmed a step of an internal role themselves (not on someone's behalf) and who pressed
Start (the bot may write to them); nobody else is ever asked or reminded. A sender claims
a row for a lease before sending (two senders never send the same row), then marks it
sent, or failed (retried a few times, then given up for good).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.monev.queries import locked_for_run
from bot.monev.rules import CRITERION_KEYS
from storage.db import Database
from storage.models import (
    AuditEvent,
    Chat,
    MonevAction,
    MonevEvaluation,
    MonevSignoff,
    Run,
    RunStatus,
    SopVersion,
    Task,
    TaskStatus,
    User,
)

MAX_ATTEMPTS = 5
NOTE_CHARS = 1000
ACTION_CHARS = 500


class MonevRefused(Exception):
    """`code`: "stale" (not yours, or gone), "locked" (signed off), "signed" (already),
    "too_long"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Invite:
    id: int
    user_id: int
    run_id: int


@dataclass(frozen=True)
class Questionnaire:
    """What a questionnaire message shows."""

    id: int
    user_id: int
    run_number: int
    run_title: str
    sop_nama: str
    chat_title: str
    answers: dict[str, bool]
    note: str | None
    locked: bool


def invite_finished(db: Database, since: datetime, now: datetime) -> int:
    """Questionnaires for runs finished since `since` that do not have them yet; returns how many."""
    with db.transaction() as s:
        rows = s.exec(
            select(Run.id, Run.chat_id, SopVersion.sop_id, Task.completed_by)
            .join(Task, col(Task.run_id) == col(Run.id))
            .join(SopVersion, col(SopVersion.id) == col(Run.sop_version_id))
            .join(User, col(User.id) == col(Task.completed_by))
            .where(Run.status == RunStatus.FINISHED, col(Run.finished_at) >= since, Task.status == TaskStatus.DONE,
                   col(Task.on_behalf).is_(False), col(User.started_private).is_(True),
                   col(User.unreachable_since).is_(None))
            .distinct()
        )
        values = [dict(run_id=r, chat_id=c, sop_id=sop, user_id=u, answers={}, created_at=now, attempts=0)
                  for r, c, sop, u in rows]
        if not values:
            return 0
        dialect = postgresql if db.dialect == "postgresql" else sqlite
        statement = dialect.insert(MonevEvaluation).values(values).on_conflict_do_nothing(
            index_elements=["run_id", "user_id"]).returning(MonevEvaluation.id)
        return len(list(s.execute(statement)))  # (rowcount is -1 for this on psycopg)


def claim_invites(db: Database, now: datetime, lease: timedelta, limit: int = 20) -> list[Invite]:
    """Unsent questionnaires nobody is sending, claimed for `lease`."""
    due = [col(MonevEvaluation.sent_at).is_(None), col(MonevEvaluation.abandoned_at).is_(None),
           or_(col(MonevEvaluation.claimed_until).is_(None), col(MonevEvaluation.claimed_until) < now)]
    with db.transaction() as s:
        ids = list(s.exec(select(MonevEvaluation.id).where(*due).order_by(col(MonevEvaluation.id)).limit(limit)))
        if not ids:
            return []
        s.execute(update(MonevEvaluation).where(col(MonevEvaluation.id).in_(ids), *due)
                  .values(claimed_until=now + lease).execution_options(synchronize_session=False))
        rows = s.exec(select(MonevEvaluation).where(col(MonevEvaluation.id).in_(ids),
                                                    MonevEvaluation.claimed_until == now + lease))
        return [Invite(r.id or 0, r.user_id, r.run_id) for r in rows]


def settle_invite(db: Database, invite_id: int, now: datetime, sent: bool, give_up: bool = False) -> None:
    """Delivered, or failed (given up after MAX_ATTEMPTS, or at once when `give_up`)."""
    with db.transaction() as s:
        row = s.get(MonevEvaluation, invite_id)
        if row is None or row.sent_at is not None:
            return
        row.claimed_until = None
        row.attempts += 1
        if sent:
            row.sent_at = now
        elif give_up or row.attempts >= MAX_ATTEMPTS:
            row.abandoned_at = now
        s.add(row)


def questionnaire(db: Database, evaluation_id: int, user_id: int, unsent: bool = False) -> Questionnaire:
    """A delivered questionnaire as its owner sees it (`unsent`: one about to be sent);
    anyone else's, or a forged id, is "stale"."""
    with db.transaction(readonly=True) as s:
        row = s.get(MonevEvaluation, evaluation_id)
        if row is None or row.user_id != user_id or (row.sent_at is None and not unsent):
            raise MonevRefused("stale")
        run = s.get(Run, row.run_id)
        chat = s.get(Chat, row.chat_id)
        version = s.get(SopVersion, run.sop_version_id) if run else None
        assert run is not None and chat is not None and version is not None
        return Questionnaire(row.id or 0, row.user_id, run.number, run.title, version.nama, chat.title or "",
                             dict(row.answers or {}), row.note, locked_for_run(s, run, chat.timezone))


def answer(db: Database, evaluation_id: int, user_id: int, criterion: int, value: bool, now: datetime) -> bool:
    """Record Ya/Tidak for one criterion; False when it was already so (a double press)."""
    if not 0 <= criterion < len(CRITERION_KEYS):
        raise MonevRefused("stale")
    key = CRITERION_KEYS[criterion]
    with db.transaction() as s:
        row = _own_open(s, evaluation_id, user_id)
        if (row.answers or {}).get(key) is value:
            return False
        row.answers = {**(row.answers or {}), key: value}
        row.updated_at = now
        s.add(row)
        return True


def write_note(db: Database, evaluation_id: int, user_id: int, note: str, now: datetime) -> None:
    text = note.strip()
    if len(text) > NOTE_CHARS:
        raise MonevRefused("too_long")
    with db.transaction() as s:
        row = _own_open(s, evaluation_id, user_id)
        row.note, row.updated_at = text or None, now
        s.add(row)


def _own_open(s: Session, evaluation_id: int, user_id: int) -> MonevEvaluation:
    """The person's own delivered questionnaire, while its period is not signed off."""
    row = s.get(MonevEvaluation, evaluation_id)
    if row is None or row.user_id != user_id or row.sent_at is None:
        raise MonevRefused("stale")
    run, chat = s.get(Run, row.run_id), s.get(Chat, row.chat_id)
    assert run is not None and chat is not None
    if locked_for_run(s, run, chat.timezone):
        raise MonevRefused("locked")
    return row


def set_action(db: Database, chat_id: int, period: str, sop_id: str, text: str, user_id: int,
               now: datetime) -> None:
    """The supervisor's Tindakan for one SOP of the period (replacing an earlier one); an
    empty text removes it, so the proposal from the facts stands again."""
    text = " ".join(text.split())
    if len(text) > ACTION_CHARS:
        raise MonevRefused("too_long")
    with db.transaction() as s:
        if s.exec(select(MonevSignoff.id).where(MonevSignoff.chat_id == chat_id,
                                                MonevSignoff.period == period)).first() is not None:
            raise MonevRefused("locked")
        row = s.exec(select(MonevAction).where(MonevAction.chat_id == chat_id, MonevAction.period == period,
                                               MonevAction.sop_id == sop_id)).first()
        if not text:
            if row is not None:
                s.delete(row)
        else:
            row = row or MonevAction(chat_id=chat_id, period=period, sop_id=sop_id, text=text, set_by=user_id,
                                     set_at=now)
            row.text, row.set_by, row.set_at = text, user_id, now
            s.add(row)
        s.add(AuditEvent(chat_id=chat_id, actor_id=user_id, kind="monev_action_set", note=text or None,
                         data={"period": period, "sop_id": sop_id}, created_at=now))


def sign_off(db: Database, chat_id: int, period: str, user_id: int, snapshot: dict, now: datetime) -> None:  # type: ignore[type-arg]
    """The paraf: the frozen figures and an audit event, once per group and period."""
    try:
        with db.transaction() as s:
            if s.exec(select(MonevSignoff.id).where(MonevSignoff.chat_id == chat_id,
                                                    MonevSignoff.period == period)).first() is not None:
                raise MonevRefused("signed")
            s.add(MonevSignoff(chat_id=chat_id, period=period, signed_by=user_id, signed_at=now, snapshot=snapshot))
            s.add(AuditEvent(chat_id=chat_id, actor_id=user_id, kind="monev_signed_off",
                             data={"period": period, "sops": [r["sop_id"] for r in snapshot.get("monitoring", [])]},
                             created_at=now))
    except IntegrityError:  # a second press in a race: the unique constraint decided
        raise MonevRefused("signed") from None

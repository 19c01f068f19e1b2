"""Monev's few writes: questionnaires (invite, deliver, answer), the supervisor's Tindakan
and the sign-off. Each function is one transaction over
:class:`~storage.repositories.monev.MonevRepository` (the SQL lives there); refusals raise :class:`MonevRefused`
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

from bot.monev.period import period_from_key
from bot.monev.rules import CRITERION_KEYS
from storage.db import Database
from storage.errors import ConstraintViolation
from storage.repositories.monev import (
    Evaluation,
    EvaluationContext,
    Invite,
    MonevRepository,
    SignoffExists,
)

__all__ = ["ACTION_CHARS", "MAX_ATTEMPTS", "NOTE_CHARS", "Invite", "MonevRefused", "Questionnaire", "answer",
           "claim_invites", "invite_finished", "questionnaire", "set_action", "settle_invite", "sign_off",
           "write_note"]

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
        return MonevRepository(s).invite_finished(since, now)


def claim_invites(db: Database, now: datetime, lease: timedelta, limit: int = 20) -> list[Invite]:
    """Unsent questionnaires nobody is sending, claimed for `lease`."""
    with db.transaction() as s:
        return MonevRepository(s).claim_invites(now, lease, limit)


def settle_invite(db: Database, invite_id: int, now: datetime, sent: bool, give_up: bool = False) -> None:
    """Delivered, or failed (given up after MAX_ATTEMPTS, or at once when `give_up`)."""
    with db.transaction() as s:
        MonevRepository(s).settle_invite(invite_id, now, sent, MAX_ATTEMPTS, give_up)


def _locked(ctx: EvaluationContext) -> bool:
    """Whether a signed-off period of the run's group covers the run (its answers are frozen)."""
    return any(period_from_key(k).contains(ctx.run_started_at, ctx.timezone) for k in ctx.signed_periods)


def questionnaire(db: Database, evaluation_id: int, user_id: int, unsent: bool = False) -> Questionnaire:
    """A delivered questionnaire as its owner sees it (`unsent`: one about to be sent);
    anyone else's, or a forged id, is "stale"."""
    with db.transaction(readonly=True) as s:
        repo = MonevRepository(s)
        row = repo.evaluation(evaluation_id)
        if row is None or row.user_id != user_id or (row.sent_at is None and not unsent):
            raise MonevRefused("stale")
        ctx = repo.evaluation_context(row)
    return Questionnaire(row.id, row.user_id, ctx.run_number, ctx.run_title, ctx.sop_nama, ctx.chat_title,
                         dict(row.answers), row.note, _locked(ctx))


def answer(db: Database, evaluation_id: int, user_id: int, criterion: int, value: bool, now: datetime) -> bool:
    """Record Ya/Tidak for one criterion; False when it was already so (a double press)."""
    if not 0 <= criterion < len(CRITERION_KEYS):
        raise MonevRefused("stale")
    key = CRITERION_KEYS[criterion]
    with db.transaction() as s:
        repo = MonevRepository(s)
        row = _own_open(repo, evaluation_id, user_id)
        if row.answers.get(key) is value:
            return False
        repo.save_answers(row.id, {**row.answers, key: value}, row.note, now)
        return True


def write_note(db: Database, evaluation_id: int, user_id: int, note: str, now: datetime) -> None:
    text = note.strip()
    if len(text) > NOTE_CHARS:
        raise MonevRefused("too_long")
    with db.transaction() as s:
        repo = MonevRepository(s)
        row = _own_open(repo, evaluation_id, user_id)
        repo.save_answers(row.id, row.answers, text or None, now)


def _own_open(repo: MonevRepository, evaluation_id: int, user_id: int) -> Evaluation:
    """The person's own delivered questionnaire, while its period is not signed off."""
    row = repo.evaluation(evaluation_id)
    if row is None or row.user_id != user_id or row.sent_at is None:
        raise MonevRefused("stale")
    if _locked(repo.evaluation_context(row)):
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
        repo = MonevRepository(s)
        if repo.signoff(chat_id, period) is not None:
            raise MonevRefused("locked")
        repo.set_action(chat_id, period, sop_id, text, user_id, now)
        repo.audit(chat_id, user_id, "monev_action_set", text or None, {"period": period, "sop_id": sop_id}, now)


def sign_off(db: Database, chat_id: int, period: str, user_id: int, snapshot: dict, now: datetime) -> None:  # type: ignore[type-arg]
    """The paraf: the frozen figures and an audit event, once per group and period."""
    try:
        with db.transaction() as s:
            repo = MonevRepository(s)
            repo.add_signoff(chat_id, period, user_id, snapshot, now)
            repo.audit(chat_id, user_id, "monev_signed_off", None,
                       {"period": period, "sops": [r["sop_id"] for r in snapshot.get("monitoring", [])]}, now)
    except (SignoffExists, ConstraintViolation):  # seen, or a race the unique constraint decided
        raise MonevRefused("signed") from None

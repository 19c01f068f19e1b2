"""The outbox as the sender sees it: due rows, claims on them, and what became of them.

Several sender processes may share one database, so a row is *claimed* before it is
sent: a conditional UPDATE sets ``claimed_by``/``claimed_until`` only where no live claim
exists (on PostgreSQL the candidates are also picked ``FOR UPDATE SKIP LOCKED``, so
senders do not queue on each other's rows). A claim ends when the outcome is recorded
(:meth:`OutboxRepository.settle`), or when its lease runs out because its sender died.
A delivered row is never handed out again; a failed one comes back at its
``next_attempt_at``, or never once it is abandoned.

The rows handed back are ORM rows of the caller's session; the engine turns them into
its frozen views.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, col, select

from storage.models import OutboxMessage


def due(now: datetime) -> list[Any]:
    """Unsent, not given up, due now, and claimed by nobody (or by a dead sender)."""
    return [
        col(OutboxMessage.sent_at).is_(None),
        col(OutboxMessage.abandoned_at).is_(None),
        or_(col(OutboxMessage.next_attempt_at).is_(None), col(OutboxMessage.next_attempt_at) <= now),
        or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now),
    ]


def target_of() -> Any:
    """The chat a row goes to: the person's private chat, or the group."""
    return func.coalesce(col(OutboxMessage.user_id), col(OutboxMessage.chat_id))


class OutboxRepository:
    """The sender's bookkeeping over one open session (each method one or three statements)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def pending(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Rows to send now, oldest first (the order the changes happened in); claims nothing."""
        query = select(OutboxMessage).where(*due(now)).order_by(col(OutboxMessage.id)).limit(limit)
        return list(self.session.exec(query))

    def due_targets(self, now: datetime, exclude: Sequence[int] | None, limit: int) -> list[int]:
        """Chats with rows due now (private chats first, then by their oldest row), except `exclude`."""
        target = target_of()
        where = [*due(now)]
        if exclude:
            where.append(target.notin_(list(exclude)))
        oldest = func.min(col(OutboxMessage.id))
        rows = self.session.exec(select(target, oldest).where(*where).group_by(target))  # type: ignore[call-overload]
        found = sorted(((t < 0, first, t) for t, first in rows if t is not None))
        return [t for _, _, t in found[:limit]]

    def claim(
        self, now: datetime, sender: str, limit: int, lease: timedelta, target: int | None = None
    ) -> list[OutboxMessage]:
        """Claim up to `limit` due rows for `sender` (of one chat, with `target`), oldest first.

        Three statements: pick the candidates (``SKIP LOCKED`` on PostgreSQL), claim them
        with the due conditions re-checked (a lost race claims nothing), read back those
        that are this sender's. No candidates: one statement, nothing claimed.
        """
        query = select(OutboxMessage.id).where(*due(now))
        if target is not None:
            query = query.where(target_of() == target)
        query = query.order_by(col(OutboxMessage.id)).limit(limit)
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = list(self.session.exec(query))
        if not ids:
            return []
        self.session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids), *due(now))  # re-checked: a lost race claims nothing
            .values(claimed_by=sender, claimed_until=now + lease)
            .execution_options(synchronize_session=False)
        )
        mine = select(OutboxMessage).where(col(OutboxMessage.id).in_(ids), col(OutboxMessage.claimed_by) == sender)
        return list(self.session.exec(mine.order_by(col(OutboxMessage.id))))

    def release(self, sender: str, notification_ids: Sequence[int] | None = None) -> int:
        """Give back `sender`'s claims on unsent rows (all, or these); how many were released."""
        where = [col(OutboxMessage.claimed_by) == sender, col(OutboxMessage.sent_at).is_(None)]
        if notification_ids is not None:
            where.append(col(OutboxMessage.id).in_(list(notification_ids)))
        result = self.session.execute(update(OutboxMessage).where(*where).values(claimed_by=None, claimed_until=None))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def claiming_senders(self, now: datetime) -> list[str]:
        """Senders holding live claims on unsent rows at `now`, sorted."""
        live = and_(col(OutboxMessage.claimed_until) >= now, col(OutboxMessage.sent_at).is_(None))
        rows = self.session.exec(select(OutboxMessage.claimed_by).where(live).distinct())
        return sorted(r for r in rows if r)

    def settle(self, notification_ids: Sequence[int], **values: object) -> int:
        """Count an attempt on these rows if still unsent, set `values`, release their leases.

        Returns how many were still unsent (an already sent row is left as it is).
        """
        result = self.session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(list(notification_ids)), col(OutboxMessage.sent_at).is_(None))
            .values(attempts=col(OutboxMessage.attempts) + 1, claimed_by=None, claimed_until=None, **values)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def mark_sent(self, notification_ids: Sequence[int], now: datetime) -> int:
        """Delivered at `now`; how many were not marked already."""
        return self.settle(notification_ids, sent_at=now, last_error=None)

    def mark_failed(self, notification_id: int, now: datetime, error: str, retry_at: datetime | None) -> bool:
        """Not delivered: due again at `retry_at`, or abandoned at `now` when it is None."""
        return 1 == self.settle(
            [notification_id], last_error=error[:2000], next_attempt_at=retry_at,
            abandoned_at=None if retry_at is not None else now,
        )

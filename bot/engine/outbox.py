"""The sender's side of the outbox: what is due, who is sending it, and what became of it.

The engine only decides *that* someone must be told and *what about* (ids in the
payload); a separate sender renders and delivers, and reports back here. Several sender
processes may share one database, so a row is *claimed* before it is sent: a conditional
UPDATE sets ``claimed_by``/``claimed_until`` only where no live claim exists (on
PostgreSQL the candidates are also picked ``FOR UPDATE SKIP LOCKED``, so senders do not
queue on each other's rows). A claim ends when the outcome is recorded, or when its
lease runs out because its sender died. A delivered row is never handed out again; a
failed one comes back at ``retry_at``, or never if the sender gives up.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, update
from sqlmodel import Session, col, select

from bot.engine.core import EngineCore
from bot.engine.views import NotificationView
from storage.models import OutboxMessage

#: How long a claim holds when the sender says nothing more (it crashed, or hangs).
DEFAULT_LEASE = timedelta(seconds=60)


def notification_view(row: OutboxMessage) -> NotificationView:
    return NotificationView(
        id=row.id or 0,
        kind=row.kind,
        chat_id=row.chat_id,
        user_id=row.user_id,
        run_id=row.run_id,
        payload=dict(row.payload),
        dedupe_key=row.dedupe_key,
        attempts=row.attempts,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
    )


def _due(now: datetime) -> list[object]:
    """Unsent, not given up, due now, and claimed by nobody (or by a dead sender)."""
    return [
        col(OutboxMessage.sent_at).is_(None),
        col(OutboxMessage.abandoned_at).is_(None),
        or_(col(OutboxMessage.next_attempt_at).is_(None), col(OutboxMessage.next_attempt_at) <= now),
        or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now),
    ]


def target_of() -> object:
    """The chat a row goes to: the person's private chat, or the group."""
    return func.coalesce(col(OutboxMessage.user_id), col(OutboxMessage.chat_id))


class OutboxMixin(EngineCore):
    def pending_notifications(self, limit: int = 50) -> list[NotificationView]:
        """Messages to send now, oldest first (the order the changes happened in); claims nothing."""
        now = self.now()

        def query(s: Session) -> list[NotificationView]:
            rows = s.exec(select(OutboxMessage).where(*_due(now)).order_by(col(OutboxMessage.id)).limit(limit))
            return [notification_view(r) for r in rows]

        return self.read(query)

    def due_targets(self, exclude: list[int] | None = None, limit: int = 50) -> list[int]:
        """Chats with rows due now (private chats first, then by their oldest row), except `exclude`.

        The sender keeps one queue per chat; it asks this for the chats it is not serving yet.
        """
        now = self.now()
        target = target_of()

        def query(s: Session) -> list[int]:
            where = [*_due(now)]
            if exclude:
                where.append(target.notin_(exclude))  # type: ignore[attr-defined]
            oldest = func.min(col(OutboxMessage.id))
            rows = s.exec(select(target, oldest).where(*where).group_by(target))  # type: ignore[call-overload]
            found = sorted(((t < 0, first, t) for t, first in rows if t is not None))
            return [t for _, _, t in found[:limit]]

        return self.read(query)

    def claim_notifications(
        self, sender: str, limit: int = 50, lease: timedelta = DEFAULT_LEASE, target: int | None = None
    ) -> list[NotificationView]:
        """Claim up to `limit` due rows for `sender`, oldest first; no other sender gets them.

        With `target`, only rows for that chat (the sender's per-chat queue).
        """
        now = self.now()
        with self.db.transaction() as s:
            query = select(OutboxMessage.id).where(*_due(now))
            if target is not None:
                query = query.where(target_of() == target)
            query = query.order_by(col(OutboxMessage.id)).limit(limit)
            if self.db.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            ids = list(s.exec(query))
            if not ids:
                return []
            s.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id).in_(ids), *_due(now))  # re-checked: a lost race claims nothing
                .values(claimed_by=sender, claimed_until=now + lease)
                .execution_options(synchronize_session=False)
            )
            mine = select(OutboxMessage).where(col(OutboxMessage.id).in_(ids), col(OutboxMessage.claimed_by) == sender)
            return [notification_view(r) for r in s.exec(mine.order_by(col(OutboxMessage.id)))]

    def release_claims(self, sender: str, notification_ids: list[int] | None = None) -> int:
        """Give back `sender`'s claims (all, or these rows): a paused or a dead sender's rows."""
        with self.db.transaction() as s:
            where = [col(OutboxMessage.claimed_by) == sender, col(OutboxMessage.sent_at).is_(None)]
            if notification_ids is not None:
                where.append(col(OutboxMessage.id).in_(notification_ids))
            result = s.execute(update(OutboxMessage).where(*where).values(claimed_by=None, claimed_until=None))
            return int(result.rowcount)  # type: ignore[attr-defined]

    def claiming_senders(self) -> list[str]:
        """Senders holding live claims right now (a restarted sender checks which are dead)."""
        now = self.now()

        def query(s: Session) -> list[str]:
            live = and_(col(OutboxMessage.claimed_until) >= now, col(OutboxMessage.sent_at).is_(None))
            rows = s.exec(select(OutboxMessage.claimed_by).where(live).distinct())
            return sorted(r for r in rows if r)

        return self.read(query)

    def mark_sent(self, notification_id: int) -> bool:
        """Delivered; False if it was already marked (a second sender got there first)."""
        return self.mark_sent_many([notification_id]) == 1

    def mark_sent_many(self, notification_ids: list[int]) -> int:
        """A batch delivered, in one commit; returns how many were not marked already."""
        if not notification_ids:
            return 0
        return self._settle(notification_ids, sent_at=self.now(), last_error=None)

    def mark_failed(self, notification_id: int, error: str, retry_at: datetime | None) -> bool:
        """Not delivered: try again at `retry_at`, or give up for good when it is None."""
        now = self.now()
        return 1 == self._settle(
            [notification_id], last_error=error[:2000], next_attempt_at=retry_at,
            abandoned_at=None if retry_at is not None else now,
        )

    def _settle(self, notification_ids: list[int], **values: object) -> int:
        """Count an attempt on unsent messages, set `values`, release their leases.

        Returns how many were still unsent (an already sent row is left as it is).
        """
        with self.db.transaction() as s:
            result = s.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id).in_(notification_ids), col(OutboxMessage.sent_at).is_(None))
                .values(attempts=col(OutboxMessage.attempts) + 1, claimed_by=None, claimed_until=None, **values)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

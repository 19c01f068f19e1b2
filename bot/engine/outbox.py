"""The sender's side of the outbox: what is due, and what became of each attempt.

The engine only decides *that* someone must be told and *what about* (ids in the
payload); a separate sender renders and delivers, and reports back here. A message that
was delivered is never handed out again; a failed one comes back at ``retry_at``, or
never if the sender gives up (``retry_at=None``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from bot.engine.core import EngineCore
from bot.engine.views import NotificationView
from storage.models import OutboxMessage


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


class OutboxMixin(EngineCore):
    def pending_notifications(self, limit: int = 50) -> list[NotificationView]:
        """Messages to send now, oldest first (the order the changes happened in)."""
        now = self.now()

        def query(s: Session) -> list[NotificationView]:
            rows = s.exec(
                select(OutboxMessage)
                .where(
                    col(OutboxMessage.sent_at).is_(None),
                    col(OutboxMessage.abandoned_at).is_(None),
                    or_(col(OutboxMessage.next_attempt_at).is_(None), col(OutboxMessage.next_attempt_at) <= now),
                )
                .order_by(col(OutboxMessage.id))
                .limit(limit)
            )
            return [notification_view(r) for r in rows]

        return self.read(query)

    def mark_sent(self, notification_id: int) -> bool:
        """Delivered; False if it was already marked (a second sender got there first)."""
        now = self.now()
        with self.db.transaction() as s:
            result = s.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == notification_id, col(OutboxMessage.sent_at).is_(None))
                .values(sent_at=now, attempts=col(OutboxMessage.attempts) + 1, last_error=None)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def mark_failed(self, notification_id: int, error: str, retry_at: datetime | None) -> bool:
        """Not delivered: try again at `retry_at`, or give up for good when it is None."""
        now = self.now()
        with self.db.transaction() as s:
            result = s.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == notification_id, col(OutboxMessage.sent_at).is_(None))
                .values(
                    attempts=col(OutboxMessage.attempts) + 1,
                    last_error=error[:2000],
                    next_attempt_at=retry_at,
                    abandoned_at=None if retry_at is not None else now,
                )
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

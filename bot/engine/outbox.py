"""The sender's side of the outbox: what is due, who is sending it, and what became of it.

The engine only decides *that* someone must be told and *what about* (ids in the
payload); a separate sender renders and delivers, and reports back here. Several sender
processes may share one database, so a row is *claimed* before it is sent; the claims,
their leases and the outcomes are kept by :class:`storage.repositories.outbox.OutboxRepository`
(which says how a claim stays exactly-once across senders). This mixin opens the
transactions and hands the sender frozen views.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.engine.core import EngineCore
from bot.engine.views import NotificationView
from storage.models import OutboxMessage
from storage.repositories.outbox import OutboxRepository
from storage.unit_of_work import ReadSession

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


class OutboxMixin(EngineCore):
    def pending_notifications(self, limit: int = 50) -> list[NotificationView]:
        """Messages to send now, oldest first (the order the changes happened in); claims nothing."""
        now = self.now()

        def query(s: ReadSession) -> list[NotificationView]:
            return [notification_view(r) for r in OutboxRepository(s).pending(now, limit)]

        return self.read(query)

    def due_targets(self, exclude: list[int] | None = None, limit: int = 50) -> list[int]:
        """Chats with rows due now (private chats first, then by their oldest row), except `exclude`.

        The sender keeps one queue per chat; it asks this for the chats it is not serving yet.
        """
        now = self.now()
        return self.read(lambda s: OutboxRepository(s).due_targets(now, exclude, limit))

    def claim_notifications(
        self, sender: str, limit: int = 50, lease: timedelta = DEFAULT_LEASE, target: int | None = None
    ) -> list[NotificationView]:
        """Claim up to `limit` due rows for `sender`, oldest first; no other sender gets them.

        With `target`, only rows for that chat (the sender's per-chat queue).
        """
        now = self.now()
        with self.db.transaction() as s:
            return [notification_view(r) for r in OutboxRepository(s).claim(now, sender, limit, lease, target)]

    def release_claims(self, sender: str, notification_ids: list[int] | None = None) -> int:
        """Give back `sender`'s claims (all, or these rows): a paused or a dead sender's rows."""
        with self.db.transaction() as s:
            return OutboxRepository(s).release(sender, notification_ids)

    def claiming_senders(self) -> list[str]:
        """Senders holding live claims right now (a restarted sender checks which are dead)."""
        now = self.now()
        return self.read(lambda s: OutboxRepository(s).claiming_senders(now))

    def mark_sent(self, notification_id: int) -> bool:
        """Delivered; False if it was already marked (a second sender got there first)."""
        return self.mark_sent_many([notification_id]) == 1

    def mark_sent_many(self, notification_ids: list[int]) -> int:
        """A batch delivered, in one commit; returns how many were not marked already."""
        if not notification_ids:
            return 0
        now = self.now()
        with self.db.transaction() as s:
            return OutboxRepository(s).mark_sent(notification_ids, now)

    def mark_failed(self, notification_id: int, error: str, retry_at: datetime | None) -> bool:
        """Not delivered: try again at `retry_at`, or give up for good when it is None."""
        now = self.now()
        with self.db.transaction() as s:
            return OutboxRepository(s).mark_failed(notification_id, now, error, retry_at)

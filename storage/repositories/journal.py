"""What an operation leaves besides its change: its audit events and its outbox rows,
each kind written in one INSERT (the press), or one row at a time through the session
(every other operation: :class:`bot.engine.effects.Op`).

The ORM would insert such rows one statement each; a press writes two events and up to
four outbox rows, so the batch matters on the hot path. The events' ids are read back
(the outbox rows name the event that caused them); the outbox rows' are not needed.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, insert
from sqlmodel import Session

from storage.models import AuditEvent, OutboxMessage
from storage.repositories.rows import insert_returning_ids

EVENTS: Table = AuditEvent.__table__  # type: ignore[attr-defined]
OUTBOX: Table = OutboxMessage.__table__  # type: ignore[attr-defined]


def _values(table: Table, rows: Sequence[object]) -> list[dict[str, object]]:
    columns = [c.name for c in table.columns if c.name != "id"]
    return [{c: getattr(r, c) for c in columns} for r in rows]


def insert_events(session: Session, events: Sequence[AuditEvent]) -> None:
    """Insert transient events and give each its new id (callers read it, nothing else)."""
    ids = insert_returning_ids(session, EVENTS, _values(EVENTS, events))
    for event, new_id in zip(events, ids, strict=True):
        event.id = new_id


def insert_outbox(session: Session, rows: Sequence[OutboxMessage]) -> None:
    """Insert the outbox rows still pending in `session` together, instead of the ORM's one
    statement each (they are taken out of the session first, so nothing inserts them twice)."""
    pending = [r for r in rows if r in session.new]
    if not pending:
        return
    for row in pending:
        session.expunge(row)
    session.execute(insert(OUTBOX), _values(OUTBOX, pending))


def add_event(session: Session, event: AuditEvent) -> None:
    """Add one event and flush, so it has its id (the outbox rows it causes name it)."""
    session.add(event)
    session.flush()


def add_outbox(session: Session, row: OutboxMessage) -> None:
    """Add one outbox row to the session: inserted at the next flush, or taken out and
    inserted in a batch by :func:`insert_outbox`."""
    session.add(row)

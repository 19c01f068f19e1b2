"""What an operator wants to know about the database: doctor prints it, ``/metrics``
exports it as gauges and ``/healthz`` needs the database to answer at all.

The queries are :class:`storage.repositories.operations.OperationsRepository`'s; each
probe here is one read-only transaction around them.
"""

from __future__ import annotations

from datetime import datetime

from storage.db import Database
from storage.repositories.operations import OperationsRepository, OpsState, OverdueTask

__all__ = ["OpsState", "OverdueTask", "ping", "read_state"]


def ping(db: Database) -> None:
    """Raise unless the database answers a query."""
    with db.transaction(readonly=True) as s:
        OperationsRepository(s).ping()


def read_state(db: Database, now: datetime) -> OpsState:
    with db.transaction(readonly=True) as s:
        return OperationsRepository(s).state(now)

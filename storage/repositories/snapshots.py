"""The batch reads behind one notice snapshot: the tasks, runs, chats and people a batch of
notifications names, a statement per table (per :data:`~storage.repositories.run_store.IN_CHUNK`
ids) whatever their number.

The outbox sender renders a whole batch from one read-only transaction; reading each
thing named on its own would cost a statement (and once a transaction) per thing. The
rows come back as the tables' objects in the caller's session, so later lookups of the
same rows (a chat's zone for its calendar) are answered from the session, not the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session

from storage.models import Chat, Run, Task, User
from storage.repositories.run_store import rows_by_id


@dataclass(frozen=True)
class NoticeRows:
    """The rows a batch names, by id; the runs of the tasks and the chats of the runs included."""

    tasks: dict[int, Task]
    runs: dict[int, Run]
    chats: dict[int, Chat]


class SnapshotRepository:
    """Batch reads over one open session (no statement for an empty id list)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def rows(
        self, task_ids: Iterable[int | None], run_ids: Iterable[int | None], chat_ids: Iterable[int | None]
    ) -> NoticeRows:
        """The tasks, then their runs and the runs asked for, then those runs' chats and the chats asked for."""
        tasks = rows_by_id(self.session, Task, task_ids)
        runs = rows_by_id(self.session, Run, [*run_ids, *(t.run_id for t in tasks.values())])
        chats = rows_by_id(self.session, Chat, [*chat_ids, *(r.chat_id for r in runs.values())])
        return NoticeRows(tasks=tasks, runs=runs, chats=chats)

    def users(self, user_ids: Iterable[int | None]) -> dict[int, User]:
        """People by id (those not found are left out)."""
        return rows_by_id(self.session, User, user_ids)

"""Runs as rows: the per-chat run number, a new run, the chat's runs, the open tasks a
cancel ends, and the active tasks of a set of runs (what waits on someone).

The use cases in :mod:`bot.services.runs` decide (who may, which step comes first);
this module holds their SQL, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from storage.models import Chat, Run, RunStatus, Task, TaskStatus

_OPEN = (TaskStatus.ACTIVE, TaskStatus.WAITING)


class RunsRepository:
    """Runs and their tasks over one open session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def next_number(self, chat: Chat) -> int:
        """Bump the chat's run counter with one atomic UPDATE: two runs started at once never share a number."""
        number = self.session.execute(
            update(Chat)
            .where(col(Chat.id) == chat.id)
            .values(run_counter=col(Chat.run_counter) + 1)
            .returning(col(Chat.run_counter))
            .execution_options(synchronize_session=False)
        ).scalar_one()
        self.session.expire(chat)
        return int(number)

    def by_number(self, chat_id: int, number: int) -> Run | None:
        """The chat's run with that number ("run 2 in this group")."""
        return self.session.exec(select(Run).where(Run.chat_id == chat_id, Run.number == number)).first()

    def active_in_chat(self, chat_id: int) -> list[Run]:
        """The chat's runs under way, by number."""
        query = select(Run).where(Run.chat_id == chat_id, Run.status == RunStatus.ACTIVE).order_by(col(Run.number))
        return list(self.session.exec(query))

    def latest_in_chat(self, chat_id: int, limit: int = 50) -> list[Run]:
        """The chat's runs whatever their status, newest (highest number) first, at most `limit`."""
        query = select(Run).where(Run.chat_id == chat_id).order_by(col(Run.number).desc()).limit(limit)
        return list(self.session.exec(query))

    def active_tasks(self, run_ids: Iterable[int], coordinator_id: int | None = None) -> list[tuple[Run, Task]]:
        """The active tasks of active runs among `run_ids` (and, with `coordinator_id`, of every
        active run that person coordinates), each with its run, in task order. One statement."""
        scope = col(Run.id).in_(sorted(set(run_ids)))
        if coordinator_id is not None:
            scope = or_(scope, col(Run.coordinator_id) == coordinator_id)
        rows = self.session.exec(
            select(Run, Task)
            .join(Task, col(Task.run_id) == col(Run.id))
            .where(Run.status == RunStatus.ACTIVE, Task.status == TaskStatus.ACTIVE, scope)
            .order_by(col(Task.id))
        )
        return [(run, task) for run, task in rows]

    def add(self, run: Run) -> Run:
        """Insert the run and flush, so it has its id."""
        self.session.add(run)
        self.session.flush()
        return run

    def open_task_ids(self, run_id: int) -> list[int]:
        """The run's tasks still under way (active or waiting), in the order the database gives."""
        return list(self.session.exec(select(Task.id).where(col(Task.run_id) == run_id, col(Task.status).in_(_OPEN))))

    def cancel_open_tasks(self, run_id: int) -> None:
        """Every open task of the run is cancelled and nags no more."""
        self.session.execute(
            update(Task)
            .where(col(Task.run_id) == run_id, col(Task.status).in_(_OPEN))
            .values(status=TaskStatus.CANCELLED, next_nag_at=None)
        )

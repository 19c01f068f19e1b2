"""The reports' read model: what happened in a run, read straight from the tables.

Reports need every task row of a run (all passes, with start and completion times), the
SOP content the run was pinned to, the chat's zone and language, and people's names. The
engine's views answer "what now?", not "how long did each pass take?", so reporting reads
the storage tables itself, always in read-only units of work (never a write lock on
SQLite, never a change anywhere). What comes out are frozen facts with no ORM attached, so
the computations in :mod:`bot.reports.model` (which defines them) stay pure and can run
in any thread.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, func, select

from bot.reports.model import RunFacts, TaskFact
from bot.domain.sop import SopDefinition
from storage.db import Database
from storage.models import Chat, Run, RunStatus, SopVersion, Task, TaskStatus, User


class ReportRunNotFound(LookupError):
    """No run with this id: the CLI says so plainly instead of showing a traceback."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"run {run_id} not found")
        self.run_id = run_id


def display_name(user: User) -> str:
    """The name people know each other by in the group."""
    return user.first_name or (f"@{user.username}" if user.username else str(user.id))


def facts_of_runs(s: Session, runs: list[Run], default_timezone: str) -> list[RunFacts]:
    """Facts of several runs read in an open session (monev reads its own run list)."""
    return _facts(s, runs, default_timezone)


def _facts(s: Session, runs: list[Run], default_timezone: str) -> list[RunFacts]:
    """Facts of several runs with one query per table, not per run."""
    if not runs:
        return []
    run_ids = [r.id for r in runs]
    tasks = list(
        s.exec(
            select(Task)
            .where(col(Task.run_id).in_(run_ids), Task.status != TaskStatus.CANCELLED)
            .order_by(col(Task.run_id), col(Task.pass_no), col(Task.step_no), col(Task.chain_index), col(Task.id))
        )
    )
    versions = {
        v.id: SopDefinition.model_validate(v.content)
        for v in s.exec(select(SopVersion).where(col(SopVersion.id).in_({r.sop_version_id for r in runs})))
    }
    chats = {c.id: c for c in s.exec(select(Chat).where(col(Chat.id).in_({r.chat_id for r in runs})))}
    user_ids = {t.completed_by for t in tasks if t.completed_by is not None}
    names = {u.id: display_name(u) for u in s.exec(select(User).where(col(User.id).in_(user_ids)))} if user_ids else {}
    found = []
    for run in runs:
        chat = chats.get(run.chat_id)
        own = tuple(_task_fact(t) for t in tasks if t.run_id == run.id)
        assert run.id is not None
        found.append(
            RunFacts(
                run_id=run.id,
                chat_id=run.chat_id,
                number=run.number,
                title=run.title,
                status=str(run.status),
                sop=versions[run.sop_version_id],
                started_at=run.started_at,
                finished_at=run.finished_at,
                cancelled_at=run.cancelled_at,
                timezone=chat.timezone if chat is not None else default_timezone,
                language=chat.language if chat is not None else "id",
                tasks=own,
                names={i: names.get(i, str(i)) for i in {t.completed_by for t in own} if i is not None},
            )
        )
    return found


def _task_fact(task: Task) -> TaskFact:
    return TaskFact(
        step_no=task.step_no,
        pass_no=task.pass_no,
        chain_index=task.chain_index,
        role_key=task.role_key,
        status=str(task.status),
        standard_minutes=task.standard_minutes,
        started_at=task.started_at,
        completed_at=task.completed_at,
        completed_by=task.completed_by,
        on_behalf=task.on_behalf,
        on_behalf_reason=task.on_behalf_reason,
        outcome_key=task.outcome_key,
        decision_reason=task.decision_reason,
        acting_as=task.acting_as,
    )


def run_facts(db: Database, run_id: int, default_timezone: str = "Asia/Jakarta") -> RunFacts:
    """The facts of one run by its database id."""
    with db.transaction(readonly=True) as s:
        run = s.get(Run, run_id)
        if run is None:
            raise ReportRunNotFound(run_id=run_id)
        return _facts(s, [run], default_timezone)[0]


def chat_run_facts(
    db: Database, chat_id: int, statuses: Iterable[str] = (RunStatus.ACTIVE, RunStatus.FINISHED),
    default_timezone: str = "Asia/Jakarta",
) -> list[RunFacts]:
    """Facts of every run of a chat with one of `statuses`, oldest first."""
    with db.transaction(readonly=True) as s:
        runs = list(
            s.exec(
                select(Run)
                .where(Run.chat_id == chat_id, col(Run.status).in_([str(x) for x in statuses]))
                .order_by(col(Run.number))
            )
        )
        return _facts(s, runs, default_timezone)


def latest_run_number(db: Database, chat_id: int) -> int | None:
    """The newest run of a chat, whatever its status: what "/laporan" means after a run ends."""
    with db.transaction(readonly=True) as s:
        return s.exec(select(func.max(Run.number)).where(Run.chat_id == chat_id)).first()

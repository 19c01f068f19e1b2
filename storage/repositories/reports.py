"""The reports' reads: what happened in a run, read straight from the tables.

Reports need every task row of a run (all passes, with start and completion times), the
SOP content the run was pinned to, the chat's zone and language, and people's names. The
engine's views answer "what now?", not "how long did each pass take?", so reporting has
its own reads. They hand back frozen :class:`~bot.reports.model.RunFacts` with no ORM
attached, so the computations in :mod:`bot.reports` stay pure and run in any thread.
Callers open the (read-only) transaction; the repository only reads within it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, func, select

from bot.domain.run_facts import RunFacts, TaskFact
from bot.domain.sop import SopDefinition
from storage.models import Chat, Run, RunStatus, SopVersion, Task, TaskStatus, User

#: The run statuses a chat's report rolls up by default.
REPORTED_STATUSES: tuple[str, ...] = (RunStatus.ACTIVE, RunStatus.FINISHED)


class ReportRunNotFound(LookupError):
    """No run with this id: the CLI says so plainly instead of showing a traceback."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"run {run_id} not found")
        self.run_id = run_id


def display_name(user: User) -> str:
    """The name people know each other by in the group."""
    return user.first_name or (f"@{user.username}" if user.username else str(user.id))


class ReportRepository:
    """Run facts over one open session, one query per table whatever the number of runs."""

    def __init__(self, session: Session, default_timezone: str = "Asia/Jakarta") -> None:
        self.s = session
        self.default_timezone = default_timezone

    def run_facts(self, run_id: int) -> RunFacts:
        """The facts of one run by its database id."""
        run = self.s.get(Run, run_id)
        if run is None:
            raise ReportRunNotFound(run_id=run_id)
        return self.facts_of_runs([run])[0]

    def chat_run_facts(self, chat_id: int, statuses: Iterable[str] = REPORTED_STATUSES) -> list[RunFacts]:
        """Facts of every run of a chat with one of `statuses`, oldest first."""
        runs = list(
            self.s.exec(
                select(Run)
                .where(Run.chat_id == chat_id, col(Run.status).in_([str(x) for x in statuses]))
                .order_by(col(Run.number))
            )
        )
        return self.facts_of_runs(runs)

    def latest_run_number(self, chat_id: int) -> int | None:
        """The newest run of a chat, whatever its status: what "/laporan" means after a run ends."""
        return self.s.exec(select(func.max(Run.number)).where(Run.chat_id == chat_id)).first()

    def facts_of_runs(self, runs: list[Run]) -> list[RunFacts]:
        """Facts of runs already read (monev reads its own run list)."""
        if not runs:
            return []
        s = self.s
        tasks = list(
            s.exec(
                select(Task)
                .where(col(Task.run_id).in_([r.id for r in runs]), Task.status != TaskStatus.CANCELLED)
                .order_by(col(Task.run_id), col(Task.pass_no), col(Task.step_no), col(Task.chain_index), col(Task.id))
            )
        )
        versions = {
            v.id: SopDefinition.model_validate(v.content)
            for v in s.exec(select(SopVersion).where(col(SopVersion.id).in_({r.sop_version_id for r in runs})))
        }
        chats = {c.id: c for c in s.exec(select(Chat).where(col(Chat.id).in_({r.chat_id for r in runs})))}
        user_ids = {t.completed_by for t in tasks if t.completed_by is not None}
        names = (
            {u.id: display_name(u) for u in s.exec(select(User).where(col(User.id).in_(user_ids)))} if user_ids else {}
        )
        found = []
        for run in runs:
            assert run.id is not None
            chat = chats.get(run.chat_id)
            own = tuple(_task_fact(t) for t in tasks if t.run_id == run.id)
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
                    timezone=chat.timezone if chat is not None else self.default_timezone,
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

"""Read-only questions about runs: what's next, who holds what, what happened so far.

All of them run in read-only units of work, which on SQLite never wait for writers.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from storage.repositories import run_store as store
from storage.repositories import delegation_rows as cover_store
from bot.engine.core import EngineCore
from bot.engine.ports import WorkingCalendar
from bot.engine.view_builder import Renderer, role_ref, step_view
from bot.engine.views import (
    ChainEntry,
    HistoryEntry,
    NextStep,
    RoleHolder,
    RoleView,
    RunView,
    SopSummary,
    StatusView,
    TaskView,
)
from bot.services import roles, runs
from storage.models import Run, RunStatus, Task, TaskStatus
from storage.repositories.history import HistoryRepository
from storage.repositories.roles import RolesRepository
from storage.repositories.runs import RunsRepository
from storage.unit_of_work import ReadSession

NEXT_STEPS_SHOWN = 3


class QueriesMixin(EngineCore):
    def get_run(self, run_id: int) -> RunView:
        return self.read(lambda s: self.renderer(s, store.get_run(s, run_id)).run_view())

    def run_by_number(self, chat_id: int, number: int) -> RunView:
        return self.read(lambda s: runs.by_number(self, RunsRepository(s), chat_id, number))

    def active_runs(self, chat_id: int) -> list[RunView]:
        return self.read(lambda s: runs.active_in_chat(self, RunsRepository(s), chat_id))

    def get_task(self, task_id: int) -> TaskView:
        def query(s: ReadSession) -> TaskView:
            task = store.get_task(s, task_id)
            run = store.get_run(s, task.run_id)
            return timed(self.renderer(s, run).task_view(task), self.chat_calendar(s, run.chat_id), self.now())

        return self.read(query)

    def current_tasks(self, run_id: int) -> list[TaskView]:
        """The current step's chain in this pass: the active actor and those still to come."""

        def query(s: ReadSession) -> list[TaskView]:
            run = store.get_run(s, run_id)
            if run.current_step_no is None or run.status != RunStatus.ACTIVE:
                return []
            view = self.renderer(s, run)
            rows = store.step_tasks(s, run_id, run.current_step_no, run.pass_no)
            return [view.task_view(t) for t in rows if t.status in (TaskStatus.ACTIVE, TaskStatus.WAITING)]

        return self.read(query)

    def tasks_for_user(
        self, user_id: int, chat_id: int | None = None, include_on_behalf: bool = False
    ) -> list[TaskView]:
        """Active tasks of the roles the user holds (in one chat or everywhere).

        With `include_on_behalf`, also the external parties' tasks of runs they coordinate.
        """

        def query(s: ReadSession) -> list[TaskView]:
            found = waiting_on(self, s, user_id, include_on_behalf)
            now = self.now()
            return [
                timed(self.renderer(s, run).task_view(task), self.chat_calendar(s, run.chat_id), now)
                for run, task in found
                if chat_id is None or run.chat_id == chat_id
            ]

        return self.read(query)

    def roles(self, run_id: int) -> list[RoleView]:
        """Every role of the run's SOP, in document order, with holder and pending claims.

        The holder is the one assigned, even while a Plh./Plt. acts (see :meth:`delegations`).
        """
        return self.read(lambda s: roles.roles_view(self, RolesRepository(s), run_id))

    def status(self, run_id: int) -> StatusView:
        """What the run waits for, since when, until when, and what comes after."""

        def query(s: ReadSession) -> StatusView:
            run = store.get_run(s, run_id)
            view = self.renderer(s, run)
            task = store.active_task(s, run_id)
            if task is None:
                return StatusView(view.run_view(), None, None, None, None, None, None, None, None, False, (), ())
            now = self.now()
            calendar = self.chat_calendar(s, run.chat_id)
            task_view = view.task_view(task)
            elapsed = None
            if task.started_at is not None:
                elapsed = calendar.working_minutes_between(task.started_at, now)
            overdue = task.due_at is not None and now > task.due_at
            opening = calendar.add_working_minutes(now, 0)
            return StatusView(
                run=view.run_view(),
                step=step_view(view.sop, task.step_no),
                task=task_view,
                role=task_view.role,
                holder=task_view.holder,
                started_at=task.started_at,
                due_at=task.due_at,
                elapsed_minutes=elapsed,
                standard_minutes=task.standard_minutes,
                overdue=overdue,
                chain=_chain(view, store.step_tasks(s, run_id, task.step_no, task.pass_no)),
                next_steps=_next_steps(view, task.step_no),
                late_minutes=calendar.working_minutes_between(task.due_at, now) if overdue and task.due_at else None,
                resumes_at=opening if opening > now else None,
                taken_at=now,
            )

        return self.read(query)

    def history(self, run_id: int) -> list[HistoryEntry]:
        """The audit trail of a run, oldest first, with names and evidence."""

        def query(s: ReadSession) -> list[HistoryEntry]:
            run = store.get_run(s, run_id)
            view = self.renderer(s, run)
            trail = HistoryRepository(s)
            events, evidence = trail.events(run_id), trail.evidence(run_id)
            view.load_users([e.actor_id for e in events] + [e.added_by for e in evidence.values()])
            return [
                HistoryEntry(
                    id=e.id or 0,
                    at=e.created_at,
                    kind=e.kind,
                    actor=view.user(e.actor_id),
                    task_id=e.task_id,
                    step_no=e.data.get("step_no"),
                    note=e.note,
                    data=dict(e.data),
                    evidence=tuple(
                        view.evidence_view(evidence[i]) for i in e.data.get("evidence_ids", ()) if i in evidence
                    ),
                )
                for e in events
            ]

        return self.read(query)

    def available_sops(self) -> list[SopSummary]:
        return [
            SopSummary(id=d.id, nama=d.nama, steps=len(d.steps), content_hash=d.content_hash())
            for d in self.catalog.list()
        ]


def timed(task: TaskView, calendar: WorkingCalendar, now: datetime) -> TaskView:
    """An active task with its working time so far and how far past its due time."""
    if task.status != "active" or task.started_at is None:
        return task
    late = None
    if task.due_at is not None and now > task.due_at:
        late = calendar.working_minutes_between(task.due_at, now)
    return replace(task, elapsed_minutes=calendar.working_minutes_between(task.started_at, now), late_minutes=late)


def _chain(view: Renderer, rows: list[Task]) -> tuple[ChainEntry, ...]:
    return tuple(
        ChainEntry(
            index=t.chain_index,
            role=role_ref(view.sop, t.role_key),
            holder=view.holder(t.role_key),
            status=str(t.status),
            task_id=t.id or 0,
            completed_by=view.user(t.completed_by),
            completed_at=t.completed_at,
            on_behalf=t.on_behalf,
        )
        for t in rows
    )


def _next_steps(view: Renderer, step_no: int) -> tuple[NextStep, ...]:
    """The steps that follow in document order (the way a run goes unless sent back)."""
    found: list[NextStep] = []
    following = view.sop.next_step_no(step_no)
    while following is not None and len(found) < NEXT_STEPS_SHOWN:
        step = step_view(view.sop, following)
        holders = tuple(RoleHolder(role=r, holder=view.holder(r.key)) for r in step.roles)
        found.append(NextStep(step=step, holders=holders))
        following = view.sop.next_step_no(following)
    return tuple(found)


def waiting_on(engine: EngineCore, s: ReadSession, user_id: int, include_on_behalf: bool) -> list[tuple[Run, Task]]:
    """Active tasks of roles the user holds or covers as Plh./Plt. now (and, if asked, of
    external roles they act for). A holder on leave keeps theirs: they may still act."""
    pairs = RolesRepository(s).held_by(user_id) | cover_store.covering(s, user_id, engine.now())
    rows = RunsRepository(s).active_tasks({r for r, _ in pairs}, user_id if include_on_behalf else None)
    found = []
    for run, task in rows:
        if (run.id, task.role_key) in pairs or include_on_behalf and run.coordinator_id == user_id and is_external(engine, s, run, task.role_key):
            found.append((run, task))
    return found


def is_external(engine: EngineCore, s: ReadSession, run: Run, role_key: str) -> bool:
    role = engine.pinned(s, run.sop_version_id).definition.role_by_key.get(role_key)
    return role is not None and role.eksternal


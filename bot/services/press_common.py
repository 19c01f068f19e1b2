"""What the press use cases share: the command wrapper with idempotent replays, the
operation's clock, the people read once, and the one place that writes audit events.

Idempotency (as :meth:`bot.engine.core.EngineCore.command`): the first audit event of an
operation carries the caller's request id, unique in the database. A press does not look
the id up first — that would be a statement on every press for the rare replay. A request
seen before either finds its task no longer current (a refusal) or, when the run came
back to it (an undo), fails on the unique request id at the event's insert; both end in a
read-only transaction that finds the first attempt's event and answers from it, having
changed nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar


from bot.domain import permissions
from bot.domain.permissions import PressScope
from bot.domain.run_machine import Clock
from bot.domain.run_state import OPEN, PressState, RunState, TaskState
from storage.repositories import run_store as store
from bot.engine.effects import EventKind, Op, jsonable
from bot.engine.errors import (
    EngineError,
    NoSuchTask,
    RequestConflict,
    RunNotActive,
    TaskNotCurrent,
)
from bot.engine.view_builder import Renderer
from storage.models import AuditEvent
from storage.repositories.presses import Loaded, NoSuchTaskRow, People
from storage.errors import ConstraintViolation
from storage.repositories import journal
from storage.repositories.rows import run_row
from storage.unit_of_work import ReadSession, UnitOfWork

if TYPE_CHECKING:
    from bot.engine.tasks import TasksMixin

T = TypeVar("T")
Replay = Callable[[ReadSession, AuditEvent], T]


def run_press(
    engine: TasksMixin,
    uow: UnitOfWork,
    request_id: str | None,
    action: Callable[[UnitOfWork, Op], T],
    replay: Replay[T],
    kinds: tuple[str, ...],
) -> T:
    """Run `action` in the unit of work (one commit); a request seen before is replayed."""
    try:
        with uow:
            op = Op(session=uow.session, now=engine.now(), request_id=request_id, nag_policy=engine.nag_policy)
            result = action(uow, op)
        if op.rearm:
            engine.schedule_changed()
        return result
    except (EngineError, ConstraintViolation):
        if request_id is None:
            raise
        with uow.reading() as s:
            event = store.find_event(s, request_id)
            if event is None:
                raise
            if kinds and event.kind not in kinds:
                raise RequestConflict(request_id=request_id, used_for=event.kind) from None
            return replay(s, event)


def lock(uow: UnitOfWork, task_id: int, *, followers: bool = False) -> tuple[Loaded, list[TaskState]]:
    try:
        return uow.presses.lock(task_id, followers=followers)
    except NoSuchTaskRow:
        raise NoSuchTask(task_id=task_id) from None


def not_current(task: TaskState) -> TaskNotCurrent:
    return TaskNotCurrent(task_id=task.id, status=task.status, completed_by=task.completed_by,
                          completed_at=task.completed_at, on_behalf=task.on_behalf)


def require_current(state: PressState) -> None:
    """The task must be the one the run waits for, in a run still under way."""
    if state.task.status != "active":
        raise not_current(state.task)
    if state.run.status != "active":
        raise RunNotActive(run_id=state.run.id, status=state.run.status)


def concerned(task: TaskState, people: People) -> set[int]:
    """Whom a task concerns: who acts for its role now, the holder a Plh./Plt. covers (while
    the task is still to do; on leave, they may still act), and its author."""
    cover = people.covers.get(task.role_key)
    ids = {people.acting.get(task.role_key), task.completed_by}
    if cover is not None and task.status in OPEN:
        ids.add(cover.holder_id)
    return {i for i in ids if i is not None}


def require_scope(uow: UnitOfWork, op: Op, state: PressState, user_id: int, scope: PressScope | None) -> People | None:
    """A button's press checked where it was pressed, inside the press's transaction (a
    command names no button: `scope` None, nothing to check). Any failure is a stale
    button. In a private chat the check needs the run's people: they are returned, for the
    press to use instead of reading them again."""
    if scope is None:
        return None
    run = state.run
    people = None if scope.in_group else uow.presses.people(run, op.now)
    permissions.require_press_in(
        scope, user_id, permissions.RunFacts(run_id=run.id, coordinator_id=run.coordinator_id),
        run_chat_id=run.chat_id, concerned=concerned(state.task, people) if people is not None else (),
    )
    return people


def clock(engine: TasksMixin, op: Op, timezone: str | None) -> Clock:
    return Clock(now=op.now, calendar=engine.calendar(timezone or engine.default_timezone), nag_policy=op.nag_policy)


def know_people(op: Op, run_id: int, people: People) -> None:
    """Hand what was read to the engine's notification helpers, so they read nothing again."""
    op.holders[run_id] = people.acting
    op.assigned[run_id] = people.assigned
    op.covers[run_id] = people.covers
    op.people.update(people.users)


def renderer(engine: TasksMixin, uow: UnitOfWork, run: RunState, people: People) -> Renderer:
    """Views of the run as it is after the change, from what the press already holds."""
    row = run_row(run)
    view = Renderer(uow.session, row, engine.pinned(uow.session, row.sop_version_id), people.acting, people.covers)
    view.know_users(people.users)
    return view


def record(op: Op, entries: Sequence[tuple[EventKind, dict[str, Any]]]) -> list[AuditEvent]:
    """Audit events of one operation, inserted in one statement; the first of the operation
    carries the request id (what ``Op.record`` does, an event at a time)."""
    events = []
    for kind, fields in entries:
        fields = dict(fields)
        base = {key: fields.pop(key, None) for key in ("run_id", "chat_id", "task_id", "actor_id", "note")}
        events.append(AuditEvent(
            **base, kind=kind.value, data=jsonable(fields), created_at=op.now,
            request_id=None if (op.events or events) else op.request_id,
        ))
    journal.insert_events(op.session, events)  # transient rows: the outbox helpers read their id and run
    op.events.extend(events)
    return events


def flush_outbox(op: Op) -> None:
    """Write the outbox rows the notification helpers queued, in one statement.

    ``Op.notify`` adds ORM rows to the session; the ORM would insert them one statement
    each (their ids are not needed), so they are taken out of the session and inserted
    together with Core. The one place that writes a press's outbox rows.
    """
    journal.insert_outbox(op.session, op.messages)

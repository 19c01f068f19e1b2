"""Starting and cancelling a run, as use cases over :mod:`storage.repositories.runs`.

A run is bound to the exact SOP content it started with (a stored version, reused by
content hash): editing a YAML file changes what *new* runs do, never a run under way.
Run numbers count per chat ("run 2 in this group") from a counter on the chat row.

Each function runs inside the engine's unit of work (:class:`~bot.engine.effects.Op`,
opened by ``EngineCore.command``), which replays a request id, writes the audit events
and the outbox rows, and commits once; the rules of who may are in
:mod:`bot.domain.permissions`.
"""

from __future__ import annotations

from bot.domain import permissions
from bot.domain.permissions import Actor
from bot.domain.sop import SopDefinition
from bot.domain.text_rules import is_blank, is_real_text
from bot.engine import flow
from storage.repositories import run_store as store
from bot.engine.core import EngineCore
from bot.engine.effects import EventKind, Notice, Op
from bot.engine.errors import ReasonRequired, RunNotActive, RunNotFound, TextRequired
from bot.engine.facts import run_facts
from bot.engine.views import RunView
from storage.models import AuditEvent, Run, RunStatus, Task
from storage.repositories.runs import RunsRepository


def start(core: EngineCore, op: Op, sop: SopDefinition, chat_id: int, title: str | None,
          coordinator_id: int) -> RunView:
    """Pin the SOP's version, number the run in its chat and put its first step up."""
    if not is_blank(title) and not is_real_text(title):
        raise TextRequired(field="title")
    s, runs = op.session, RunsRepository(op.session)
    chat = store.touch_chat(s, chat_id, op.now, core.default_timezone)
    store.touch_user(s, coordinator_id, op.now)
    version = store.pin_version(s, sop, op.now)
    assert version.id is not None
    number = runs.next_number(chat)
    run = runs.add(Run(
        chat_id=chat_id,
        number=number,
        sop_version_id=version.id,
        title=(title or "").strip() if not is_blank(title) else sop.nama,
        coordinator_id=coordinator_id,
        status=RunStatus.ACTIVE,
        pass_no=1,
        started_at=op.now,
    ))
    pinned = core.pinned(s, version.id)
    event = op.record(
        EventKind.RUN_STARTED,
        run_id=run.id,
        chat_id=chat_id,
        actor_id=coordinator_id,
        sop_id=pinned.sop_id,
        sop_version_id=version.id,
        content_hash=pinned.content_hash,
        title=run.title,
        number=number,
    )
    definition = pinned.definition
    tasks, _ = flow.start_step(op, run, definition, definition.steps[0].no, core.chat_calendar(s, chat_id), None)
    record_step_started(op, run, tasks, coordinator_id)
    core.group_notice(op, run, Notice.RUN_STARTED, event, task_id=tasks[0].id, step_no=tasks[0].step_no)
    core.announce(op, run, tasks[0], event)
    return core.renderer(s, run).run_view()


def cancel(core: EngineCore, op: Op, actor: Actor, run_id: int, reason: str | None) -> RunView:
    """Stop a run for good (its coordinator or a group admin): its open tasks are cancelled."""
    s, runs = op.session, RunsRepository(op.session)
    user_id = actor.user_id
    if reason is not None and not is_real_text(reason):
        raise ReasonRequired(action="cancel")
    run = store.lock_run(s, run_id)
    if run.status != RunStatus.ACTIVE:
        raise RunNotActive(run_id=run_id, status=run.status)
    permissions.require_cancel(actor, run_facts(run))
    store.touch_user(s, user_id, op.now)
    open_tasks = runs.open_task_ids(run_id)
    runs.cancel_open_tasks(run_id)
    op.rearm = True
    run.status = RunStatus.CANCELLED
    run.cancelled_at, run.cancelled_by, run.cancel_reason = op.now, user_id, reason
    event = op.record(
        EventKind.RUN_CANCELLED,
        run_id=run_id,
        chat_id=run.chat_id,
        actor_id=user_id,
        note=reason,
        cancelled_task_ids=open_tasks,
        as_admin=run.coordinator_id != user_id,
    )
    core.group_notice(op, run, Notice.RUN_CANCELLED, event, user_id=user_id)
    return core.renderer(s, run).run_view()


def by_number(core: EngineCore, runs: RunsRepository, chat_id: int, number: int) -> RunView:
    """The chat's run with that number; refused as not found when there is none."""
    run = runs.by_number(chat_id, number)
    if run is None:
        raise RunNotFound(chat_id=chat_id, number=number)
    return core.renderer(runs.session, run).run_view()


def active_in_chat(core: EngineCore, runs: RunsRepository, chat_id: int) -> list[RunView]:
    return [core.renderer(runs.session, run).run_view() for run in runs.active_in_chat(chat_id)]


def record_step_started(op: Op, run: Run, tasks: list[Task], actor_id: int | None) -> AuditEvent:
    """The audit event of a step coming up (its first task carries the due time)."""
    first = tasks[0]
    return op.record(
        EventKind.STEP_STARTED,
        run_id=run.id,
        chat_id=run.chat_id,
        task_id=first.id,
        actor_id=actor_id,
        step_no=first.step_no,
        pass_no=first.pass_no,
        task_ids=[t.id for t in tasks],
        roles=[t.role_key for t in tasks],
        due_at=first.due_at,
    )

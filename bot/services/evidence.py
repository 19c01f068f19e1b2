"""Evidence (documents, photos, links or notes attached to a task) as use cases over
:mod:`storage.repositories.evidence`.

Besides the holder and the coordinator, whoever just completed a task may still add to it
(the photo often arrives a minute after the tap on "done"). The functions run inside the
engine's unit of work (:class:`~bot.engine.effects.Op`), which replays a request id,
writes the audit event and commits once; who may is :mod:`bot.domain.permissions`.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import permissions
from bot.engine import flow
from storage.repositories import run_store as store
from storage.repositories import delegation_rows as cover_store
from bot.engine.core import EngineCore
from bot.engine.effects import EventKind, Op
from bot.engine.errors import NotRoleHolder, RunNotActive
from bot.engine.facts import run_facts
from bot.engine.views import EvidenceInput, EvidenceView
from storage.models import AuditEvent, Evidence, Run, RunStatus, Task, TaskStatus
from storage.repositories.evidence import EvidenceRepository

EvidenceArg = EvidenceInput | Sequence[EvidenceInput] | None


def attach(core: EngineCore, op: Op, task_id: int, user_id: int, item: EvidenceInput) -> EvidenceView:
    """Evidence from the holder, the coordinator, or whoever just completed the task."""
    s = op.session
    task, run = store.lock_task(s, task_id)
    if run.status == RunStatus.CANCELLED:
        raise RunNotActive(run_id=run.id or 0, status=run.status)
    require_right(core, op, run, task, user_id)
    rows = store_items(op, run, task, user_id, [item])
    op.record(
        EventKind.EVIDENCE_ADDED,
        run_id=run.id,
        chat_id=run.chat_id,
        task_id=task_id,
        actor_id=user_id,
        note=item.caption,
        step_no=task.step_no,
        evidence_ids=[r.id for r in rows],
    )
    return core.renderer(s, run).evidence_view(rows[0])


def replayed(core: EngineCore, evidence: EvidenceRepository, event: AuditEvent) -> EvidenceView:
    """A replayed request answers with the first piece its event names, as stored."""
    row = evidence.get(event.data["evidence_ids"][0])
    assert row is not None
    s = evidence.session
    return core.renderer(s, store.get_run(s, row.run_id)).evidence_view(row)


def require_right(core: EngineCore, op: Op, run: Run, task: Task, user_id: int) -> None:
    """Asked of :func:`bot.domain.permissions.may_add_evidence`; refused as not the holder
    while the task is current, else as a task that moved on."""
    s = op.session
    current = task.status == TaskStatus.ACTIVE
    author = False
    if task.status == TaskStatus.DONE and task.completed_by == user_id:
        last = store.last_completed(s, run.id or 0)
        author = last is not None and last.id == task.id
    holding = store.active_assignment(s, run.id or 0, task.role_key) if current else None
    cover = cover_store.run_covers(s, run, core.now()).get(task.role_key) if current else None
    seat = permissions.Seat(task.role_key, holder_id=holding.user_id if holding else None,
                            substitute_id=cover.substitute_id if cover else None)
    if permissions.may_add_evidence(user_id, run_facts(run), seat, current=current, author_of_last_completion=author):
        return
    if current:
        raise NotRoleHolder(task_id=task.id or 0, role_key=task.role_key, holder_id=seat.holder_id, run_id=run.id)
    raise flow.not_current(task)


def store_items(op: Op, run: Run, task: Task, user_id: int, evidence: EvidenceArg) -> list[Evidence]:
    """Write what came with a press or a message (one piece, several, or none)."""
    items = [evidence] if isinstance(evidence, EvidenceInput) else list(evidence or ())
    if not items:
        return []
    store.touch_user(op.session, user_id, op.now)
    return EvidenceRepository(op.session).add_all([
        Evidence(
            task_id=task.id or 0, run_id=run.id or 0, kind=i.kind, file_id=i.file_id, chat_id=i.chat_id,
            message_id=i.message_id, filename=i.filename, caption=i.caption, added_by=user_id, added_at=op.now,
        )
        for i in items
    ])

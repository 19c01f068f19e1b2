"""Undo: the author of a confirmation takes it back, briefly, while nobody acted after it.

A mistaken tap in a busy group is common; undo restores the run exactly as it was (the
tasks the confirmation created are cancelled, the next actor of a chain goes back to
waiting, a finished run reopens) instead of asking the coordinator to repair it by hand.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.domain import permissions
from bot.engine import flow, store
from bot.engine.core import EngineCore
from bot.engine.effects import COMPLETIONS, EventKind, Notice, NotificationKind, Op
from bot.engine.errors import UndoNotAllowed
from bot.engine.views import TaskView
from storage.models import AuditEvent, OutboxMessage, Run, RunStatus, Task, TaskStatus


class UndoMixin(EngineCore):
    def undo(self, task_id: int, user_id: int, request_id: str | None = None, send_card: bool = False) -> TaskView:
        """Take back one's own confirmation, within the undo window, if nobody acted since.

        With `send_card`, whoever must act on the task again gets a fresh card through the
        outbox (an undo pressed in the group: the private card there was already closed).
        """

        def action(op: Op) -> TaskView:
            task, run = store.lock_task(op.session, task_id)
            followers = store.followers(op.session, task_id)
            refusal = _refusal(run, task, followers, user_id, op.now - self.undo_window)
            if refusal is not None:
                minutes = self.undo_window.total_seconds() / 60
                raise UndoNotAllowed(task_id=task_id, reason=refusal, window_minutes=minutes)
            _withdraw_calls_to_act(op, task_id)
            reversal = flow.reverse(op, run, task, followers, self.chat_calendar(op.session, run.chat_id))
            event = op.record(
                EventKind.TASK_UNDONE,
                run_id=run.id,
                chat_id=run.chat_id,
                task_id=task_id,
                actor_id=user_id,
                step_no=task.step_no,
                chain_index=task.chain_index,
                pass_no=task.pass_no,
                cancelled_task_ids=reversal.cancelled,
                reverted_task_ids=reversal.reverted,
                run_reopened=reversal.reopened,
            )
            self.group_notice(
                op, run, Notice.TASK_UNDONE, event, task_id=task_id, step_no=task.step_no, user_id=user_id
            )
            if send_card:
                self.announce(op, run, task, event)
            return self.renderer(op.session, run).task_view(task)

        def replay(s: Session, event: AuditEvent) -> TaskView:
            task = store.get_task(s, task_id)
            return self.renderer(s, store.get_run(s, task.run_id)).task_view(task)

        return self.command(request_id, action, replay, (EventKind.TASK_UNDONE.value,))

    def undo_refusal(self, task_id: int, user_id: int) -> str | None:
        """Why `user_id` could not undo the task's confirmation now (None: they could).

        A card re-pressed after a crash shows its ↩️ only while this is None.
        """

        def query(s: Session) -> str | None:
            task = store.get_task(s, task_id)
            run = store.get_run(s, task.run_id)
            return _refusal(run, task, store.followers(s, task_id), user_id, self.now() - self.undo_window)

        return self.read(query)


def _refusal(run: Run, task: Task, followers: list[Task], user_id: int, window_start: datetime) -> str | None:
    """Why this confirmation cannot be taken back (an UndoNotAllowed reason), or None."""
    completion = permissions.Completion(
        run_cancelled=run.status == RunStatus.CANCELLED,
        done=task.status == TaskStatus.DONE,
        completed_by=task.completed_by,
        completed_at=task.completed_at,
        followers_acted=any(f.status not in (TaskStatus.ACTIVE, TaskStatus.WAITING) for f in followers),
    )
    return permissions.undo_refusal(user_id, completion, window_start)


def _withdraw_calls_to_act(op: Op, task_id: int) -> None:
    """Unsent "your turn" messages of the confirmation being undone would now mislead."""
    event_id = op.session.exec(
        select(AuditEvent.id)
        .where(AuditEvent.task_id == task_id, col(AuditEvent.kind).in_(COMPLETIONS))
        .order_by(col(AuditEvent.id).desc())
    ).first()
    op.session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.event_id) == event_id,
            col(OutboxMessage.sent_at).is_(None),
            col(OutboxMessage.kind) != NotificationKind.GROUP_NOTICE,
        )
        .values(abandoned_at=op.now, last_error="withdrawn: confirmation undone")
    )

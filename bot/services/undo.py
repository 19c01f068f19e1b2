"""Undo: the author of a confirmation takes it back, briefly, while nobody acted after it.

A mistaken tap in a busy group is common; undo restores the run exactly as it was (the
tasks the confirmation created are cancelled, the next actor of a chain goes back to
waiting, a finished run reopens) instead of asking the coordinator to repair it by hand.
One unit of work: the run locked with the task and its followers in one read, the run
machine's :func:`~bot.domain.run_machine.undo`, checked writes, one commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.domain import run_machine
from bot.domain.permissions import PressScope
from storage.repositories import run_store as store
from bot.engine.effects import COMPLETIONS, EventKind, Notice, NotificationKind, Op
from bot.engine.errors import NoSuchTask, UndoNotAllowed
from bot.engine.views import TaskView
from bot.services import press_common as pc
from storage.models import AuditEvent
from storage.repositories.presses import LostRace, NoSuchTaskRow, PressRepository
from storage.repositories.rows import run_row, task_row
from storage.unit_of_work import ReadSession, UnitOfWork

if TYPE_CHECKING:
    from bot.engine.tasks import TasksMixin


def undo(uow: UnitOfWork, engine: TasksMixin, task_id: int, user_id: int, request_id: str | None = None,
         send_card: bool = False, scope: PressScope | None = None) -> TaskView:
    """Take back one's own confirmation, within the undo window, if nobody acted since.

    With `send_card`, whoever must act on the task again gets a fresh card through the
    outbox (an undo pressed in the group: the private card there was already closed).
    With `scope` (where the ↩️ was pressed), a task out of it is a stale button.
    """

    def action(uow: UnitOfWork, op: Op) -> TaskView:
        loaded, followers = pc.lock(uow, task_id, followers=True)
        people = pc.require_scope(uow, op, loaded.state, user_id, scope)
        run, task = loaded.state.run, loaded.state.task
        window_start = op.now - engine.undo_window
        refusal = run_machine.undo_refusal(run, task, followers, user_id, window_start)
        if refusal is not None:
            raise UndoNotAllowed(task_id=task_id, reason=refusal, window_minutes=_minutes(engine))
        uow.presses.withdraw_calls_to_act(task_id, COMPLETIONS, NotificationKind.GROUP_NOTICE.value, op.now)
        transition = run_machine.undo(run, task, followers, user_id, window_start,
                                      pc.clock(engine, op, loaded.timezone))
        try:
            uow.presses.apply(transition)
        except LostRace:
            # PostgreSQL: a writer that held the run's lock before us committed after our
            # read's snapshot; the run is ours now, so a new read sees what it did.
            fresh, now_followers = pc.lock(uow, task_id, followers=True)
            late = run_machine.undo_refusal(fresh.state.run, fresh.state.task, now_followers, user_id, window_start)
            if late is not None:
                raise UndoNotAllowed(task_id=task_id, reason=late, window_minutes=_minutes(engine)) from None
            raise pc.not_current(fresh.state.task) from None
        op.rearm = True
        (event,) = pc.record(op, [(EventKind.TASK_UNDONE, {
            "run_id": run.id, "chat_id": run.chat_id, "task_id": task_id, "actor_id": user_id,
            "step_no": task.step_no, "chain_index": task.chain_index, "pass_no": task.pass_no,
            "cancelled_task_ids": list(transition.cancelled_ids), "reverted_task_ids": list(transition.reverted_ids),
            "run_reopened": transition.reopened,
        })])
        row = run_row(transition.run)
        engine.group_notice(op, row, Notice.TASK_UNDONE, event, task_id=task_id, step_no=task.step_no,
                            user_id=user_id)
        if people is None:  # the run's holders and covers: the same before and after the undo
            people = uow.presses.people(transition.run, op.now)
        pc.know_people(op, run.id, people)
        reopened = transition.task
        assert reopened is not None
        if send_card:
            engine.announce(op, row, task_row(reopened), event)
        pc.flush_outbox(op)
        return pc.renderer(engine, uow, transition.run, people).task_view(task_row(reopened))

    def replay(s: ReadSession, event: AuditEvent) -> TaskView:
        task = store.get_task(s, task_id)
        return engine.renderer(s, store.get_run(s, task.run_id)).task_view(task)

    return pc.run_press(engine, uow, request_id, action, replay, (EventKind.TASK_UNDONE.value,))


def undo_refusal(uow: UnitOfWork, engine: TasksMixin, task_id: int, user_id: int) -> str | None:
    """Why `user_id` could not undo the task's confirmation now (None: they could).

    A card re-pressed after a crash shows its ↩️ only while this is None.
    """
    with uow.reading() as s:
        try:
            loaded, followers = PressRepository(s).lock(task_id, followers=True, for_update=False)
        except NoSuchTaskRow:
            raise NoSuchTask(task_id=task_id) from None
    window_start: datetime = engine.now() - engine.undo_window
    return run_machine.undo_refusal(loaded.state.run, loaded.state.task, followers, user_id, window_start)


def _minutes(engine: TasksMixin) -> float:
    return engine.undo_window.total_seconds() / 60

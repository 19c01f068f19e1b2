"""Starting and cancelling runs.

A run is bound to the exact SOP content it started with (a stored version, reused by
content hash): editing a YAML file changes what *new* runs do, never a run under way.
Run numbers count per chat ("run 2 in this group") from a counter on the chat row, bumped
with one atomic UPDATE so two runs started at once never get the same number.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.engine import flow, store
from bot.engine.core import EngineCore
from bot.engine.effects import EventKind, Notice, Op
from bot.domain import permissions
from bot.domain.permissions import Actor
from bot.engine.errors import ReasonRequired, RunNotActive, TextRequired, UnknownSop
from bot.engine.facts import run_facts
from bot.engine.views import RunView
from bot.domain.sop import SopDefinition
from bot.domain.text_rules import is_blank, is_real_text
from storage.models import AuditEvent, Chat, Run, RunStatus, Task, TaskStatus


class RunsMixin(EngineCore):
    def start_run(
        self,
        chat_id: int,
        sop_id: str,
        title: str | None,
        coordinator_id: int,
        request_id: str | None = None,
    ) -> RunView:
        """Start a run of `sop_id` in the chat; its first step's first actor is up at once.

        The definition is looked up before the write transaction opens: the catalogue may
        read (or, on its first read, seed) the database, which must not wait for our own
        write lock. An unknown SOP is raised inside, so a replayed request still replays.
        """
        try:
            found: SopDefinition | UnknownSop = self.definition(sop_id, chat_id)
        except UnknownSop as exc:
            found = exc

        def action(op: Op) -> RunView:
            s = op.session
            if isinstance(found, UnknownSop):
                raise found
            if not is_blank(title) and not is_real_text(title):
                raise TextRequired(field="title")
            sop = found
            chat = store.touch_chat(s, chat_id, op.now, self.default_timezone)
            store.touch_user(s, coordinator_id, op.now)
            version = store.pin_version(s, sop, op.now)
            assert version.id is not None
            number = s.execute(
                update(Chat)
                .where(col(Chat.id) == chat_id)
                .values(run_counter=col(Chat.run_counter) + 1)
                .returning(col(Chat.run_counter))
                .execution_options(synchronize_session=False)
            ).scalar_one()
            s.expire(chat)
            run = Run(
                chat_id=chat_id,
                number=number,
                sop_version_id=version.id,
                title=(title or "").strip() if not is_blank(title) else sop.nama,
                coordinator_id=coordinator_id,
                status=RunStatus.ACTIVE,
                pass_no=1,
                started_at=op.now,
            )
            s.add(run)
            s.flush()
            pinned = self.pinned(s, version.id)
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
            tasks, _ = flow.start_step(
                op, run, definition, definition.steps[0].no, self.chat_calendar(s, chat_id), None
            )
            self.record_step_started(op, run, tasks, coordinator_id)
            self.group_notice(op, run, Notice.RUN_STARTED, event, task_id=tasks[0].id, step_no=tasks[0].step_no)
            self.announce(op, run, tasks[0], event)
            return self.renderer(s, run).run_view()

        return self.command(request_id, action, self._run_from_event, (EventKind.RUN_STARTED.value,))

    def cancel_run(
        self,
        run_id: int,
        user: Actor | int,
        reason: str | None = None,
        request_id: str | None = None,
    ) -> RunView:
        """Stop a run for good: its coordinator (or a group admin) only; open tasks are cancelled.

        `user` is an :class:`~bot.domain.permissions.Actor` (a bare id: no admin rights):
        whether Telegram counts them a group admin is a fact the caller brings, the rule is
        :func:`~bot.domain.permissions.require_cancel`.
        """
        actor = permissions.as_actor(user)
        user_id = actor.user_id

        def action(op: Op) -> RunView:
            s = op.session
            if reason is not None and not is_real_text(reason):
                raise ReasonRequired(action="cancel")
            run = store.lock_run(s, run_id)
            if run.status != RunStatus.ACTIVE:
                raise RunNotActive(run_id=run_id, status=run.status)
            permissions.require_cancel(actor, run_facts(run))
            store.touch_user(s, user_id, op.now)
            still_open = col(Task.status).in_([TaskStatus.ACTIVE, TaskStatus.WAITING])
            open_tasks = list(s.exec(select(Task.id).where(col(Task.run_id) == run_id, still_open)))
            s.execute(
                update(Task)
                .where(col(Task.run_id) == run_id, still_open)
                .values(status=TaskStatus.CANCELLED, next_nag_at=None)
            )
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
            self.group_notice(op, run, Notice.RUN_CANCELLED, event, user_id=user_id)
            return self.renderer(s, run).run_view()

        return self.command(request_id, action, self._run_from_event, (EventKind.RUN_CANCELLED.value,))

    # -- shared with the task operations --------------------------------------------------
    def record_step_started(self, op: Op, run: Run, tasks: list[Task], actor_id: int | None) -> AuditEvent:
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

    def _run_from_event(self, s: Session, event: AuditEvent) -> RunView:
        assert event.run_id is not None
        return self.renderer(s, store.get_run(s, event.run_id)).run_view()


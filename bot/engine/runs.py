"""The engine's face for runs: thin delegations to :mod:`bot.services.runs`.

What stays here is what only the engine has: the SOP looked up before the write
transaction opens, and request-id replay (a replayed start or cancel answers with the
run as stored).
"""

from __future__ import annotations

from bot.domain import permissions
from bot.domain.permissions import Actor
from bot.domain.sop import SopDefinition
from storage.repositories import run_store as store
from bot.engine.core import EngineCore
from bot.engine.effects import EventKind, Op
from bot.engine.errors import UnknownSop
from bot.engine.views import RunView
from bot.services import runs
from storage.models import AuditEvent, Run, Task
from storage.unit_of_work import ReadSession


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
            if isinstance(found, UnknownSop):
                raise found
            return runs.start(self, op, found, chat_id, title, coordinator_id)

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
        return self.command(request_id, lambda op: runs.cancel(self, op, actor, run_id, reason),
                            self._run_from_event, (EventKind.RUN_CANCELLED.value,))

    # -- shared with the task operations --------------------------------------------------
    def record_step_started(self, op: Op, run: Run, tasks: list[Task], actor_id: int | None) -> AuditEvent:
        return runs.record_step_started(op, run, tasks, actor_id)

    def _run_from_event(self, s: ReadSession, event: AuditEvent) -> RunView:
        assert event.run_id is not None
        return self.renderer(s, store.get_run(s, event.run_id)).run_view()

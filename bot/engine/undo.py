"""Undo: the author of a confirmation takes it back, briefly, while nobody acted after it.

The work is the use case's (:mod:`bot.services.undo`); these methods keep the engine's
interface for every caller.
"""

from __future__ import annotations

from bot.domain.permissions import PressScope
from bot.engine.core import EngineCore
from bot.engine.views import TaskView
from bot.services import undo as undo_case
from storage.unit_of_work import UnitOfWork


class UndoMixin(EngineCore):
    def undo(self, task_id: int, user_id: int, request_id: str | None = None, send_card: bool = False,
             scope: PressScope | None = None) -> TaskView:
        """Take back one's own confirmation, within the undo window, if nobody acted since.

        With `send_card`, whoever must act on the task again gets a fresh card through the
        outbox (an undo pressed in the group: the private card there was already closed).
        """
        uow = UnitOfWork(self.db)
        return undo_case.undo(uow, self, task_id, user_id, request_id, send_card, scope)  # type: ignore[arg-type]

    def undo_refusal(self, task_id: int, user_id: int) -> str | None:
        """Why `user_id` could not undo the task's confirmation now (None: they could)."""
        return undo_case.undo_refusal(UnitOfWork(self.db), self, task_id, user_id)  # type: ignore[arg-type]

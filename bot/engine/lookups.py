"""Read-only lookups the Telegram layer needs besides "what's next": a chat's runs, its
latest run, and the step definition of any task, always from the run's pinned SOP.

A run keeps the SOP content it started with, so names, details and outcomes shown for
it must come from that version, never from the file on disk (which may have been edited
or removed since). A chat's runs live in the database, so "the last run here" survives
a restart, unlike anything kept in the bot's memory.
"""

from __future__ import annotations

from storage.repositories import run_store as store
from bot.engine.core import EngineCore
from bot.engine.view_builder import step_view
from bot.engine.views import RunView, StepView
from bot.domain.sop import SopDefinition
from storage.repositories.runs import RunsRepository
from storage.unit_of_work import ReadSession


class LookupsMixin(EngineCore):
    def runs(self, chat_id: int, limit: int = 50) -> list[RunView]:
        """The chat's runs, newest first (any status)."""

        def query(s: ReadSession) -> list[RunView]:
            return [self.renderer(s, run).run_view() for run in RunsRepository(s).latest_in_chat(chat_id, limit)]

        return self.read(query)

    def latest_run(self, chat_id: int) -> RunView | None:
        """The chat's most recently started run, whatever became of it; None if it has none."""
        found = self.runs(chat_id, limit=1)
        return found[0] if found else None

    def task_step(self, task_id: int) -> StepView:
        """The step a task belongs to, as the run's pinned SOP version defines it."""

        def query(s: ReadSession) -> StepView:
            task = store.get_task(s, task_id)
            run = store.get_run(s, task.run_id)
            return step_view(self.pinned(s, run.sop_version_id).definition, task.step_no)

        return self.read(query)

    def run_definition(self, run_id: int) -> SopDefinition:
        """The SOP content a run started with (role names, outcome labels, steps)."""
        return self.read(lambda s: self.pinned(s, store.get_run(s, run_id).sop_version_id).definition)

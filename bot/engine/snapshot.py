"""One read for a whole batch of notifications: the tasks, runs, chats and people they name.

Rendering a confirmation's messages (the next actor's card, the group notice) used to
read the database once per thing named, each in a transaction of its own: ten or so
per press. The sender now asks here once per batch, and the views are exactly those the
single lookups return (same renderer, same working-time figures), so nothing a person
sees changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.engine.core import EngineCore
from bot.engine.people import chat_view, user_view
from bot.engine.queries import timed
from bot.engine.view_builder import step_view
from bot.engine.views import NoticeSnapshot, RunView, StepView, TaskView
from storage.repositories.snapshots import SnapshotRepository
from storage.unit_of_work import ReadSession


def _wanted(ids: Iterable[int | None]) -> list[int]:
    return sorted({int(i) for i in ids if i is not None})


class SnapshotMixin(EngineCore):
    def notice_snapshot(
        self,
        task_ids: Iterable[int | None] = (),
        run_ids: Iterable[int | None] = (),
        chat_ids: Iterable[int | None] = (),
        user_ids: Iterable[int | None] = (),
    ) -> NoticeSnapshot:
        """The views of these tasks (with their steps), runs, chats and people, as of now."""
        wanted_tasks, wanted_runs = _wanted(task_ids), _wanted(run_ids)
        wanted_chats, wanted_users = _wanted(chat_ids), _wanted(user_ids)

        def query(s: ReadSession) -> NoticeSnapshot:
            now = self.now()
            repo = SnapshotRepository(s)
            found = repo.rows(wanted_tasks, wanted_runs, wanted_chats)
            tasks, run_rows, chat_rows = found.tasks, found.runs, found.chats
            renderers = {run_id: self.renderer(s, run) for run_id, run in run_rows.items()}
            everyone = [*wanted_users]
            for run_id, view in renderers.items():
                run = run_rows[run_id]
                everyone += [run.coordinator_id, run.cancelled_by, *view.holders.values()]
            everyone += [t.completed_by for t in tasks.values()]
            user_rows = repo.users(everyone)
            for view in renderers.values():
                view.know_users(user_rows)
            task_views: dict[int, TaskView] = {}
            steps: dict[int, StepView] = {}
            for task_id, task in tasks.items():
                view = renderers[task.run_id]
                calendar = self.chat_calendar(s, view.run.chat_id)  # the chat is in the session already
                task_views[task_id] = timed(view.task_view(task), calendar, now)
                steps[task_id] = step_view(view.sop, task.step_no)
            runs: dict[int, RunView] = {run_id: view.run_view() for run_id, view in renderers.items()}
            return NoticeSnapshot(
                tasks=task_views,
                steps=steps,
                runs=runs,
                chats={i: (chat_view(c) if (c := chat_rows.get(i)) else None) for i in _wanted([*wanted_chats, *chat_rows])},
                users={i: (user_view(u) if (u := user_rows.get(i)) else None) for i in wanted_users},
            )

        return self.read(query)

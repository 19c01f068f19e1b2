"""What a batch of outbox rows will look up while it is rendered, read in one go.

Rows name ids only (tasks, runs, chats, people); the sender reads everything a batch names
in one transaction (:meth:`bot.engine.Engine.notice_snapshot`) instead of row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.engine.views import NotificationView


def named(rows: Sequence[NotificationView]) -> tuple[set[int], set[int], set[int], set[int]]:
    """The tasks, runs, chats and people a batch of rows will look up while it is rendered.

    Private chats are named by their user id (their language is the chat's). Anything
    missed here is simply looked up on its own.
    """
    tasks: set[int] = set()
    runs: set[int] = set()
    chats: set[int] = set()
    users: set[int] = set()

    def add(into: set[int], value: Any) -> None:
        if value is not None and str(value).lstrip("-").isdigit():
            into.add(int(value))

    for row in rows:
        p = row.payload
        add(runs, row.run_id)
        add(chats, row.chat_id)
        add(chats, row.user_id)
        add(users, row.user_id)
        for item in [p, *(p.get("items") or ())]:
            add(tasks, item.get("task_id"))
            add(runs, item.get("run_id"))
            add(chats, item.get("chat_id"))
            for key in ("user_id", "by_user_id", "holder_id"):
                add(users, item.get(key))
            for value in item.get("next_task_ids") or ():
                add(tasks, value)
            for value in item.get("mention") or ():
                add(users, value)
    return tasks, runs, chats, users

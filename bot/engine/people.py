"""The engine's face for chats and people: thin delegations to :mod:`bot.services.people`.

The use cases decide and :mod:`storage.repositories.people` reads and writes; what stays
here is what only the engine has: request-id replay and audit events for the changes that
matter to a run, and, when someone presses Start, the tasks that waited for them.
"""

from __future__ import annotations

from datetime import datetime

from bot.engine.core import EngineCore
from bot.engine.effects import EventKind, Op
from bot.engine.queries import is_external, waiting_on
from bot.engine.views import ChatView, UserView
from bot.services import people
from bot.services.people import LANGUAGES, chat_view, user_view
from storage.repositories.people import PeopleRepository
from storage.unit_of_work import ReadSession

__all__ = ["LANGUAGES", "PeopleMixin", "chat_view", "user_view"]


class PeopleMixin(EngineCore):
    def ensure_chat(
        self, chat_id: int, type: str, title: str | None = None, request_id: str | None = None
    ) -> ChatView:
        """Record the chat (or refresh its type and title); `request_id` only for a uniform call style."""
        return people.ensure_chat(self.db, chat_id, type, title, self.now(), self.default_timezone)

    def claim_privacy_notice(self, chat_id: int) -> bool:
        """True exactly once per chat: the caller then tells the group about privacy mode."""
        return people.claim_privacy_notice(self.db, chat_id, self.now())

    def unclaim_privacy_notice(self, chat_id: int) -> None:
        people.unclaim_privacy_notice(self.db, chat_id)

    def ensure_user(
        self,
        user_id: int,
        first_name: str | None = None,
        username: str | None = None,
        language: str | None = None,
        request_id: str | None = None,
    ) -> UserView:
        return people.ensure_user(self.db, user_id, first_name, username, language, self.now())

    def get_chat(self, chat_id: int) -> ChatView | None:
        return people.get_chat(self.db, chat_id)

    def get_user(self, user_id: int) -> UserView | None:
        return people.get_user(self.db, user_id)

    def mark_started(self, user_id: int, request_id: str | None = None) -> UserView:
        """The person pressed Start: from now on their tasks reach them privately.

        Tasks that became theirs while the bot could not write to them are sent now.
        """

        def action(op: Op) -> UserView:
            done = people.start_private(PeopleRepository(op.session), user_id, op.now)
            if done.changed:
                event = op.record(EventKind.USER_STARTED, actor_id=user_id)
                for run, task in waiting_on(self, op.session, user_id, include_on_behalf=True):
                    external = is_external(self, op.session, run, task.role_key)
                    self.tell_user(op, run, task, user_id, event, **({"on_behalf": True} if external else {}))
            return done.view

        return self.command(request_id, action, lambda s, e: people.user_as_stored(PeopleRepository(s), user_id))

    def mark_unreachable(self, user_id: int, at: datetime | None = None, request_id: str | None = None) -> UserView:
        """The sender found it cannot write to this person (blocked the bot, never started)."""

        def action(op: Op) -> UserView:
            done = people.become_unreachable(PeopleRepository(op.session), user_id, at or op.now, op.now)
            if done.changed:
                op.record(EventKind.USER_UNREACHABLE, actor_id=user_id)
            return done.view

        return self.command(request_id, action, lambda s, e: people.user_as_stored(PeopleRepository(s), user_id))

    def set_chat_language(
        self, chat_id: int, language: str, by_user_id: int | None = None, request_id: str | None = None
    ) -> ChatView:
        people.check_language(language)
        return self._set_chat(chat_id, "language", language, by_user_id, request_id, EventKind.CHAT_LANGUAGE_SET)

    def set_chat_timezone(
        self, chat_id: int, timezone: str, by_user_id: int | None = None, request_id: str | None = None
    ) -> ChatView:
        """Due times already set stay; new steps are timed in the new zone."""
        people.check_timezone(timezone)
        return self._set_chat(chat_id, "timezone", timezone, by_user_id, request_id, EventKind.CHAT_TIMEZONE_SET)

    def _set_chat(
        self, chat_id: int, name: str, value: str, by: int | None, request_id: str | None, kind: EventKind
    ) -> ChatView:
        def action(op: Op) -> ChatView:
            done = people.set_chat_setting(PeopleRepository(op.session), chat_id, name, value, by, op.now,
                                           self.default_timezone)
            if done.changed:
                op.record(kind, chat_id=chat_id, actor_id=by, old=done.old, new=value)
            return done.view

        def replay(s: ReadSession, _event: object) -> ChatView:
            return people.chat_as_stored(PeopleRepository(s), chat_id)

        return self.command(request_id, action, replay, (kind.value,))

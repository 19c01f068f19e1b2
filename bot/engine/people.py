"""Chats and people as Telegram shows them, and whether the bot can write to someone.

``ensure_*`` are upserts called on every update: they write nothing (and take no write
lock) when nothing changed, write no audit events, and are idempotent by nature, so their
``request_id`` is accepted only for a uniform call style. The changes that matter to a
run (pressing Start, becoming unreachable, a chat's language or time zone) are audited.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import update
from sqlmodel import Session, col

from bot.engine import store
from bot.engine.core import EngineCore
from bot.engine.effects import EventKind, Op
from bot.engine.errors import InvalidSetting
from bot.engine.queries import is_external, waiting_on
from bot.engine.views import ChatView, UserView
from storage.models import Chat, User

LANGUAGES = ("id", "en")


def chat_view(chat: Chat) -> ChatView:
    return ChatView(id=chat.id, type=chat.type, title=chat.title, language=chat.language, timezone=chat.timezone)


def user_view(user: User) -> UserView:
    return UserView(
        id=user.id,
        first_name=user.first_name,
        username=user.username,
        language=user.language,
        started_private=user.started_private,
        unreachable_since=user.unreachable_since,
    )


class PeopleMixin(EngineCore):
    def ensure_chat(
        self, chat_id: int, type: str, title: str | None = None, request_id: str | None = None
    ) -> ChatView:
        """Record the chat (or refresh its type and title); new chats get the default zone."""
        known = self.get_chat(chat_id)
        if known is not None and (known.type, known.title) == (type, title):
            return known

        def action(op: Op) -> ChatView:
            chat = store.touch_chat(op.session, chat_id, op.now, self.default_timezone, type)
            if (chat.type, chat.title) != (type, title):
                chat.type, chat.title, chat.updated_at = type, title, op.now
            return chat_view(chat)

        return self.command(None, action)

    def claim_privacy_notice(self, chat_id: int) -> bool:
        """True exactly once per chat: the caller then tells the group about privacy mode.

        A conditional UPDATE, so two processes (or a restart) never tell a group twice.
        """

        def action(op: Op) -> bool:
            claimed = op.session.execute(
                update(Chat).where(col(Chat.id) == chat_id, col(Chat.privacy_notice_at).is_(None))
                .values(privacy_notice_at=op.now)
            )
            return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]

        return self.command(None, action)

    def unclaim_privacy_notice(self, chat_id: int) -> None:
        """The notice could not be sent: let the next command in the chat try again."""

        def action(op: Op) -> None:
            op.session.execute(update(Chat).where(col(Chat.id) == chat_id).values(privacy_notice_at=None))

        self.command(None, action)

    def ensure_user(
        self,
        user_id: int,
        first_name: str | None = None,
        username: str | None = None,
        language: str | None = None,
        request_id: str | None = None,
    ) -> UserView:
        known = self.get_user(user_id)
        if known is not None and (known.first_name, known.username, known.language) == (first_name, username, language):
            return known

        def action(op: Op) -> UserView:
            user = store.touch_user(op.session, user_id, op.now)
            if (user.first_name, user.username, user.language) != (first_name, username, language):
                user.first_name, user.username, user.language = first_name, username, language
                user.updated_at = op.now
            return user_view(user)

        return self.command(None, action)

    def get_chat(self, chat_id: int) -> ChatView | None:
        return self.read(lambda s: (chat_view(c) if (c := s.get(Chat, chat_id)) else None))

    def get_user(self, user_id: int) -> UserView | None:
        return self.read(lambda s: (user_view(u) if (u := s.get(User, user_id)) else None))

    def mark_started(self, user_id: int, request_id: str | None = None) -> UserView:
        """The person pressed Start: from now on their tasks reach them privately.

        Tasks that became theirs while the bot could not write to them are sent now.
        """

        def action(op: Op) -> UserView:
            user = store.touch_user(op.session, user_id, op.now)
            if user.started_private and user.unreachable_since is None:
                return user_view(user)
            user.started_private, user.unreachable_since, user.updated_at = True, None, op.now
            event = op.record(EventKind.USER_STARTED, actor_id=user_id)
            for run, task in waiting_on(self, op.session, user_id, include_on_behalf=True):
                external = is_external(self, op.session, run, task.role_key)
                self.tell_user(op, run, task, user_id, event, **({"on_behalf": True} if external else {}))
            return user_view(user)

        return self.command(request_id, action, lambda s, e: user_view(_user(s, user_id)))

    def mark_unreachable(self, user_id: int, at: datetime | None = None, request_id: str | None = None) -> UserView:
        """The sender found it cannot write to this person (blocked the bot, never started)."""

        def action(op: Op) -> UserView:
            user = store.touch_user(op.session, user_id, op.now)
            if user.unreachable_since is None:
                user.unreachable_since, user.updated_at = at or op.now, op.now
                op.record(EventKind.USER_UNREACHABLE, actor_id=user_id)
            return user_view(user)

        return self.command(request_id, action, lambda s, e: user_view(_user(s, user_id)))

    def set_chat_language(
        self, chat_id: int, language: str, by_user_id: int | None = None, request_id: str | None = None
    ) -> ChatView:
        if language not in LANGUAGES:
            raise InvalidSetting(name="language", value=language)
        return self._set_chat(chat_id, "language", language, by_user_id, request_id, EventKind.CHAT_LANGUAGE_SET)

    def set_chat_timezone(
        self, chat_id: int, timezone: str, by_user_id: int | None = None, request_id: str | None = None
    ) -> ChatView:
        """Due times already set stay; new steps are timed in the new zone."""
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidSetting(name="timezone", value=timezone) from exc
        return self._set_chat(chat_id, "timezone", timezone, by_user_id, request_id, EventKind.CHAT_TIMEZONE_SET)

    def _set_chat(
        self, chat_id: int, name: str, value: str, by: int | None, request_id: str | None, kind: EventKind
    ) -> ChatView:
        def action(op: Op) -> ChatView:
            chat = store.touch_chat(op.session, chat_id, op.now, self.default_timezone)
            if by is not None:
                store.touch_user(op.session, by, op.now)
            old = getattr(chat, name)
            if old != value:
                setattr(chat, name, value)
                chat.updated_at = op.now
                op.record(kind, chat_id=chat_id, actor_id=by, old=old, new=value)
            return chat_view(chat)

        def replay(s: Session, _event: object) -> ChatView:
            chat = s.get(Chat, chat_id)
            assert chat is not None
            return chat_view(chat)

        return self.command(request_id, action, replay, (kind.value,))


def _user(s: Session, user_id: int) -> User:
    user = s.get(User, user_id)
    assert user is not None
    return user


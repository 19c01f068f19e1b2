"""People and chats as use cases: who they are, their language and zone, reachability.

``ensure_*`` are upserts called on every update: they write nothing (and take no write
lock) when nothing changed, and write no audit events. The changes that matter to a run
(pressing Start, becoming unreachable, a chat's language or time zone) return whether
anything changed, so the engine records the event and tells whoever is waiting; those
run inside the engine's own transaction (its request-id replay and outbox), the rest
open their own (``Database.transaction``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.engine.errors import InvalidSetting
from bot.engine.views import ChatView, UserView
from storage.db import Database
from storage.models import Chat, User
from storage.repositories.people import PeopleRepository

LANGUAGES = ("id", "en")
V = TypeVar("V", ChatView, UserView)


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


@dataclass(frozen=True)
class Changed(Generic[V]):
    """A use case's result and whether it changed anything (the caller audits only then)."""

    view: V
    changed: bool
    old: str | None = None


def get_chat(db: Database, chat_id: int) -> ChatView | None:
    with db.transaction(readonly=True) as s:
        chat = PeopleRepository(s).chat(chat_id)
        return chat_view(chat) if chat is not None else None


def get_user(db: Database, user_id: int) -> UserView | None:
    with db.transaction(readonly=True) as s:
        user = PeopleRepository(s).user(user_id)
        return user_view(user) if user is not None else None


def ensure_chat(db: Database, chat_id: int, type_: str, title: str | None, now: datetime,
                default_timezone: str) -> ChatView:
    """Record the chat (or refresh its type and title); new chats get the default zone."""
    known = get_chat(db, chat_id)
    if known is not None and (known.type, known.title) == (type_, title):
        return known
    with db.transaction() as s:
        chat = PeopleRepository(s).upsert_chat(chat_id, now, default_timezone, type_)
        if (chat.type, chat.title) != (type_, title):
            chat.type, chat.title, chat.updated_at = type_, title, now
        return chat_view(chat)


def ensure_user(db: Database, user_id: int, first_name: str | None, username: str | None, language: str | None,
                now: datetime) -> UserView:
    """Record the person as Telegram shows them (name, @username, app language)."""
    known = get_user(db, user_id)
    if known is not None and (known.first_name, known.username, known.language) == (first_name, username, language):
        return known
    with db.transaction() as s:
        user = PeopleRepository(s).upsert_user(user_id, now)
        if (user.first_name, user.username, user.language) != (first_name, username, language):
            user.first_name, user.username, user.language = first_name, username, language
            user.updated_at = now
        return user_view(user)


def claim_privacy_notice(db: Database, chat_id: int, now: datetime) -> bool:
    """True exactly once per chat: the caller then tells the group about privacy mode."""
    with db.transaction() as s:
        return PeopleRepository(s).claim_privacy_notice(chat_id, now)


def unclaim_privacy_notice(db: Database, chat_id: int) -> None:
    """The notice could not be sent: let the next command in the chat try again."""
    with db.transaction() as s:
        PeopleRepository(s).unclaim_privacy_notice(chat_id)


def check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidSetting(name="language", value=language)


def check_timezone(timezone: str) -> None:
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidSetting(name="timezone", value=timezone) from exc


def set_chat_setting(people: PeopleRepository, chat_id: int, name: str, value: str, by: int | None,
                     now: datetime, default_timezone: str) -> Changed[ChatView]:
    """Set the chat's "language" or "timezone" (checked by the caller); `old` is what it was."""
    chat = people.upsert_chat(chat_id, now, default_timezone)
    if by is not None:
        people.upsert_user(by, now)
    old = getattr(chat, name)
    if old == value:
        return Changed(chat_view(chat), False, old)
    setattr(chat, name, value)
    chat.updated_at = now
    return Changed(chat_view(chat), True, old)


def start_private(people: PeopleRepository, user_id: int, now: datetime) -> Changed[UserView]:
    """The person pressed Start: reachable from now on (changed only if they were not)."""
    user = people.upsert_user(user_id, now)
    if user.started_private and user.unreachable_since is None:
        return Changed(user_view(user), False)
    user.started_private, user.unreachable_since, user.updated_at = True, None, now
    return Changed(user_view(user), True)


def become_unreachable(people: PeopleRepository, user_id: int, at: datetime, now: datetime) -> Changed[UserView]:
    """The bot cannot write to the person (blocked, never started); the first time counts."""
    user = people.upsert_user(user_id, now)
    if user.unreachable_since is not None:
        return Changed(user_view(user), False)
    user.unreachable_since, user.updated_at = at, now
    return Changed(user_view(user), True)


def chat_as_stored(people: PeopleRepository, chat_id: int) -> ChatView:
    """The chat as it is now (a replayed request answers with this)."""
    chat = people.chat(chat_id)
    assert chat is not None
    return chat_view(chat)


def user_as_stored(people: PeopleRepository, user_id: int) -> UserView:
    user = people.user(user_id)
    assert user is not None
    return user_view(user)

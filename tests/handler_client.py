"""An in-process handler test client: the real Application, no HTTP, no polling.

:func:`handler_client` builds the production Application (``build_application``) whose
``Bot`` talks to a :class:`RecordingRequest` — a ``telegram.request.BaseRequest`` that keeps
every Bot API call and answers it plausibly (a Message with a fresh id for a send, the
edited Message for an edit, ``True`` for the rest, a member's status for getChatMember).
A test builds ``Update`` objects with :meth:`HandlerClient.say`, :meth:`HandlerClient.press`
and :meth:`HandlerClient.send_document`,
which feed them straight into ``application.process_update`` and return the calls the
update caused.

Deterministic by construction:

* updates are processed one at a time, to the end, in the test's order (``process_update``
  bypasses the per-chat update processor and the polling loop);
* the outbox sender's background loop and the deadline scheduler are stopped after
  ``post_init`` (which otherwise runs as in production: schema, seeds, getMe, menu). Instead
  the client **flushes the outbox explicitly** after each update (``Notifier.flush``), so
  the group notices an update queued are in its calls, after the handler's own replies.
  Crash, fault, flood and timing tests stay on the emulator (``bot_fixtures.office``).
"""

from __future__ import annotations

import html
import itertools
import json
import re
import time
from collections.abc import AsyncIterator, Set as AbstractSet
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.config import PROJECT_ROOT, Settings
from handlers.application import build_application
from handlers.transport.pacing import UNLIMITED, TelegramPacer

TOKEN = "123456:TEST-pandu-token-never-real"
BOT_ID = 123456
BOT_USERNAME = "pandu_test_bot"
SENDS = ("sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendAudio", "sendVoice", "sendAnimation",
         "sendSticker", "sendLocation", "sendPoll", "copyMessage")


@dataclass(frozen=True)
class Call:
    """One Bot API request: its method and its parameters (as PTB sent them, JSON-like)."""

    method: str
    params: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def plain(self) -> str:
        """The text as a person reads it: HTML tags gone, entities unescaped."""
        return html.unescape(re.sub(r"<[^>]+>", "", self.text))

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback data) of the inline keyboard sent along."""
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return [(b.get("text", ""), b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class RecordingRequest(BaseRequest):
    """Bot API requests kept in memory and answered the way Telegram would, roughly."""

    admins: dict[int, set[int]] = field(default_factory=dict)  # chat -> its administrators
    privacy_mode: bool = False  # getMe's can_read_all_group_messages is its opposite
    calls: list[Call] = field(default_factory=list)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # file_id -> what getFile's download gives
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1000))  # type: ignore[type-arg]

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a download of what getFile answered
            return 200, self.files[url.rsplit("/", 1)[-1]]
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        self.calls.append(Call(api_method, params))
        return 200, json.dumps({"ok": True, "result": self.answer(api_method, params)}).encode()

    def answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "Pandu", "username": BOT_USERNAME,
                    "can_join_groups": True, "can_read_all_group_messages": not self.privacy_mode,
                    "supports_inline_queries": False}
        if method in SENDS:
            return self.sent(params)
        if method == "sendMediaGroup":
            return [self.sent({"chat_id": params["chat_id"], "caption": m.get("caption")}) for m in params["media"]]
        if method.startswith("editMessage") and "chat_id" in params:
            key = (int(params["chat_id"]), int(params["message_id"]))
            message = self.messages.setdefault(key, self.message(*key))
            message.update({k: v for k, v in params.items() if k in ("text", "caption", "reply_markup")})
            message["edit_date"] = int(time.time())
            return message
        if method == "getChatMember":
            user = int(params["user_id"])
            status = "administrator" if user in self.admins.get(int(params["chat_id"]), set()) else "member"
            extra = {"can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
                     "can_delete_messages": True, "can_manage_video_chats": True, "can_restrict_members": True,
                     "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
                     "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False}
            return {"status": status, "user": {"id": user, "is_bot": False, "first_name": str(user)},
                    **(extra if status == "administrator" else {})}
        if method == "getFile":
            file_id = str(params["file_id"])
            return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(self.files[file_id]),
                    "file_path": f"documents/{file_id}"}
        if method == "getChat":
            chat = int(params["chat_id"])
            return {**chat_dict(chat), "accent_color_id": 0, "max_reaction_count": 11,
                    "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False,
                                            "unique_gifts": False, "premium_subscription": False}}
        return True  # answerCallbackQuery, setMyCommands, deleteMessage, sendChatAction, …

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        return {"message_id": message_id, "date": int(time.time()), "chat": chat_dict(chat_id),
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Pandu", "username": BOT_USERNAME}}

    def sent(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self.message(int(params["chat_id"]), next(self._ids))
        message.update({k: v for k, v in params.items() if k in ("text", "caption", "reply_markup")})
        self.messages[(message["chat"]["id"], message["message_id"])] = message
        return message


def chat_dict(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": str(chat_id)}
    return {"id": chat_id, "type": "supergroup", "title": f"Kantor {-chat_id}"}


@dataclass(frozen=True)
class Person:
    id: int
    first_name: str
    username: str | None = None
    language_code: str = "id"

    def as_dict(self) -> dict[str, Any]:
        user = {"id": self.id, "is_bot": False, "first_name": self.first_name, "language_code": self.language_code}
        return user | ({"username": self.username} if self.username else {})


@dataclass
class HandlerClient:
    """People talking to the real handlers; every Bot API call they cause, recorded."""

    app: Application  # type: ignore[type-arg]
    request: RecordingRequest
    group: int
    _updates: itertools.count = field(default_factory=lambda: itertools.count(1))  # type: ignore[type-arg]
    _messages: itertools.count = field(default_factory=lambda: itertools.count(1))  # type: ignore[type-arg]

    @property
    def engine(self) -> Any:
        return self.app.bot_data.engine

    async def say(self, who: Person, text: str, chat: int | None = None,
                  reply_to: dict[str, Any] | None = None) -> list[Call]:
        """`who` writes `text` in `chat` (the group by default); the calls it caused."""
        chat_id = self.group if chat is None else chat
        message: dict[str, Any] = {"message_id": next(self._messages), "date": int(time.time()),
                                   "chat": chat_dict(chat_id), "from": who.as_dict(), "text": text}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return await self.feed({"update_id": next(self._updates), "message": message})

    async def send_document(self, who: Person, name: str, data: bytes, chat: int | None = None) -> list[Call]:
        """`who` sends the file `name` (private chat by default); getFile and its download answer with `data`."""
        file_id = f"doc{len(self.request.files) + 1}"
        self.request.files[file_id] = data
        chat_id = who.id if chat is None else chat
        document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name, "file_size": len(data)}
        message = {"message_id": next(self._messages), "date": int(time.time()), "chat": chat_dict(chat_id),
                   "from": who.as_dict(), "document": document}
        return await self.feed({"update_id": next(self._updates), "message": message})

    async def press(self, who: Person, call: Call, label: str) -> list[Call]:
        """`who` presses the button labelled `label` (a part of it) under the message `call` sent."""
        data = next(d for text, d in call.buttons() if label in text)
        return await self.press_data(who, self.sent_message(call), data)

    async def press_data(self, who: Person, message: dict[str, Any], data: str) -> list[Call]:
        query = {"id": str(next(self._updates)), "from": who.as_dict(), "chat_instance": "ci",
                 "data": data, "message": message}
        return await self.feed({"update_id": next(self._updates), "callback_query": query})

    def sent_message(self, call: Call) -> dict[str, Any]:
        """The Message the bot's `call` made, as a later update quotes it (reply, button press)."""
        index = self.request.calls.index(call)
        found = [m for m in self.request.messages.values()
                 if m["chat"]["id"] == call.chat_id and m.get("text", m.get("caption")) == call.params.get(
                     "text", call.params.get("caption"))]
        assert found, f"call #{index} sent no message"
        return found[-1]

    async def feed(self, data: dict[str, Any]) -> list[Call]:
        """Process one update to the end, then flush the outbox; the calls made meanwhile."""
        start = len(self.request.calls)
        await self.app.process_update(Update.de_json(data, self.app.bot))
        await self.app.bot_data.notifier.flush()
        return self.request.calls[start:]

    def sent(self, chat: int | None = None, method: str | None = None) -> list[Call]:
        """Every call so far to `chat` (the group by default), optionally of one `method`."""
        chat_id = self.group if chat is None else chat
        return [c for c in self.request.calls if c.chat_id == chat_id and (method is None or c.method == method)]


def client_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": SecretStr(TOKEN), "database_url": database_url, "sop_dir": PROJECT_ROOT / "sop_data",
        "default_language": "id", "default_timezone": "Asia/Pontianak", "undo_window_minutes": 10, "run_starters": "admins",
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


@asynccontextmanager
async def handler_client(database_url: str, group: int = -100777, admins: AbstractSet[int] = frozenset(),
                         **overrides: Any) -> AsyncIterator[HandlerClient]:
    """A client for the real Application on `database_url`; `admins` administer `group`."""
    request = RecordingRequest(admins={group: set(admins)})
    app = build_application(client_settings(database_url, **overrides), request=request,
                            rate_limiter=TelegramPacer(overall_rate=0, limits=UNLIMITED, max_retries=0))
    await app.initialize()
    try:
        assert app.post_init is not None
        await app.post_init(app)
        await app.bot_data.nags.stop()  # no deadline ticks: a test's clock is its own
        await app.bot_data.notifier.stop()  # no background loop: feed() flushes the outbox
        request.calls.clear()  # getMe and the command menu are start-up's, not the test's
        yield HandlerClient(app, request, group)
    finally:
        await app.shutdown()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)

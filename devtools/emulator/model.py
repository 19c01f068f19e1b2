"""The emulator's plain data objects: people, bots, chats, files, messages and logs.

Everything a test wants to assert on is one of these, so tests never have to
parse HTTP traffic.  JSON rendering mirrors what Telegram really sends, because
PTB's ``de_json`` (and the bot's handlers) must not be able to tell the
emulator from the real Bot API.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import NamedTuple

from devtools.emulator.errors import JSON

# Update types Telegram delivers when the bot never asked for a specific list.
DEFAULT_UPDATES = frozenset(
    {"message", "edited_message", "channel_post", "edited_channel_post",
     "callback_query", "my_chat_member", "inline_query", "poll", "poll_answer"}
)


# ---------------------------------------------------------------- people and chats
@dataclass(eq=False)
class User:
    """A Telegram account; the test holds these to act as a person."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_json(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass(eq=False)
class BotAccount(User):
    """A bot served by the emulator: its own identity, update queue and settings."""

    token: str = ""
    next_update_id: int = 1000
    updates: list[tuple[int, str, JSON]] = field(default_factory=list)
    allowed_updates: frozenset[str] = DEFAULT_UPDATES
    webhook: JSON = field(default_factory=dict)
    commands: dict[tuple[str, int | None, int | None, str], list[JSON]] = field(default_factory=dict)
    started: set[int] = field(default_factory=set)
    blocked: set[int] = field(default_factory=set)
    #: Telegram's privacy mode (@BotFather /setprivacy): in groups where the bot is no admin
    #: it receives only commands and replies to its own messages. Off here by default.
    privacy_mode: bool = False
    poll_waiter: asyncio.Future[str] | None = None
    #: Set while updates go to a webhook (:mod:`devtools.emulator.webhook`): woken on each new one.
    webhook_wake: asyncio.Event | None = None

    def wake_poller(self, reason: str) -> None:
        """Finish a pending long poll; used for new updates, conflicts and shutdown."""
        if self.poll_waiter is not None and not self.poll_waiter.done():
            self.poll_waiter.set_result(reason)
        if self.webhook_wake is not None:
            self.webhook_wake.set()


@dataclass(eq=False)
class Chat:
    """A group, supergroup or channel; private chats wrap a :class:`User`."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    user: User | None = None
    members: dict[int, str] = field(default_factory=dict)  # user id -> ChatMember status

    def to_json(self) -> JSON:
        if self.user is not None:
            data = {k: v for k, v in self.user.to_json().items() if k in ("first_name", "last_name", "username")}
            return {"id": self.id, "type": "private", **data}
        data = {"id": self.id, "type": self.type, "title": self.title}
        return data | ({"username": self.username} if self.username else {})

    def status_of(self, user: User) -> str:
        """Bots count as plain members unless configured; people must be added explicitly."""
        if self.user is not None:
            return "member" if user.id == self.user.id or isinstance(user, BotAccount) else "left"
        return self.members.get(user.id, "member" if isinstance(user, BotAccount) else "left")


@dataclass(eq=False)
class StoredFile:
    """Uploaded bytes, addressable by file_id (API) and file_path (download URL)."""

    file_id: str
    file_unique_id: str
    data: bytes
    file_name: str | None
    mime_type: str | None
    file_path: str
    #: The size Telegram reports, when a test wants a big file without sending its bytes.
    reported_size: int | None = None

    @property
    def size(self) -> int:
        return self.reported_size if self.reported_size is not None else len(self.data)

    def as_document(self) -> JSON:
        doc: JSON = {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                     "file_size": self.size}
        if self.file_name:
            doc["file_name"] = self.file_name
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        return doc

    def as_photo(self) -> list[JSON]:
        return [{"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                 "width": 800, "height": 600, "file_size": len(self.data)}]


class Button(NamedTuple):
    text: str
    callback_data: str | None
    url: str | None


@dataclass(eq=False)
class Msg:
    """One message as stored in a chat, with its edit history."""

    chat: Chat
    message_id: int
    sender: User | None
    date: int
    text: str | None = None
    entities: list[JSON] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[JSON] = field(default_factory=list)
    raw_text: str | None = None  # what the bot sent, before HTML parsing
    parse_mode: str | None = None
    reply_markup: JSON | None = None
    reply_to: Msg | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    sender_chat: Chat | None = None
    edit_date: int | None = None
    extra: JSON = field(default_factory=dict)
    history: list[JSON] = field(default_factory=list)  # earlier versions, oldest first
    deleted: bool = False
    bot_id: int = 0  # which bot's private thread this belongs to (0 for shared chats)

    @property
    def from_bot(self) -> bool:
        return isinstance(self.sender, BotAccount)

    @property
    def buttons(self) -> list[list[Button]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[Button(b.get("text", ""), b.get("callback_data"), b.get("url")) for b in row] for row in rows]

    @property
    def callback_data(self) -> list[str]:
        return [b.callback_data for row in self.buttons for b in row if b.callback_data is not None]

    def button(self, text: str) -> Button:
        """Find a button by its label (exact, then substring) so tests read like a user."""
        flat = [b for row in self.buttons for b in row]
        for match in ([b for b in flat if b.text == text], [b for b in flat if text in b.text]):
            if match:
                return match[0]
        raise KeyError(f"no button {text!r} in message {self.message_id}: {[b.text for b in flat]}")

    def snapshot(self) -> JSON:
        return {"text": self.text, "entities": list(self.entities), "caption": self.caption,
                "reply_markup": self.reply_markup, "edit_date": self.edit_date}

    def to_json(self, nested: bool = True) -> JSON:
        data: JSON = {"message_id": self.message_id, "date": self.date, "chat": self.chat.to_json()}
        if self.sender is not None:
            data["from"] = self.sender.to_json()
        if self.sender_chat is not None:
            data["sender_chat"] = self.sender_chat.to_json()
        if nested and self.reply_to is not None:
            data["reply_to_message"] = self.reply_to.to_json(nested=False)
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = self.entities
        if self.document is not None:
            data["document"] = self.document.as_document()
        if self.photo is not None:
            data["photo"] = self.photo.as_photo()
        if self.caption is not None:
            data["caption"] = self.caption
            if self.caption_entities:
                data["caption_entities"] = self.caption_entities
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        return data | self.extra

    def to_control_json(self) -> JSON:
        """Flat view for the HTTP control side (tests in another process)."""
        return {**self.to_json(), "bot_id": self.bot_id, "from_bot": self.from_bot,
                "raw_text": self.raw_text, "deleted": self.deleted, "history": self.history,
                "buttons": [[b._asdict() for b in row] for row in self.buttons]}


@dataclass
class CallbackAnswer:
    """What answerCallbackQuery showed the person (toast or alert)."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    user_id: int
    data: str | None


@dataclass
class BotEvent:
    """Something a bot did to a chat; the ordered log behind sent_to/wait_for_message."""

    seq: int
    kind: str  # "send" | "edit" | "delete"
    message: Msg


@dataclass
class RequestRecord:
    """A Bot API call as seen by the server, without the token."""

    method: str
    bot_id: int | None
    status: int
    params: JSON
    at: float


"""The emulator's in-memory world: people, chats, messages, files and update queues.

Everything a test wants to assert on lives here as plain objects, so tests never
have to parse HTTP traffic.  JSON rendering mirrors what Telegram really sends,
because PTB's ``de_json`` (and the bot's handlers) must not be able to tell the
emulator from the real Bot API.
"""

from __future__ import annotations

import asyncio
import bisect
import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

JSON = dict[str, Any]
# Update types Telegram delivers when the bot never asked for a specific list.
DEFAULT_UPDATES = frozenset(
    {"message", "edited_message", "channel_post", "edited_channel_post",
     "callback_query", "my_chat_member", "inline_query", "poll", "poll_answer"}
)


class ApiError(Exception):
    """A Bot API error; raised deep inside the model so validation stays next to the data."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after

    def to_json(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def utf16_len(text: str) -> int:
    """Telegram measures offsets and limits in UTF-16 code units, not code points."""
    return len(text.encode("utf-16-le")) // 2


# ---------------------------------------------------------------- entities
_AUTO_ENTITY = re.compile(
    r"(?P<bot_command>(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![/\w@]))"
    r"|(?P<mention>(?<![\w@])@[A-Za-z0-9_]{5,32})|(?P<url>https?://[^\s<>\"]+)"
)


def auto_entities(text: str) -> list[JSON]:
    """Entities the Telegram client/server attach to what a person types."""
    return [
        {"type": m.lastgroup, "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())}
        for m in _AUTO_ENTITY.finditer(text)
    ]


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>")
_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_ENTITY_REF = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_HTML_TAGS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
              "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
              "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler", "code": "code",
              "pre": "pre", "a": "text_link", "blockquote": "blockquote",
              "tg-emoji": "custom_emoji"}


def _bad_html(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


def parse_html(source: str) -> tuple[str, list[JSON]]:
    """Parse Telegram's HTML subset; strict on tags because Telegram rejects the whole message."""
    out: list[str] = []
    stack: list[tuple[str, JSON, int]] = []  # (tag, entity, start offset)
    entities: list[JSON] = []
    length = pos = 0

    def emit(chunk: str) -> None:
        nonlocal length
        if "<" in chunk:
            where = len(source[: pos + chunk.index("<")].encode())
            raise _bad_html(f"Unsupported start tag at byte offset {where}")
        text = _ENTITY_REF.sub(lambda m: html.unescape(m.group()), chunk)
        out.append(text)
        length += utf16_len(text)

    for m in _TAG.finditer(source):
        emit(source[pos:m.start()])
        pos = m.end()
        closing, tag, attrs = m.group(1) == "/", m.group(2).lower(), m.group(3)
        offset = len(source[: m.start()].encode())
        if closing:
            if not stack or stack[-1][0] != tag:
                want = f'"</{stack[-1][0]}>"' if stack else "nothing"
                raise _bad_html(f'Unmatched end tag at byte offset {offset}, expected {want}, found "</{tag}>"')
            _tag, entity, start = stack.pop()
            parent = stack[-1] if stack else None
            if tag == "code" and parent and parent[0] == "pre":
                if "language" in entity:
                    parent[1]["language"] = entity["language"]
                continue
            if length > start:
                entities.append({**entity, "offset": start, "length": length - start})
            continue
        kind = _HTML_TAGS.get(tag)
        values = {a.group(1).lower(): next((g for g in a.groups()[1:] if g is not None), "")
                  for a in _ATTR.finditer(attrs)}
        if kind is None or (tag == "span" and values.get("class") != "tg-spoiler"):
            raise _bad_html(f'Unsupported start tag "{tag}" at byte offset {offset}')
        entity: JSON = {"type": kind}
        if tag == "a":
            entity["url"] = values.get("href", "")
        elif tag == "code" and values.get("class", "").startswith("language-"):
            entity["language"] = values["class"].removeprefix("language-")
        elif tag == "blockquote" and "expandable" in values:
            entity["type"] = "expandable_blockquote"
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = values.get("emoji-id", "")
        stack.append((tag, entity, length))
    emit(source[pos:])
    if stack:
        raise _bad_html(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


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
    poll_waiter: asyncio.Future[str] | None = None

    def wake_poller(self, reason: str) -> None:
        """Finish a pending long poll; used for new updates, conflicts and shutdown."""
        if self.poll_waiter is not None and not self.poll_waiter.done():
            self.poll_waiter.set_result(reason)


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

    def as_document(self) -> JSON:
        doc: JSON = {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                     "file_size": len(self.data)}
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


class EmulatorState:
    """Registry plus per-chat message threads, per-bot update queues and an event log."""

    def __init__(self) -> None:
        self.bots: dict[str, BotAccount] = {}
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.threads: dict[tuple[int, int], list[Msg]] = {}
        self.files: dict[str, StoredFile] = {}
        self.queries: dict[str, tuple[BotAccount, Msg, User, str | None]] = {}
        self.callback_answers: list[CallbackAnswer] = []
        self.events: list[BotEvent] = []
        self.request_log: list[RequestRecord] = []
        self.action_seq = 0  # event seq at the moment of the latest person action
        self._counter = 0
        self._signal = asyncio.Event()

    def reset(self) -> None:
        """Forget the world but keep bots, so a running bot process keeps its token and offsets."""
        bots, counter = self.bots, self._counter
        self.__init__()  # type: ignore[misc]
        self.bots, self._counter = bots, counter  # ids stay unique across resets
        for bot in bots.values():
            bot.updates.clear()
            bot.started.clear()
            bot.blocked.clear()
            bot.commands.clear()
            self.users[bot.id] = bot

    def next_id(self) -> int:
        self._counter += 1
        return self._counter

    # -------------------------------------------------------------- lookups
    def chat(self, chat_id: int | str) -> Chat:
        """Resolve chat_id as the API does (numeric id or @username); private chats are users."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == chat_id[1:].lower():
                    return chat
            raise ApiError(400, "Bad Request: chat not found")
        try:
            cid = int(chat_id)
        except ValueError:
            raise ApiError(400, "Bad Request: chat not found") from None
        if cid in self.chats:
            return self.chats[cid]
        user = self.users.get(cid)
        if user is None or cid < 0:
            raise ApiError(400, "Bad Request: chat not found")
        chat = Chat(id=cid, type="private", user=user)
        self.chats[cid] = chat
        return chat

    def thread(self, chat: Chat, bot: BotAccount | None) -> list[Msg]:
        """Private chats are per (bot, user); groups share one message sequence."""
        key = (bot.id if chat.user is not None and bot is not None else 0, chat.id)
        return self.threads.setdefault(key, [])

    def find_message(self, chat: Chat, bot: BotAccount | None, message_id: int) -> Msg | None:
        for msg in self.thread(chat, bot):
            if msg.message_id == message_id and not msg.deleted:
                return msg
        return None

    def add_message(self, chat: Chat, bot: BotAccount | None, sender: User | None, **fields: Any) -> Msg:
        thread = self.thread(chat, bot)
        message_id = thread[-1].message_id + 1 if thread else 1
        msg = Msg(chat=chat, message_id=message_id, sender=sender, date=int(time.time()),
                  bot_id=bot.id if chat.user is not None and bot is not None else 0, **fields)
        thread.append(msg)
        return msg

    def new_file(self, data: bytes, file_name: str | None, mime_type: str | None, folder: str) -> StoredFile:
        n = self.next_id()
        ext = (file_name or "").rpartition(".")[2] if file_name and "." in file_name else "bin"
        stored = StoredFile(f"F{n:06d}-{folder}", f"U{n:06d}", data, file_name, mime_type,
                            f"{folder}/file_{n}.{ext}")
        self.files[stored.file_id] = stored
        return stored

    # -------------------------------------------------------------- update queues
    def recipients(self, chat: Chat, bot: BotAccount | None) -> list[BotAccount]:
        """Bots that see a message in ``chat`` (the addressed bot for private chats)."""
        if bot is not None:
            return [bot]
        return [b for b in self.bots.values() if chat.status_of(b) not in ("left", "kicked")]

    def enqueue(self, bot: BotAccount, kind: str, payload: JSON) -> int | None:
        if kind not in bot.allowed_updates:
            return None
        update_id = bot.next_update_id
        bot.next_update_id += 1
        bot.updates.append((update_id, kind, payload))
        bot.wake_poller("update")
        return update_id

    def confirm(self, bot: BotAccount, offset: int | None) -> None:
        """Telegram semantics: offset confirms every update below it; negative keeps the tail."""
        if offset is None or offset == 0:
            return
        if offset < 0:
            del bot.updates[: max(0, len(bot.updates) + offset)]
        else:
            bot.updates[:] = [u for u in bot.updates if u[0] >= offset]

    # -------------------------------------------------------------- bot events and waiting
    def record(self, kind: str, msg: Msg) -> BotEvent:
        event = BotEvent(self.next_id(), kind, msg)
        self.events.append(event)
        self._signal.set()
        self._signal = asyncio.Event()
        return event

    def mark_action(self) -> int:
        self.action_seq = self._counter
        return self.action_seq

    async def wait_event(self, match: Callable[[BotEvent], bool], after: int, timeout: float) -> BotEvent:
        """Return the first matching event newer than ``after``; sleeps only on the signal."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for event in self.events[bisect.bisect_right(self.events, after, key=lambda e: e.seq):]:
                if match(event):
                    return event
            after = max(after, self.events[-1].seq) if self.events else after
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no matching bot message within {timeout}s")
            signal = self._signal
            try:
                await asyncio.wait_for(signal.wait(), remaining)
            except TimeoutError:
                pass

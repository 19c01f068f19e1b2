"""A local Telegram Bot API emulator for end-to-end tests, demos, crash tests and benchmarks.

The bot under test talks real HTTP to it (point PTB's ``base_url``/``base_file_url``
at :attr:`BotApiEmulator.base_url`), while tests act as people through the
async methods below, or through ``/_control/...`` when the bot runs in another
process.  Nothing here ever contacts api.telegram.org.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

from bot.emulator.faults import FaultConfig, Faults, FloodConfig, Stats
from bot.emulator.server import BotApi, EmulatorServer
from bot.emulator.state import (
    JSON, ApiError, BotAccount, BotEvent, Button, CallbackAnswer, Chat, EmulatorState, Msg,
    RequestRecord, StoredFile, User, auto_entities,
)

__all__ = ["ApiError", "BotAccount", "BotApiEmulator", "Button", "CallbackAnswer", "Chat",
           "FaultConfig", "Faults", "FloodConfig", "Msg", "RequestRecord", "Stats", "StoredFile", "User"]

ChatRef = Chat | User | int
Predicate = Callable[[Msg], bool] | str | None


class BotApiEmulator:
    """Facade tests use: lifecycle, people and chats, person actions, observations."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.state = EmulatorState()
        self.faults = Faults(clock)
        self.api = BotApi(self.state, self.faults)
        self.server = EmulatorServer(self.api, self.control, host, port)
        self.host = host
        self._cursor: dict[tuple[str, int], int] = {}

    # ---------------------------------------------------------------- lifecycle
    async def start(self) -> BotApiEmulator:
        await self.server.start()
        return self

    async def stop(self) -> None:
        await self.server.stop()

    async def __aenter__(self) -> BotApiEmulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def control_url(self) -> str:
        return f"http://{self.host}:{self.port}/_control"

    # ---------------------------------------------------------------- world setup
    def register_bot(self, token: str, username: str = "emulated_bot", first_name: str | None = None) -> BotAccount:
        """Each token gets its own bot user (id = the token's numeric prefix) and update queue."""
        if token in self.state.bots:
            return self.state.bots[token]
        bot_id = int(token.split(":")[0]) if token.split(":")[0].isdigit() else 10**9 + len(self.state.bots)
        bot = BotAccount(id=bot_id, first_name=first_name or username, username=username, is_bot=True, token=token)
        self.state.bots[token] = bot
        self.state.users[bot.id] = bot
        return bot

    def add_user(self, user_id: int, first_name: str, *, username: str | None = None,
                 last_name: str | None = None, language_code: str | None = None, is_bot: bool = False) -> User:
        user = User(user_id, first_name, last_name, username, language_code, is_bot)
        self.state.users[user_id] = user
        if user_id in self.state.chats:  # re-added person: keep their private chat in sync
            self.state.chats[user_id].user = user
        return user

    def add_group(self, chat_id: int, title: str, members: Iterable[User] = (), admins: Iterable[User] = (),
                  creator: User | None = None, *, username: str | None = None, type: str | None = None) -> Chat:
        """Admins and the creator are members too; ``-100…`` ids default to supergroups."""
        kind = type or ("supergroup" if str(chat_id).startswith("-100") else "group")
        chat = Chat(chat_id, kind, title, username)
        chat.members.update({u.id: "member" for u in members})
        chat.members.update({u.id: "administrator" for u in admins})
        if creator is not None:
            chat.members[creator.id] = "creator"
        self.state.chats[chat_id] = chat
        return chat

    def add_channel(self, chat_id: int, title: str, *, username: str | None = None,
                    admins: Iterable[User] = ()) -> Chat:
        return self.add_group(chat_id, title, admins=admins, username=username, type="channel")

    def set_member(self, chat: ChatRef, user: User, status: str) -> None:
        """Change membership (member/administrator/creator/restricted/left/kicked) at runtime."""
        self._chat(chat).members[user.id] = status

    def block(self, user: User, blocked: bool = True, bot: BotAccount | str | int | None = None) -> None:
        """The user blocks (or unblocks) the bot: sends then fail with 403."""
        for b in [self._bot(bot)] if bot is not None else self.state.bots.values():
            (b.blocked.add if blocked else b.blocked.discard)(user.id)

    # ---------------------------------------------------------------- people act
    async def send_text(self, user: User, chat: ChatRef, text: str, *, reply_to: Msg | int | None = None,
                        bot: BotAccount | str | int | None = None, entities: list[JSON] | None = None) -> Msg:
        """Deliver a typed message; commands get bot_command entities like a real client adds."""
        return self._deliver(user, chat, bot, reply_to, text=text,
                             entities=auto_entities(text) if entities is None else entities)

    async def reply(self, user: User, chat: ChatRef, to: Msg | int, text: str, **kwargs: Any) -> Msg:
        return await self.send_text(user, chat, text, reply_to=to, **kwargs)

    async def send_document(self, user: User, chat: ChatRef, filename: str, data: bytes,
                            caption: str | None = None, reply_to: Msg | int | None = None, *,
                            mime_type: str | None = None, bot: BotAccount | str | int | None = None) -> Msg:
        stored = self.state.new_file(data, filename, mime_type or "application/octet-stream", "documents")
        return self._deliver(user, chat, bot, reply_to, document=stored, caption=caption,
                             caption_entities=auto_entities(caption or ""))

    async def send_photo(self, user: User, chat: ChatRef, data: bytes, caption: str | None = None,
                         reply_to: Msg | int | None = None, *, bot: BotAccount | str | int | None = None) -> Msg:
        stored = self.state.new_file(data, None, "image/jpeg", "photos")
        return self._deliver(user, chat, bot, reply_to, photo=stored, caption=caption,
                             caption_entities=auto_entities(caption or ""))

    async def edit_text(self, user: User, chat: ChatRef, message: Msg, new_text: str) -> Msg:
        """The person edits their own message; bots receive an ``edited_message`` update."""
        if message.sender is not user:
            raise PermissionError("people can only edit their own messages")
        message.history.append(message.snapshot())
        message.text, message.entities, message.edit_date = new_text, auto_entities(new_text), int(time.time())
        self._broadcast(message.chat, self._thread_bot(message.chat, message.bot_id), "edited_message", message)
        return message

    async def post_channel(self, chat: ChatRef, text: str) -> Msg:
        channel = self._chat(chat)
        msg = self.state.add_message(channel, None, None, text=text, entities=auto_entities(text), sender_chat=channel)
        self._broadcast(channel, None, "channel_post", msg)
        return msg

    async def press(self, user: User, message: Msg, data: str | None = None, *, text: str | None = None,
                    check: bool = True) -> str:
        """Press an inline button; returns the CallbackQuery id to look up the bot's answer."""
        if not isinstance(message.sender, BotAccount):
            raise ValueError("only buttons on bot messages can be pressed")
        if message.deleted:
            raise ValueError(f"message {message.message_id} was deleted")
        if text is not None:
            data = message.button(text).callback_data
        if check and data not in message.callback_data:
            raise ValueError(f"no button with data {data!r}; buttons: {message.callback_data}")
        self._check_can_write(user, message.chat)
        query_id = str(7_000_000_000 + self.state.next_id())
        bot = message.sender
        self.state.queries[query_id] = (bot, message, user, data)
        payload = {"id": query_id, "from": user.to_json(), "message": message.to_json(),
                   "chat_instance": str(abs(hash((bot.id, message.chat.id)))), "data": data}
        self.state.mark_action()
        self.state.enqueue(bot, "callback_query", payload)
        return query_id

    # ---------------------------------------------------------------- observe the bot
    def sent_to(self, chat: ChatRef, *, bot: BotAccount | str | int | None = None) -> list[Msg]:
        """Messages bots sent to ``chat`` in send order (current state, edits in ``history``)."""
        target, only = self._chat(chat), self._bot(bot) if bot is not None else None
        return [e.message for e in self.state.events if e.kind == "send" and e.message.chat is target
                and (only is None or e.message.sender is only)]

    def messages(self, chat: ChatRef, bot: BotAccount | str | int | None = None) -> list[Msg]:
        """Whole thread (people and bots); private chats are per bot."""
        return list(self.state.thread(self._chat(chat), self._bot(bot)))

    def mark(self) -> int:
        """A position in the bot event log, for ``since=`` in the wait helpers."""
        return self.state.next_id()

    async def wait_for_message(self, chat: ChatRef, predicate: Predicate = None, timeout: float = 5.0,
                               *, since: int | None = None) -> Msg:
        """Next bot message in ``chat`` sent after the latest person action (or ``since``).

        Consecutive calls return consecutive messages; a str predicate is a substring match.
        """
        return await self._wait("send", self._chat(chat), predicate, timeout, since)

    async def wait_for_edit(self, chat: ChatRef, predicate: Predicate = None, timeout: float = 5.0,
                            *, since: int | None = None) -> Msg:
        return await self._wait("edit", self._chat(chat), predicate, timeout, since)

    async def wait_for_callback_answer(self, query_id: str, timeout: float = 5.0) -> CallbackAnswer:
        def answered(_: BotEvent) -> bool:
            return any(a.query_id == query_id for a in self.state.callback_answers)
        await self.state.wait_event(answered, -1, timeout)
        return next(a for a in self.state.callback_answers if a.query_id == query_id)

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        return self.state.callback_answers

    @property
    def commands(self) -> dict[tuple[str, int | None, int | None, str], list[JSON]]:
        """setMyCommands of the only bot, keyed by (scope type, chat_id, user_id, language_code)."""
        return self._bot(None).commands

    def commands_for(self, scope: str = "default", language_code: str = "", *, chat_id: int | None = None,
                     user_id: int | None = None, bot: BotAccount | str | int | None = None) -> list[str]:
        return [c["command"] for c in self._bot(bot).commands.get((scope, chat_id, user_id, language_code), [])]

    @property
    def request_log(self) -> list[RequestRecord]:
        return self.state.request_log

    @property
    def stats(self) -> Stats:
        return self.faults.stats

    def reset(self) -> None:
        """Clear people, chats, messages, logs and faults; keep bots so their pollers survive."""
        self.state.reset()
        self.faults.reset()
        self._cursor.clear()

    # ---------------------------------------------------------------- control over HTTP
    async def control(self, op: str, a: JSON) -> Any:
        """``/_control/<op>``: the same operations for a bot (and test) in another process."""
        bot = a.get("bot")
        match op:
            case "register_bot":
                return self.register_bot(a["token"], a.get("username", "emulated_bot"), a.get("first_name")).to_json()
            case "add_user":
                return self.add_user(int(a["id"]), a.get("first_name", "User"), username=a.get("username"),
                                     last_name=a.get("last_name"), language_code=a.get("language_code"),
                                     is_bot=bool(a.get("is_bot", False))).to_json()
            case "add_group" | "add_channel":
                users = {k: [self._user(i) for i in a.get(k, [])] for k in ("members", "admins")}
                creator = self._user(a["creator"]) if a.get("creator") is not None else None
                return self.add_group(int(a["id"]), a["title"], users["members"], users["admins"], creator,
                                      username=a.get("username"),
                                      type="channel" if op == "add_channel" else a.get("type")).to_json()
            case "set_member":
                return self.set_member(int(a["chat_id"]), self._user(a["user_id"]), a["status"])
            case "block":
                return self.block(self._user(a["user_id"]), bool(a.get("blocked", True)), bot)
            case "send_text":
                return (await self.send_text(self._user(a["user_id"]), int(a["chat_id"]), a["text"],
                                             reply_to=a.get("reply_to_message_id"), bot=bot)).to_control_json()
            case "send_document" | "send_photo":
                user, data = self._user(a["user_id"]), base64.b64decode(a["data_base64"])
                msg = await (self.send_document(user, int(a["chat_id"]), a.get("filename", "file.bin"), data,
                                                a.get("caption"), a.get("reply_to_message_id"), bot=bot)
                             if op == "send_document" else
                             self.send_photo(user, int(a["chat_id"]), data, a.get("caption"),
                                             a.get("reply_to_message_id"), bot=bot))
                return msg.to_control_json()
            case "press":
                msg = self._find(int(a["chat_id"]), int(a["message_id"]), bot)
                return {"callback_query_id": await self.press(self._user(a["user_id"]), msg, a.get("data"),
                                                              text=a.get("button"))}
            case "edit_text":
                user = self._user(a["user_id"])
                msg = self._find(int(a["chat_id"]), int(a["message_id"]), bot)
                return (await self.edit_text(user, int(a["chat_id"]), msg, a["text"])).to_control_json()
            case "post_channel":
                return (await self.post_channel(int(a["chat_id"]), a["text"])).to_control_json()
            case "sent":
                return [m.to_control_json() for m in self.sent_to(int(a["chat_id"]), bot=bot)]
            case "wait_for_message":
                since = int(a["since"]) if a.get("since") is not None else None
                msg = await self.wait_for_message(int(a["chat_id"]), a.get("contains"),
                                                  float(a.get("timeout", 5.0)), since=since)
                return msg.to_control_json()
            case "callback_answers":
                return [asdict(x) for x in self.callback_answers]
            case "commands":
                return [{"scope": k[0], "chat_id": k[1], "user_id": k[2], "language_code": k[3], "commands": v}
                        for b in self.state.bots.values() for k, v in b.commands.items()]
            case "stats":
                return self.stats.as_dict()
            case "requests":
                return [asdict(r) for r in self.request_log]
            case "faults":
                return self._control_faults(a)
            case "mark":
                return self.mark()
            case "reset":
                return self.reset()
        raise KeyError(f"unknown control operation {op!r}")

    def _control_faults(self, a: JSON) -> JSON:
        keys = ("probability", "weights", "retry_after", "hold_seconds", "methods")
        self.faults.configure(**{k: a[k] for k in keys if k in a}, seed=a.get("seed", 0))
        flood = a.get("flood")
        if flood is not None:
            self.faults.set_flood_limits(**flood) if isinstance(flood, dict) else self.faults.set_flood_limits(
                str(flood).lower() in ("1", "true"))
        cfg = asdict(self.faults.config) | {"methods": sorted(self.faults.config.methods or [])}
        return {"faults": cfg, "flood": asdict(self.faults.flood)}

    # ---------------------------------------------------------------- internals
    def _bot(self, ref: BotAccount | str | int | None) -> BotAccount:
        bots = list(self.state.bots.values())
        if isinstance(ref, BotAccount):
            return ref
        if ref is None:
            if len(bots) != 1:
                raise ValueError(f"{len(bots)} bots registered; say which one with bot=")
            return bots[0]
        for b in bots:
            if str(ref) in (str(b.id), b.username, b.token):
                return b
        raise KeyError(f"unknown bot {ref!r}")

    def _user(self, ref: User | int | str) -> User:
        return ref if isinstance(ref, User) else self.state.users[int(ref)]

    def _chat(self, ref: ChatRef) -> Chat:
        if isinstance(ref, Chat):
            return ref
        return self.state.chat(ref.id if isinstance(ref, User) else ref)

    def _thread_bot(self, chat: Chat, bot_id: int) -> BotAccount | None:
        return next((b for b in self.state.bots.values() if b.id == bot_id), None) if chat.user else None

    def _find(self, chat: ChatRef, message_id: int, bot: BotAccount | str | int | None) -> Msg:
        target = self._chat(chat)
        found = self.state.find_message(target, self._bot(bot) if target.user else None, message_id)
        if found is None:
            raise KeyError(f"message {message_id} not found in chat {target.id}")
        return found

    def _check_can_write(self, user: User, chat: Chat) -> None:
        if chat.user is None and chat.status_of(user) in ("left", "kicked"):
            raise PermissionError(f"user {user.id} is not a member of chat {chat.id}")
        if chat.user is not None and chat.user is not user:
            raise PermissionError(f"user {user.id} cannot write in {chat.user.id}'s private chat")

    def _deliver(self, user: User, chat_ref: ChatRef, bot_ref: BotAccount | str | int | None,
                 reply_to: Msg | int | None, **fields: Any) -> Msg:
        """Store a person's message and enqueue it for every bot that can see it."""
        chat = self._chat(chat_ref)
        self._check_can_write(user, chat)
        bot = self._bot(bot_ref) if chat.user is not None else None
        if isinstance(reply_to, int):
            reply_to = self.state.find_message(chat, bot, reply_to)
        if bot is not None:  # writing to a bot in private "starts" (and unblocks) it
            bot.started.add(user.id)
            bot.blocked.discard(user.id)
        msg = self.state.add_message(chat, bot, user, reply_to=reply_to, **fields)
        self._broadcast(chat, bot, "channel_post" if chat.type == "channel" else "message", msg)
        return msg

    def _broadcast(self, chat: Chat, bot: BotAccount | None, kind: str, msg: Msg) -> None:
        self.state.mark_action()
        payload = msg.to_json()
        for recipient in self.state.recipients(chat, bot):
            self.state.enqueue(recipient, kind, payload)

    async def _wait(self, kind: str, chat: Chat, predicate: Predicate, timeout: float, since: int | None) -> Msg:
        key = (kind, chat.id)
        after = since if since is not None else max(self.state.action_seq, self._cursor.get(key, 0))
        test = (lambda m: predicate in (m.text or m.caption or "")) if isinstance(predicate, str) else predicate

        def match(event: BotEvent) -> bool:
            return event.kind == kind and event.message.chat is chat and (test is None or test(event.message))
        try:
            event = await self.state.wait_event(match, after, timeout)
        except TimeoutError:
            seen = [(m.text or m.caption or "")[:80] for m in self.sent_to(chat)][-5:]
            raise TimeoutError(f"no bot {kind} matching in chat {chat.id} within {timeout}s; "
                               f"last sent: {seen}") from None
        self._cursor[key] = event.seq
        return event.message

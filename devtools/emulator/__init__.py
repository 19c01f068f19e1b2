"""A local Telegram Bot API emulator for end-to-end tests, demos, crash tests and benchmarks.

The bot under test talks real HTTP to it (point PTB's ``base_url``/``base_file_url``
at :attr:`BotApiEmulator.base_url`), while tests act as people through the
async methods below, or through ``/_control/...`` when the bot runs in another
process.  Nothing here ever contacts api.telegram.org.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from devtools.emulator.control import run_control
from devtools.emulator.faults import FaultConfig, Faults, FloodConfig, Stats
from devtools.emulator.markup import auto_entities  # noqa: F401  (re-exported)
from devtools.emulator.people import PeopleActions
from devtools.emulator.refs import BotRef, ChatRef
from devtools.emulator.server import BotApi, EmulatorServer
from devtools.emulator.state import (
    JSON, ApiError, BotAccount, BotEvent, Button, CallbackAnswer, Chat, EmulatorState, Msg,
    RequestRecord, StoredFile, User,
)

__all__ = ["ApiError", "BotAccount", "BotApiEmulator", "Button", "CallbackAnswer", "Chat",
           "FaultConfig", "Faults", "FloodConfig", "Msg", "RequestRecord", "Stats", "StoredFile", "User"]

Predicate = Callable[[Msg], bool] | str | None


class BotApiEmulator(PeopleActions):
    """Facade tests use: lifecycle, people and chats, person actions, observations.

    Person actions come from :class:`devtools.emulator.people.PeopleActions`, the
    ``/_control`` operations from :mod:`devtools.emulator.control`.
    """

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

    def set_privacy(self, enabled: bool = True, bot: BotRef = None) -> None:
        """@BotFather /setprivacy: with it on, plain group messages no longer reach the bot."""
        for b in [self._bot(bot)] if bot is not None else self.state.bots.values():
            b.privacy_mode = enabled

    def block(self, user: User, blocked: bool = True, bot: BotRef = None) -> None:
        """The user blocks (or unblocks) the bot: sends then fail with 403."""
        for b in [self._bot(bot)] if bot is not None else self.state.bots.values():
            (b.blocked.add if blocked else b.blocked.discard)(user.id)

    # ---------------------------------------------------------------- observe the bot
    def sent_to(self, chat: ChatRef, *, bot: BotRef = None) -> list[Msg]:
        """Messages bots sent to ``chat`` in send order (current state, edits in ``history``)."""
        target, only = self._chat(chat), self._bot(bot) if bot is not None else None
        return [e.message for e in self.state.events if e.kind == "send" and e.message.chat is target
                and (only is None or e.message.sender is only)]

    def messages(self, chat: ChatRef, bot: BotRef = None) -> list[Msg]:
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
                     user_id: int | None = None, bot: BotRef = None) -> list[str]:
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
        return await run_control(self, op, a)

    # ---------------------------------------------------------------- internals
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

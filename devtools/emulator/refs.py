"""How tests name bots, people, chats and messages, and how those names resolve.

Tests may pass objects or plain ids (the ``/_control`` side only has ids), so
every facade method resolves its arguments through :class:`Lookups`.
"""

from __future__ import annotations

from devtools.emulator.model import BotAccount, Chat, Msg, User
from devtools.emulator.state import EmulatorState

ChatRef = Chat | User | int
BotRef = BotAccount | str | int | None  # None: the only registered bot


class Lookups:
    """Resolution of references against :attr:`state`; base of the emulator facade."""

    state: EmulatorState

    def _bot(self, ref: BotRef) -> BotAccount:
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

    def _find(self, chat: ChatRef, message_id: int, bot: BotRef) -> Msg:
        target = self._chat(chat)
        found = self.state.find_message(target, self._bot(bot) if target.user else None, message_id)
        if found is None:
            raise KeyError(f"message {message_id} not found in chat {target.id}")
        return found

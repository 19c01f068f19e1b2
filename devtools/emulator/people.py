"""What people do in the emulated Telegram: type, reply, upload, edit, post and press buttons.

Each action stores the message in the world first and then enqueues the update
for every bot that can see it (:meth:`EmulatorState.recipients`).
"""

from __future__ import annotations

import time
from typing import Any

from devtools.emulator.errors import JSON
from devtools.emulator.markup import auto_entities
from devtools.emulator.model import BotAccount, Chat, Msg, User
from devtools.emulator.refs import BotRef, ChatRef, Lookups


class PeopleActions(Lookups):
    """The person actions of :class:`devtools.emulator.BotApiEmulator`, on top of its lookups."""

    async def send_text(self, user: User, chat: ChatRef, text: str, *, reply_to: Msg | int | None = None,
                        bot: BotRef = None, entities: list[JSON] | None = None) -> Msg:
        """Deliver a typed message; commands get bot_command entities like a real client adds."""
        return self._deliver(user, chat, bot, reply_to, text=text,
                             entities=auto_entities(text) if entities is None else entities)

    async def reply(self, user: User, chat: ChatRef, to: Msg | int, text: str, **kwargs: Any) -> Msg:
        return await self.send_text(user, chat, text, reply_to=to, **kwargs)

    async def send_document(self, user: User, chat: ChatRef, filename: str, data: bytes,
                            caption: str | None = None, reply_to: Msg | int | None = None, *,
                            mime_type: str | None = None, bot: BotRef = None,
                            reported_size: int | None = None) -> Msg:
        """Upload a document; `reported_size` makes Telegram report another size (a big file, cheaply)."""
        stored = self.state.new_file(data, filename, mime_type or "application/octet-stream", "documents")
        stored.reported_size = reported_size
        return self._deliver(user, chat, bot, reply_to, document=stored, caption=caption,
                             caption_entities=auto_entities(caption or ""))

    async def send_photo(self, user: User, chat: ChatRef, data: bytes, caption: str | None = None,
                         reply_to: Msg | int | None = None, *, bot: BotRef = None) -> Msg:
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


    def _check_can_write(self, user: User, chat: Chat) -> None:
        if chat.user is None and chat.status_of(user) in ("left", "kicked"):
            raise PermissionError(f"user {user.id} is not a member of chat {chat.id}")
        if chat.user is not None and chat.user is not user:
            raise PermissionError(f"user {user.id} cannot write in {chat.user.id}'s private chat")

    def _deliver(self, user: User, chat_ref: ChatRef, bot_ref: BotRef,
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
        for recipient in self.state.recipients(chat, bot, msg if kind == "message" else None):
            self.state.enqueue(recipient, kind, payload)

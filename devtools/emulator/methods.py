"""The Bot API methods the emulator serves, one ``api_<methodName>`` coroutine each.

:class:`devtools.emulator.api.BotApiBase` registers every such coroutine by name, so a
method not defined here is answered with Telegram's 404 "method not found".
"""

from __future__ import annotations

import asyncio
import re

from devtools.emulator.api import BotApiBase, Files, Params
from devtools.emulator.errors import JSON, ApiError
from devtools.emulator.markup import parse_html
from devtools.emulator.model import DEFAULT_UPDATES, BotAccount, CallbackAnswer, User
from devtools.emulator.webhook import WebhookDelivery, check_url

_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_ADMIN_RIGHTS = dict.fromkeys(
    ("can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
     "can_change_info", "can_invite_users", "can_pin_messages"), True
) | dict.fromkeys(("can_be_edited", "is_anonymous", "can_promote_members", "can_post_stories",
                   "can_edit_stories", "can_delete_stories"), False)
_RESTRICTIONS = dict.fromkeys(
    ("can_change_info", "can_invite_users", "can_pin_messages", "can_send_messages",
     "can_send_polls", "can_send_other_messages", "can_add_web_page_previews",
     "can_manage_topics", "can_send_audios", "can_send_documents", "can_send_photos",
     "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_edit_tag"), False
) | {"is_member": True, "until_date": 0}


#: Bots may download files of at most 20 MB through getFile.
MAX_DOWNLOAD = 20 * 1024 * 1024


def member_json(user: User, status: str) -> JSON:
    """ChatMember JSON with every field PTB requires for the given status."""
    data: JSON = {"status": status, "user": user.to_json()}
    if status == "creator":
        data["is_anonymous"] = False
    elif status == "administrator":
        data |= _ADMIN_RIGHTS
    elif status == "kicked":
        data["until_date"] = 0
    elif status == "restricted":
        data |= _RESTRICTIONS
    return data


class BotApi(BotApiBase):
    """The Bot API methods, dispatched case-insensitively like Telegram does."""

    async def api_getMe(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        return bot.to_json() | {"can_join_groups": True, "can_read_all_group_messages": not bot.privacy_mode,
                                "supports_inline_queries": False, "can_connect_to_business": False,
                                "has_main_web_app": False}

    async def api_getUpdates(self, bot: BotAccount, p: Params, files: Files) -> list[JSON]:
        if bot.webhook.get("url"):
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        allowed = p.json("allowed_updates")
        if allowed is not None:
            bot.allowed_updates = frozenset(allowed) or DEFAULT_UPDATES
        self.state.confirm(bot, p.integer("offset"))
        limit = max(1, min(100, p.integer("limit") or 100))
        timeout = float(p.values.get("timeout") or 0)
        bot.wake_poller("conflict")  # Telegram terminates the older of two concurrent polls
        if not bot.updates and timeout > 0 and not self.closing.is_set():
            waiter = bot.poll_waiter = asyncio.get_running_loop().create_future()
            try:
                reason = await asyncio.wait_for(asyncio.shield(waiter), timeout)
            except TimeoutError:
                reason = "timeout"
            finally:
                if bot.poll_waiter is waiter:
                    bot.poll_waiter = None
            if reason == "conflict":
                raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                    "make sure that only one bot instance is running")
        return [{"update_id": uid, kind: payload} for uid, kind, payload in bot.updates[:limit]]

    async def api_deleteWebhook(self, bot: BotAccount, p: Params, files: Files) -> bool:
        if p.flag("drop_pending_updates"):
            bot.updates.clear()
        await self.stop_webhook(bot)
        bot.webhook = {}
        return True

    async def api_setWebhook(self, bot: BotAccount, p: Params, files: Files) -> bool:
        url = p.text("url") or ""
        if url:
            check_url(url)
        if p.flag("drop_pending_updates"):
            bot.updates.clear()
        allowed = p.json("allowed_updates")
        if allowed is not None:
            bot.allowed_updates = frozenset(allowed) or DEFAULT_UPDATES
        secret, connections = p.text("secret_token"), p.integer("max_connections") or 40
        same = bot.webhook.get("url") == url and bot.webhook.get("secret_token") == secret
        if same and bot.webhook.get("max_connections") == connections:
            return True  # a second worker setting the same webhook changes nothing
        await self.stop_webhook(bot)
        bot.webhook = {"url": url, "secret_token": secret, "max_connections": connections}
        if url:
            delivery = WebhookDelivery(bot, url, secret, connections, log=self.state.webhook_log)
            self.webhooks[bot.token] = delivery
            delivery.start()
        return True

    async def stop_webhook(self, bot: BotAccount) -> None:
        delivery = self.webhooks.pop(bot.token, None)
        if delivery is not None:
            await delivery.stop()

    async def api_getWebhookInfo(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        info = {"url": bot.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(bot.updates)}
        if bot.webhook.get("max_connections"):
            info["max_connections"] = bot.webhook["max_connections"]
        error = bot.webhook.get("last_error")
        if error is not None:
            info |= {"last_error_date": error[0], "last_error_message": error[1]}
        return info

    def command_key(self, p: Params) -> tuple[str, int | None, int | None, str]:
        scope = p.json("scope") or {"type": "default"}
        chat_id = scope.get("chat_id")
        chat_id = int(chat_id) if isinstance(chat_id, int | str) and str(chat_id).lstrip("-").isdigit() else chat_id
        return scope.get("type", "default"), chat_id, scope.get("user_id"), p.text("language_code") or ""

    async def api_setMyCommands(self, bot: BotAccount, p: Params, files: Files) -> bool:
        commands = p.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a list of at most 100 BotCommand")
        for cmd in commands:
            if not _COMMAND.match(str(cmd.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: command description must be 1-256 characters")
        bot.commands[self.command_key(p)] = [
            {"command": c["command"], "description": c["description"]} for c in commands]
        return True

    async def api_getMyCommands(self, bot: BotAccount, p: Params, files: Files) -> list[JSON]:
        return bot.commands.get(self.command_key(p), [])

    async def api_deleteMyCommands(self, bot: BotAccount, p: Params, files: Files) -> bool:
        bot.commands.pop(self.command_key(p), None)
        return True

    async def api_sendMessage(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        self.target(bot, p)
        text, entities = self.formatted(p, "text", 4096, required=True)
        return await self.send(bot, p, "sendmessage", text=text, entities=entities, raw_text=p.text("text"))

    async def api_sendDocument(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        return await self.send_file(bot, p, files, "document")

    async def api_sendPhoto(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        return await self.send_file(bot, p, files, "photo")

    async def api_sendMediaGroup(self, bot: BotAccount, p: Params, files: Files) -> list[JSON]:
        """An album: 2-10 photos, or 2-10 documents (Telegram does not mix documents in)."""
        chat = self.target(bot, p)
        media = p.json("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise ApiError(400, "Bad Request: media must be a list of 2-10 InputMedia")
        kinds = {str(item.get("type")) for item in media}
        if not kinds <= {"photo", "document"} or len(kinds) > 1:
            raise ApiError(400, "Bad Request: an album is all photos or all documents")
        self.reply_target(bot, chat, p)
        stored = []
        for item in media:
            kind, ref = str(item["type"]), str(item.get("media", ""))
            if ref.startswith("attach://") and ref[9:] in files:
                name, data, ctype = files[ref[9:]]
                stored.append((kind, self.state.new_file(data, name, ctype, kind + "s"), item))
            elif ref in self.state.files:
                stored.append((kind, self.state.files[ref], item))
            else:
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        for _ in stored:  # every item is a message against the flood limits, counted before any is stored
            self.admit(bot, chat, "sendmediagroup")
        album = f"album{self.state.next_id()}"
        sent = []
        for kind, file, item in stored:
            caption = item.get("caption")
            plain, entities = parse_html(caption) if caption and item.get("parse_mode") == "HTML" else (caption, [])
            msg = self.state.add_message(chat, bot, bot, caption=plain, caption_entities=entities, raw_text=caption,
                                         extra={"media_group_id": album}, **{kind: file})
            self.state.record("send", msg)
            sent.append(msg.to_json() | {"media_group_id": album})
        return sent

    async def api_sendChatAction(self, bot: BotAccount, p: Params, files: Files) -> bool:
        self.target(bot, p)
        return True

    async def api_editMessageText(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        msg = self.editable(bot, p)
        if msg.text is None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text, entities = self.formatted(p, "text", 4096, required=True)
        return self.commit_edit(msg, text=text, entities=entities, reply_markup=self.markup(p))

    async def api_editMessageCaption(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        msg = self.editable(bot, p)
        caption, entities = self.formatted(p, "caption", 1024, required=False)
        return self.commit_edit(msg, caption=caption, caption_entities=entities, reply_markup=self.markup(p))

    async def api_editMessageReplyMarkup(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        return self.commit_edit(self.editable(bot, p), reply_markup=self.markup(p))

    async def api_deleteMessage(self, bot: BotAccount, p: Params, files: Files) -> bool:
        chat = self.chat_of(p)
        msg = self.state.find_message(chat, bot, p.integer("message_id") or 0)
        if msg is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        if msg.sender is not bot and chat.user is None and chat.status_of(bot) not in ("creator", "administrator"):
            raise ApiError(400, "Bad Request: message can't be deleted")
        msg.deleted = True
        self.state.record("delete", msg)
        return True

    async def api_answerCallbackQuery(self, bot: BotAccount, p: Params, files: Files) -> bool:
        query_id = p.text("callback_query_id") or ""
        query = self.state.queries.get(query_id)
        if query is None or query[0] is not bot:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        del self.state.queries[query_id]
        self.state.callback_answers.append(CallbackAnswer(
            query_id, p.text("text"), p.flag("show_alert"), p.text("url"), query[2].id, query[3]))
        self.state.record("answer", query[1])
        return True

    async def api_getFile(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        stored = self.state.files.get(p.text("file_id") or "")
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.size > MAX_DOWNLOAD:  # what Telegram answers for files a bot may not download
            raise ApiError(400, "Bad Request: file is too big")
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": stored.size, "file_path": stored.file_path}

    async def api_getChat(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        chat = self.chat_of(p)
        gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                               "premium_subscription", "gifts_from_channels"), False)
        return chat.to_json() | {"accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

    async def api_getChatMember(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        chat = self.chat_of(p)
        user = self.state.users.get(p.integer("user_id") or 0)
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        return member_json(user, chat.status_of(user))

    async def api_getChatAdministrators(self, bot: BotAccount, p: Params, files: Files) -> list[JSON]:
        chat = self.chat_of(p)
        if chat.user is not None:
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        return [member_json(self.state.users[uid], status) for uid, status in chat.members.items()
                if status in ("creator", "administrator") and uid in self.state.users]


"""HTTP side of the emulator: Bot API methods, file downloads and the control endpoints.

Tornado is used because PTB already depends on it and it parses both the
urlencoded and the multipart bodies PTB's HTTPXRequest sends.  Each Bot API
method validates everything first and only then mutates state, so an error
response (or an injected fault) never leaves a half-delivered message behind.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.iostream import StreamClosedError
from tornado.netutil import bind_sockets

from bot.emulator.faults import MESSAGE_METHODS, Faults
from bot.emulator.state import (
    DEFAULT_UPDATES, JSON, ApiError, BotAccount, CallbackAnswer, Chat, EmulatorState, Msg,
    RequestRecord, User, parse_html, utf16_len,
)

Files = dict[str, tuple[str, bytes, str]]
Handler = Callable[[BotAccount, "Params", Files], Awaitable[Any]]
ControlFn = Callable[[str, JSON], Awaitable[Any]]
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply "
                 "markup are exactly the same as a current content and reply markup of the message")
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


class Params:
    """Uniform access to form, multipart, query and JSON parameters (all arrive as text or JSON)."""

    def __init__(self, values: JSON) -> None:
        self.values = values

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        return None if value is None else str(value)

    def integer(self, key: str) -> int | None:
        value = self.values.get(key)
        if value is None or value == "":
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError(400, f"Bad Request: invalid {key} specified") from None

    def flag(self, key: str) -> bool:
        return self.values.get(key) in (True, 1, "true", "True", "1")

    def json(self, key: str) -> Any:
        value = self.values.get(key)
        if isinstance(value, str | bytes):
            try:
                return json.loads(value)
            except ValueError:
                raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from None
        return value


def trim(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Telegram strips surrounding whitespace from what bots send and shifts entities to match."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead, end = utf16_len(text[: len(text) - len(text.lstrip())]), utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(0, entity["offset"] - lead)
        stop = min(end, entity["offset"] + entity["length"] - lead)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return stripped, kept


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


class BotApi:
    """The Bot API methods, dispatched case-insensitively like Telegram does."""

    def __init__(self, state: EmulatorState, faults: Faults) -> None:
        self.state, self.faults = state, faults
        self.closing = asyncio.Event()
        self.methods: dict[str, Handler] = {
            name[4:].replace("_", "").lower(): getattr(self, name)
            for name in dir(self) if name.startswith("api_")
        }

    async def call(self, token: str, method: str, params: Params, files: Files) -> tuple[int, JSON]:
        bot = self.state.bots.get(token)
        handler = self.methods.get(method.lower())
        fault = self.faults.decide(method) if bot is not None and handler is not None else None
        if bot is None:
            status, body = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        elif handler is None:
            status, body = 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        elif fault is not None:
            if fault.kind == "timeout":
                await self.hold(fault.hold_seconds)
            status, body = fault.response()
        else:
            try:
                status, body = 200, {"ok": True, "result": await handler(bot, params, files)}
            except ApiError as exc:
                status, body = exc.code, exc.to_json()
        logged = {k: v for k, v in params.values.items()} | {k: f"<file {f[0]}>" for k, f in files.items()}
        self.state.request_log.append(
            RequestRecord(method, bot.id if bot else None, status, logged, time.time()))
        return status, body

    async def hold(self, seconds: float) -> None:
        """Stall like an overloaded Telegram front end; released early when the server stops."""
        try:
            await asyncio.wait_for(self.closing.wait(), seconds)
        except TimeoutError:
            pass

    # ---------------------------------------------------------------- helpers
    def target(self, bot: BotAccount, p: Params) -> Chat:
        """Resolve chat_id and enforce who a bot may write to."""
        raw = p.values.get("chat_id")
        if raw in (None, ""):
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat = self.state.chat(raw)
        if chat.user is not None:
            if chat.user.is_bot:
                raise ApiError(403, "Forbidden: bot can't send messages to bots")
            if chat.user.id in bot.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat.user.id not in bot.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        elif chat.status_of(bot) in ("left", "kicked"):
            kicked = chat.status_of(bot) == "kicked"
            why = "was kicked from" if kicked else "is not a member of"
            raise ApiError(403, f"Forbidden: bot {why} the {chat.type} chat")
        return chat

    def formatted(self, p: Params, key: str, limit: int, required: bool) -> tuple[str | None, list[JSON]]:
        raw = p.text(key)
        if raw is None:
            if required:
                raise ApiError(400, "Bad Request: message text is empty")
            return None, []
        mode = (p.text("parse_mode") or "").lower()
        if mode == "html":
            plain, entities = parse_html(raw)
        elif mode in ("", "markdown", "markdownv2"):  # Markdown is passed through unparsed
            plain, entities = raw, p.json("entities" if key == "text" else "caption_entities") or []
        else:
            raise ApiError(400, f"Bad Request: unsupported parse_mode {p.text('parse_mode')}")
        plain, entities = trim(plain, entities)
        if required and not plain:
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(plain) > limit:
            what = "message" if key == "text" else "message caption"
            raise ApiError(400, f"Bad Request: {what} is too long")
        return plain, entities

    def markup(self, p: Params) -> JSON | None:
        markup = p.json("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return markup
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise ApiError(400, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup '
                                'should be an Array of Arrays')
        for button in (b for row in rows for b in row):
            if not isinstance(button, dict) or not button.get("text"):
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
            if "callback_data" in button:
                if not 1 <= len(str(button["callback_data"]).encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            elif len(button) == 1:
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        return markup

    def reply_target(self, bot: BotAccount, chat: Chat, p: Params) -> Msg | None:
        params = p.json("reply_parameters") or {}
        message_id = params.get("message_id") or p.integer("reply_to_message_id")
        if not message_id:
            return None
        found = self.state.find_message(chat, bot, int(message_id))
        if found is None and not (params.get("allow_sending_without_reply") or p.flag("allow_sending_without_reply")):
            raise ApiError(400, "Bad Request: message to be replied not found")
        return found

    def admit(self, bot: BotAccount, chat: Chat, method: str) -> None:
        if method in MESSAGE_METHODS:
            retry = self.faults.admit_message(bot.id, chat.id, chat.user is not None)
            if retry is not None:
                raise ApiError(429, f"Too Many Requests: retry after {retry}", retry)

    def editable(self, bot: BotAccount, p: Params) -> Msg:
        if p.text("inline_message_id"):
            raise ApiError(400, "Bad Request: inline messages are not supported by the emulator")
        msg = self.state.find_message(self.state.chat(p.values.get("chat_id", "")), bot, p.integer("message_id") or 0)
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if msg.sender is not bot:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    def commit_edit(self, msg: Msg, **changes: Any) -> JSON:
        """Apply an edit unless it changes nothing (Telegram answers 400 "not modified")."""
        def norm(key: str, value: Any) -> Any:
            inline = key == "reply_markup" and value and "inline_keyboard" in value
            return (value if inline else None) if key == "reply_markup" else value

        if all(norm(k, getattr(msg, k)) == norm(k, v) for k, v in changes.items()):
            raise ApiError(400, _NOT_MODIFIED)
        msg.history.append(msg.snapshot())
        for key, value in changes.items():
            setattr(msg, key, value)
        msg.edit_date = int(time.time())
        self.state.record("edit", msg)
        return msg.to_json()

    async def send(self, bot: BotAccount, p: Params, method: str, **fields: Any) -> JSON:
        chat = self.target(bot, p)
        fields["reply_markup"] = self.markup(p)
        fields["reply_to"] = self.reply_target(bot, chat, p)
        self.admit(bot, chat, method)
        msg = self.state.add_message(chat, bot, bot, parse_mode=p.text("parse_mode"), **fields)
        self.state.record("send", msg)
        return msg.to_json()

    async def send_file(self, bot: BotAccount, p: Params, files: Files, kind: str) -> JSON:
        chat = self.target(bot, p)
        caption, caption_entities = self.formatted(p, "caption", 1024, required=False)
        self.markup(p)  # validate everything before storing the upload
        self.reply_target(bot, chat, p)
        stored = None
        if kind in files:
            name, data, ctype = files[kind]
            stored = self.state.new_file(data, name, ctype, kind + "s")
        elif p.text(kind) in self.state.files:
            stored = self.state.files[p.text(kind) or ""]
        if stored is None:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        return await self.send(bot, p, "send" + kind, caption=caption, caption_entities=caption_entities,
                               raw_text=p.text("caption"), **{kind: stored})

    # ---------------------------------------------------------------- methods
    async def api_getMe(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        return bot.to_json() | {"can_join_groups": True, "can_read_all_group_messages": False,
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
        bot.webhook = {}
        return True

    async def api_setWebhook(self, bot: BotAccount, p: Params, files: Files) -> bool:
        if p.flag("drop_pending_updates"):
            bot.updates.clear()
        bot.webhook = {"url": p.text("url") or "", "secret_token": p.text("secret_token")}
        return True

    async def api_getWebhookInfo(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        return {"url": bot.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(bot.updates)}

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
        chat = self.state.chat(p.values.get("chat_id", ""))
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
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.data), "file_path": stored.file_path}

    async def api_getChat(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        chat = self.state.chat(p.values.get("chat_id", ""))
        gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                               "premium_subscription", "gifts_from_channels"), False)
        return chat.to_json() | {"accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

    async def api_getChatMember(self, bot: BotAccount, p: Params, files: Files) -> JSON:
        chat = self.state.chat(p.values.get("chat_id", ""))
        user = self.state.users.get(p.integer("user_id") or 0)
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        return member_json(user, chat.status_of(user))

    async def api_getChatAdministrators(self, bot: BotAccount, p: Params, files: Files) -> list[JSON]:
        chat = self.state.chat(p.values.get("chat_id", ""))
        if chat.user is not None:
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        return [member_json(self.state.users[uid], status) for uid, status in chat.members.items()
                if status in ("creator", "administrator") and uid in self.state.users]


# -------------------------------------------------------------------- tornado plumbing
class _Base(tornado.web.RequestHandler):
    def initialize(self, server: EmulatorServer) -> None:
        self.server = server

    def params(self) -> Params:
        values: JSON = {k: self.get_argument(k) for k in self.request.query_arguments}
        values |= {k: v[-1].decode(errors="replace") for k, v in self.request.body_arguments.items()}
        if self.request.headers.get("Content-Type", "").startswith("application/json") and self.request.body:
            try:
                values |= json.loads(self.request.body)
            except ValueError:
                raise tornado.web.HTTPError(400) from None
        return Params(values)

    def reply(self, status: int, body: Any) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False))


class _ApiHandler(_Base):
    async def post(self, token: str, method: str) -> None:
        files = {k: (v[0].filename, v[0].body, v[0].content_type) for k, v in self.request.files.items()}
        status, body = await self.server.api.call(token, method, self.params(), files)
        try:
            self.reply(status, body)
        except StreamClosedError:  # the client gave up (timeout fault or cancelled long poll)
            pass

    get = post


class _FileHandler(_Base):
    async def get(self, token: str, path: str) -> None:
        if token not in self.server.api.state.bots:
            return self.reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        for stored in self.server.api.state.files.values():
            if stored.file_path == path:
                self.set_header("Content-Type", stored.mime_type or "application/octet-stream")
                return self.finish(stored.data)
        return self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found: file not found"})


class _ControlHandler(_Base):
    async def post(self, op: str) -> None:
        try:
            result = await self.server.control(op, self.params().values)
        except (ApiError, KeyError, ValueError, TypeError, TimeoutError) as exc:
            code = exc.code if isinstance(exc, ApiError) else (408 if isinstance(exc, TimeoutError) else 400)
            return self.reply(code, {"ok": False, "error_code": code, "description": f"{type(exc).__name__}: {exc}"})
        self.reply(200, {"ok": True, "result": result})

    get = post


class EmulatorServer:
    """Owns the listening socket; the port is chosen by the OS unless one is given."""

    def __init__(self, api: BotApi, control: ControlFn, host: str = "127.0.0.1", port: int = 0) -> None:
        self.api, self.control, self.host, self.port = api, control, host, port
        self._http: HTTPServer | None = None

    async def start(self) -> int:
        app = tornado.web.Application(
            [(r"/bot([^/]+)/([A-Za-z0-9_]+)/?", _ApiHandler, {"server": self}),
             (r"/file/bot([^/]+)/(.+)", _FileHandler, {"server": self}),
             (r"/_control/([A-Za-z_]+)/?", _ControlHandler, {"server": self})],
            log_function=lambda handler: None,  # 4xx are expected traffic, not warnings
        )
        sockets = bind_sockets(self.port, self.host, family=socket.AF_INET)
        self._http = HTTPServer(app, max_body_size=64 * 1024 * 1024)
        self._http.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        self.api.closing.clear()
        return self.port

    async def stop(self) -> None:
        """Release long polls and held requests first so connections can close promptly."""
        self.api.closing.set()
        for bot in self.api.state.bots.values():
            bot.wake_poller("stop")
        if self._http is not None:
            self._http.stop()
            await asyncio.sleep(0)
            await self._http.close_all_connections()
            self._http = None

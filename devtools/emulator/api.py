"""Bot API dispatch and the validation every method shares.

Each Bot API method validates everything first and only then mutates state, so
an error response (or an injected fault) never leaves a half-delivered message
behind.  The methods themselves live in :mod:`devtools.emulator.methods`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from devtools.emulator.errors import JSON, ApiError, error_response
from devtools.emulator.faults import MESSAGE_METHODS, Faults
from devtools.emulator.markup import parse_html, trim, utf16_len
from devtools.emulator.model import BotAccount, Chat, Msg, RequestRecord
from devtools.emulator.state import EmulatorState

Files = dict[str, tuple[str, bytes, str]]
Handler = Callable[[BotAccount, "Params", Files], Awaitable[Any]]
_NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply "
                 "markup are exactly the same as a current content and reply markup of the message")


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


class BotApiBase:
    """Dispatch (case-insensitive, like Telegram), faults, the request log and shared checks.

    Subclasses add ``api_<methodName>`` coroutines; :class:`devtools.emulator.methods.BotApi`
    is the one the server uses.
    """

    def __init__(self, state: EmulatorState, faults: Faults) -> None:
        self.state, self.faults = state, faults
        self.closing = asyncio.Event()
        #: Webhook deliveries by bot token (:mod:`devtools.emulator.webhook`).
        self.webhooks: dict[str, Any] = {}
        self.methods: dict[str, Handler] = {
            name[4:].replace("_", "").lower(): getattr(self, name)
            for name in dir(self) if name.startswith("api_")
        }

    async def call(self, token: str, method: str, params: Params, files: Files) -> tuple[int, JSON]:
        bot = self.state.bots.get(token)
        handler = self.methods.get(method.lower())
        fault = self.faults.decide(method) if bot is not None and handler is not None else None
        if bot is None:
            status, body = error_response(401, "Unauthorized")
        elif handler is None:
            status, body = error_response(404, "Not Found: method not found")
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
    def chat_of(self, p: Params) -> Chat:
        """The chat named by chat_id, with no check on who may write there."""
        return self.state.chat(p.values.get("chat_id", ""))

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
        msg = self.state.find_message(self.chat_of(p), bot, p.integer("message_id") or 0)
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


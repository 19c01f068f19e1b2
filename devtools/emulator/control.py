"""The ``/_control`` side: the emulator's test operations over HTTP, for another process.

A bot (and its test) running outside the emulator's process drives people and
reads observations through ``/_control/<op>``; arguments arrive as text or JSON
and ids stand for objects.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from devtools.emulator.errors import JSON, ApiError, error_response
from devtools.emulator.faults import Faults
from devtools.emulator.http_api import BaseHandler

if TYPE_CHECKING:
    from devtools.emulator import BotApiEmulator

ControlFn = Callable[[str, JSON], Awaitable[Any]]


class ControlHandler(BaseHandler):
    async def post(self, op: str) -> None:
        try:
            result = await self.server.control(op, self.params().values)
        except (ApiError, KeyError, ValueError, TypeError, TimeoutError) as exc:
            code = exc.code if isinstance(exc, ApiError) else (408 if isinstance(exc, TimeoutError) else 400)
            return self.reply(*error_response(code, f"{type(exc).__name__}: {exc}"))
        self.reply(200, {"ok": True, "result": result})

    get = post


async def run_control(emulator: BotApiEmulator, op: str, a: JSON) -> Any:
    """Behind :meth:`BotApiEmulator.control`: run one operation with ids resolved to objects."""
    bot, user_of = a.get("bot"), emulator._user
    match op:
        case "register_bot":
            return emulator.register_bot(a["token"], a.get("username", "emulated_bot"), a.get("first_name")).to_json()
        case "add_user":
            return emulator.add_user(int(a["id"]), a.get("first_name", "User"), username=a.get("username"),
                                     last_name=a.get("last_name"), language_code=a.get("language_code"),
                                     is_bot=bool(a.get("is_bot", False))).to_json()
        case "add_group" | "add_channel":
            users = {k: [user_of(i) for i in a.get(k, [])] for k in ("members", "admins")}
            creator = user_of(a["creator"]) if a.get("creator") is not None else None
            return emulator.add_group(int(a["id"]), a["title"], users["members"], users["admins"], creator,
                                      username=a.get("username"),
                                      type="channel" if op == "add_channel" else a.get("type")).to_json()
        case "set_member":
            return emulator.set_member(int(a["chat_id"]), user_of(a["user_id"]), a["status"])
        case "set_privacy":
            return emulator.set_privacy(str(a.get("enabled", True)).lower() in ("1", "true"), bot)
        case "block":
            return emulator.block(user_of(a["user_id"]), bool(a.get("blocked", True)), bot)
        case "send_text":
            return (await emulator.send_text(user_of(a["user_id"]), int(a["chat_id"]), a["text"],
                                             reply_to=a.get("reply_to_message_id"), bot=bot)).to_control_json()
        case "send_document" | "send_photo":
            user, data = user_of(a["user_id"]), base64.b64decode(a["data_base64"])
            msg = await (emulator.send_document(user, int(a["chat_id"]), a.get("filename", "file.bin"), data,
                                                a.get("caption"), a.get("reply_to_message_id"), bot=bot)
                         if op == "send_document" else
                         emulator.send_photo(user, int(a["chat_id"]), data, a.get("caption"),
                                             a.get("reply_to_message_id"), bot=bot))
            return msg.to_control_json()
        case "press":
            msg = emulator._find(int(a["chat_id"]), int(a["message_id"]), bot)
            return {"callback_query_id": await emulator.press(user_of(a["user_id"]), msg, a.get("data"),
                                                              text=a.get("button"))}
        case "edit_text":
            user = user_of(a["user_id"])
            msg = emulator._find(int(a["chat_id"]), int(a["message_id"]), bot)
            return (await emulator.edit_text(user, int(a["chat_id"]), msg, a["text"])).to_control_json()
        case "post_channel":
            return (await emulator.post_channel(int(a["chat_id"]), a["text"])).to_control_json()
        case "sent":
            return [m.to_control_json() for m in emulator.sent_to(int(a["chat_id"]), bot=bot)]
        case "wait_for_message":
            since = int(a["since"]) if a.get("since") is not None else None
            msg = await emulator.wait_for_message(int(a["chat_id"]), a.get("contains"),
                                                  float(a.get("timeout", 5.0)), since=since)
            return msg.to_control_json()
        case "callback_answers":
            return [asdict(x) for x in emulator.callback_answers]
        case "commands":
            return [{"scope": k[0], "chat_id": k[1], "user_id": k[2], "language_code": k[3], "commands": v}
                    for b in emulator.state.bots.values() for k, v in b.commands.items()]
        case "stats":
            return emulator.stats.as_dict()
        case "requests":
            return [asdict(r) for r in emulator.request_log]
        case "faults":
            return configure_faults(emulator.faults, a)
        case "mark":
            return emulator.mark()
        case "reset":
            return emulator.reset()
    raise KeyError(f"unknown control operation {op!r}")


def configure_faults(faults: Faults, a: JSON) -> JSON:
    """``/_control/faults``: reconfigure injection and flood limits, answer the resulting settings."""
    keys = ("probability", "weights", "retry_after", "hold_seconds", "methods")
    faults.configure(**{k: a[k] for k in keys if k in a}, seed=a.get("seed", 0))
    flood = a.get("flood")
    if flood is not None:
        faults.set_flood_limits(**flood) if isinstance(flood, dict) else faults.set_flood_limits(
            str(flood).lower() in ("1", "true"))
    cfg = asdict(faults.config) | {"methods": sorted(faults.config.methods or [])}
    return {"faults": cfg, "flood": asdict(faults.flood)}

"""Tornado handlers for the Bot API side: ``/bot<token>/<method>`` and file downloads.

Tornado is used because PTB already depends on it and it parses both the
urlencoded and the multipart bodies PTB's HTTPXRequest sends.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import tornado.web
from tornado.httputil import format_timestamp
from tornado.iostream import StreamClosedError

from devtools.emulator.api import Params
from devtools.emulator.errors import JSON, error_response

if TYPE_CHECKING:
    from devtools.emulator.server import EmulatorServer


class BaseHandler(tornado.web.RequestHandler):
    """Parameters from query, form, multipart or JSON body in, JSON out."""

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
        # Telegram's clock, which a test may set apart from ours (doctor's clock-skew check).
        self.set_header("Date", format_timestamp(time.time() + self.server.api.state.clock_offset))
        self.finish(json.dumps(body, ensure_ascii=False))


class ApiHandler(BaseHandler):
    async def post(self, token: str, method: str) -> None:
        files = {k: (v[0].filename, v[0].body, v[0].content_type) for k, v in self.request.files.items()}
        status, body = await self.server.api.call(token, method, self.params(), files)
        try:
            self.reply(status, body)
        except StreamClosedError:  # the client gave up (timeout fault or cancelled long poll)
            pass

    get = post


class FileHandler(BaseHandler):
    async def get(self, token: str, path: str) -> None:
        if token not in self.server.api.state.bots:
            return self.reply(*error_response(401, "Unauthorized"))
        for stored in self.server.api.state.files.values():
            if stored.file_path == path:
                self.set_header("Content-Type", stored.mime_type or "application/octet-stream")
                return self.finish(stored.data)
        return self.reply(*error_response(404, "Not Found: file not found"))

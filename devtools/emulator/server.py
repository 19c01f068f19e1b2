"""HTTP side of the emulator: the listening socket and its routes.

The Bot API methods live in :mod:`devtools.emulator.methods` (dispatch and shared
validation in :mod:`devtools.emulator.api`), the tornado handlers in
:mod:`devtools.emulator.http_api` and :mod:`devtools.emulator.control`.  Their public names
are re-exported here for callers that import them from this module.
"""

from __future__ import annotations

import asyncio
import socket

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from devtools.emulator.api import Files, Handler, Params
from devtools.emulator.control import ControlFn, ControlHandler
from devtools.emulator.http_api import ApiHandler, FileHandler
from devtools.emulator.markup import trim
from devtools.emulator.methods import BotApi, member_json

__all__ = ["BotApi", "ControlFn", "EmulatorServer", "Files", "Handler", "Params", "member_json", "trim"]


class EmulatorServer:
    """Owns the listening socket; the port is chosen by the OS unless one is given."""

    def __init__(self, api: BotApi, control: ControlFn, host: str = "127.0.0.1", port: int = 0) -> None:
        self.api, self.control, self.host, self.port = api, control, host, port
        self._http: HTTPServer | None = None

    async def start(self) -> int:
        app = tornado.web.Application(
            [(r"/bot([^/]+)/([A-Za-z0-9_]+)/?", ApiHandler, {"server": self}),
             (r"/file/bot([^/]+)/(.+)", FileHandler, {"server": self}),
             (r"/_control/([A-Za-z_]+)/?", ControlHandler, {"server": self})],
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
        for bot in list(self.api.state.bots.values()):
            await self.api.stop_webhook(bot)  # type: ignore[attr-defined]
        if self._http is not None:
            self._http.stop()
            await asyncio.sleep(0)
            await self._http.close_all_connections()
            self._http = None

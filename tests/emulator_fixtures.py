"""Shared fixtures for tests that drive a real PTB Application through the Bot API emulator.

Kept out of conftest.py so other suites opt in explicitly:
``from emulator_fixtures import emulator, ptb_app, running  # noqa: F401``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import pytest
from telegram.ext import Application, ApplicationBuilder

from devtools.emulator import BotApiEmulator

TOKEN = "123:ABC"


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    emu = BotApiEmulator()
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()


def ptb_app(emu: BotApiEmulator, token: str = TOKEN, *, read_timeout: float | None = None) -> Application:
    """An Application wired to the emulator; never to Telegram's real servers."""
    builder = ApplicationBuilder().token(token).base_url(emu.base_url).base_file_url(emu.base_file_url)
    if read_timeout is not None:
        builder = builder.read_timeout(read_timeout)
    return builder.build()


@contextlib.asynccontextmanager
async def running(app: Application, poll_timeout: float = 5.0) -> AsyncIterator[Application]:
    """Long-poll like production, then shut down cleanly even if the test failed."""
    await app.initialize()
    await app.start()
    await app.updater.start_polling(timeout=poll_timeout)  # type: ignore[union-attr]
    try:
        yield app
    finally:
        await app.updater.stop()  # type: ignore[union-attr]
        await app.stop()
        await app.shutdown()

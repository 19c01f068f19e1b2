"""Helpers for the operations tests: the CLI as a child process while the emulator serves.

The emulator runs in the test's event loop, so the CLI must not block it: it runs through
``asyncio.create_subprocess_exec``, in a clean environment (no token or database of the
machine leaks in), from a working directory of the test's own.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from devtools.emulator import BotApiEmulator

TOKEN = "555001:OPS-test-token-never-real"
USERNAME = "pandu_ops_bot"


@pytest.fixture
async def emu(request: pytest.FixtureRequest) -> AsyncIterator[BotApiEmulator]:
    """The emulator with the test module's bot (its TOKEN and BOT_USERNAME, else this file's)."""
    emulator = BotApiEmulator()
    await emulator.start()
    module = request.module
    emulator.register_bot(getattr(module, "TOKEN", TOKEN), getattr(module, "BOT_USERNAME", USERNAME), "Pandu")
    try:
        yield emulator
    finally:
        await emulator.stop()


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def clean_env(**extra: str) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TZ"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    env["SOP_DIR"] = str(PROJECT_ROOT / "sop_data")
    env.update(extra)
    return env


async def cli(*args: str, cwd: Path, env: dict[str, str], stdin: str | None = None, timeout: float = 120) -> Done:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(stdin.encode() if stdin is not None else b""), timeout)
    assert proc.returncode is not None
    return Done(proc.returncode, out.decode(), err.decode())

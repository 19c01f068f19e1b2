"""A whole Pandu bot under test: the real Application, long polling the local Bot API
emulator over HTTP, on a real database (SQLite in tmp; PostgreSQL in a throw-away schema
when TEST_DATABASE_URL is set).

Tests act as people through :class:`Office` (``await office.say(budi, "/mulai …")``) and
read what came back with event-based waits, never sleeps:
``from bot_fixtures import office  # noqa: F401``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from telegram.ext import Application

from handlers.application import build_application, serving
from handlers.transport.pacing import UNLIMITED, TelegramPacer
from bot.config import PROJECT_ROOT, Settings
from devtools.emulator import BotApiEmulator, CallbackAnswer, Chat, Msg, User
from db_fixtures import PG_ENV, postgres_schema

TOKEN = "123456:TEST-pandu-token-never-real"
BOT_USERNAME = "pandu_test_bot"
GROUP_ID = -100777


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    base = os.environ.get(PG_ENV)
    if base:
        with postgres_schema(base) as url:
            yield url
    else:
        yield f"sqlite:///{(tmp_path / 'pandu.sqlite3').as_posix()}"


def bot_settings(emu: BotApiEmulator, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        telegram_bot_token=SecretStr(TOKEN),
        telegram_api_base_url=emu.base_url,
        database_url=database_url,
        sop_dir=PROJECT_ROOT / "sop_data",
        default_language="id",
        default_timezone="Asia/Pontianak",
        undo_window_minutes=10,
        run_starters="admins",
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Office:
    """The world of one test: an office group, its officials, and the bot serving them."""

    emu: BotApiEmulator
    app: Application  # type: ignore[type-arg]
    group: Chat
    people: dict[str, User] = field(default_factory=dict)

    @property
    def engine(self) -> Any:
        return self.app.bot_data.engine

    async def say(self, who: User, text: str, chat: Chat | User | None = None, **kwargs: Any) -> Msg:
        """`who` types `text` in the group (or in `chat`, e.g. their private chat: pass `who`)."""
        return await self.emu.send_text(who, chat if chat is not None else self.group, text, **kwargs)

    async def expect(self, chat: Chat | User | None, contains: str | None = None, timeout: float = 10.0) -> Msg:
        """The next bot message in `chat` (default: the group) containing `contains`."""
        return await self.emu.wait_for_message(chat if chat is not None else self.group, contains, timeout)

    async def ask(self, who: User, text: str, contains: str | None = None, chat: Chat | User | None = None) -> Msg:
        """Say something and wait for the bot's answer in the same chat."""
        where = chat if chat is not None else self.group
        await self.say(who, text, where)
        return await self.expect(where, contains)

    async def press(self, who: User, message: Msg, label: str) -> CallbackAnswer:
        """Press the button whose label contains `label`; returns the bot's callback answer."""
        query = await self.emu.press(who, message, text=label)
        return await self.emu.wait_for_callback_answer(query, timeout=10.0)

    async def press_data(self, who: User, message: Msg, data: str) -> CallbackAnswer:
        """Send callback data the message never offered (a forged or stale button)."""
        query = await self.emu.press(who, message, data, check=False)
        return await self.emu.wait_for_callback_answer(query, timeout=10.0)

    def snapshot(self) -> dict[str, int]:
        """Counts that any change would move: proof that a refused request changed nothing."""
        queries = {
            "events": "SELECT count(*) FROM audit_events",
            "runs": "SELECT count(*) FROM runs",
            "holders": "SELECT count(*) FROM role_assignments WHERE status = 'active'",
            "done": "SELECT count(*) FROM tasks WHERE status = 'done'",
            "active_task": "SELECT coalesce(max(id), 0) FROM tasks WHERE status = 'active'",
            "evidence": "SELECT count(*) FROM evidence",
        }
        with self.engine.db.transaction(readonly=True) as session:
            return {name: int(session.execute(text(sql)).scalar_one()) for name, sql in queries.items()}

    async def start_private(self, who: User) -> Msg:
        """`who` opens the bot and presses Start."""
        await self.emu.send_text(who, who, "/start")
        return await self.emu.wait_for_message(who, "Pandu")


OFFICIALS = (
    # key, id, first name, last name, username
    ("budi", 2001, "Budi", "Santoso", "budi_renja"),
    ("siti", 2002, "Siti", "Rahmawati", "siti_sekretaris"),
    ("agus", 2003, "Agus", "Wijaya", None),
    ("dewi", 2004, "Dewi", "Lestari", "dewi_kaban"),
    ("rina", 2005, "Rina", "Kurniasih", None),
    ("joko", 2006, "Joko", "Prasetyo", None),
)


def populate(emu: BotApiEmulator) -> tuple[Chat, dict[str, User]]:
    """The Bappeda Kalbar office: Budi (admin) and colleagues in one supergroup."""
    people = {
        key: emu.add_user(uid, first, last_name=last, username=username, language_code="id")
        for key, uid, first, last, username in OFFICIALS
    }
    group = emu.add_group(
        GROUP_ID,
        "Sekretariat Bappeda Kalbar",
        members=list(people.values()),
        admins=[people["budi"]],
    )
    return group, people


@pytest.fixture
def overrides() -> dict[str, Any]:
    """Settings for this test's bot; parametrize `overrides` to change them."""
    return {}


@pytest.fixture
async def office(database_url: str, overrides: dict[str, Any]) -> AsyncIterator[Office]:
    emu = BotApiEmulator()
    await emu.start()
    emu.register_bot(TOKEN, BOT_USERNAME, "Pandu")
    group, people = populate(emu)
    settings = bot_settings(emu, database_url, **overrides)
    app = build_application(settings, drain_interval=1.0, rate_limiter=unthrottled())
    async with serving(app):
        yield Office(emu, app, group, people)
    await emu.stop()


def unthrottled() -> TelegramPacer:
    """The production limiter (with its retries of timeouts and 5xx), minus Telegram's limits:
    a whole SOP in one test sends more than a group's 20 a minute, and the emulator does not
    enforce flood limits here. A fresh one per application: its locks belong to one loop."""
    return TelegramPacer(overall_rate=0, limits=UNLIMITED, max_retries=2)


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait for what the event loop does in the background after a commit (a scheduler's re-arm)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached"
        await asyncio.sleep(0.01)

"""Forged task buttons on the real handlers: the press itself checks where it was pressed
(no separate read first), and answers a payload from elsewhere like a stale button."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from bot_fixtures import database_url  # noqa: F401
from sqlalchemy import text

from handler_client import BOT_ID, HandlerClient, Person, chat_dict, handler_client

BUDI = Person(2001, "Budi", "budi_renja")
JOKO = Person(2006, "Joko")
OTHER_GROUP = -100888
STALE = "Tombol ini sudah tidak berlaku."


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[HandlerClient]:  # noqa: F811
    async with handler_client(database_url, admins={BUDI.id}) as c:
        yield c


def card_in(chat_id: int) -> dict[str, Any]:
    """A message of the bot in `chat_id`, under which a forged payload is pressed."""
    return {"message_id": 1, "date": int(time.time()), "chat": chat_dict(chat_id),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Pandu"}, "text": "kartu"}


def snapshot(client: HandlerClient) -> dict[str, int]:
    queries = {"events": "SELECT count(*) FROM audit_events", "done": "SELECT count(*) FROM tasks WHERE status = 'done'"}
    with client.engine.db.transaction(readonly=True) as session:
        return {name: int(session.execute(text(sql)).scalar_one()) for name, sql in queries.items()}


async def alert(client: HandlerClient, who: Person, chat_id: int, data: str) -> str:
    calls = await client.press_data(who, card_in(chat_id), data)
    (answered,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answered.params.get("show_alert") in (True, "true", "True"), answered.params
    return str(answered.params["text"])


async def test_forged_task_buttons_are_stale_and_the_press_reads_nothing_first(
    client: HandlerClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await client.say(BUDI, "/mulai renja-bappeda-kalbar Renja 2027")
    await client.say(BUDI, "/ambil kasubbag")
    (task,) = [t for t in client.engine.current_tasks(1) if t.status == "active"]
    before = snapshot(client)

    def no_separate_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("a ✅ or ↩️ press reads the task before it acts")

    monkeypatch.setattr(client.engine, "get_task", no_separate_read)
    for data in (f"dn|{task.id}", f"un|{task.id}"):
        assert await alert(client, BUDI, OTHER_GROUP, data) == STALE  # its holder, in another group
        assert await alert(client, JOKO, JOKO.id, data) == STALE  # a stranger, in private
    assert await alert(client, BUDI, client.group, "dn|987654") == STALE  # no such task
    assert snapshot(client) == before
    assert client.app.bot_data.unexpected_errors == []

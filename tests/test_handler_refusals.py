"""Refusals and run choice on the in-process handler client (moved from the emulator's
tests/test_bot_refusals.py): what the person is told, and that nothing changed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from bot_fixtures import database_url  # noqa: F401
from sqlalchemy import text

from handler_client import HandlerClient, Person, handler_client

BUDI = Person(2001, "Budi", "budi_renja")
JOKO = Person(2006, "Joko")


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[HandlerClient]:  # noqa: F811
    async with handler_client(database_url, admins={BUDI.id}) as c:
        yield c


def snapshot(client: HandlerClient) -> dict[str, int]:
    """Counts any change would move: proof that a refused request changed nothing."""
    queries = {"events": "SELECT count(*) FROM audit_events", "runs": "SELECT count(*) FROM runs",
               "holders": "SELECT count(*) FROM role_assignments WHERE status = 'active'",
               "done": "SELECT count(*) FROM tasks WHERE status = 'done'"}
    with client.engine.db.transaction(readonly=True) as session:
        return {name: int(session.execute(text(sql)).scalar_one()) for name, sql in queries.items()}


async def answer(client: HandlerClient, who: Person, words: str, chat: int | None = None) -> str:
    """The one message the bot sent back, as a person reads it."""
    sent = [c for c in await client.say(who, words, chat) if c.method == "sendMessage"]
    assert len(sent) == 1, [c.text for c in sent]
    return sent[0].plain


async def test_unknown_commands_non_admins_and_private_chats_are_answered(client: HandlerClient) -> None:
    before = snapshot(client)
    assert "tidak dikenal" in await answer(client, JOKO, "/terbang")
    assert "Hanya admin" in await answer(client, JOKO, "/mulai renja-bappeda-kalbar")
    assert "tidak ditemukan" in await answer(client, BUDI, "/mulai sop-khayalan")
    assert "Pakai: /mulai" in await answer(client, BUDI, "/mulai")
    summary = await answer(client, JOKO, "/sop renja-bappeda-kalbar")
    assert "Menyusun Rencana Kerja" in summary and "Forum SKPD (forum_skpd) — pihak luar" in summary
    assert "grup kantor" in await answer(client, BUDI, "/mulai renja-bappeda-kalbar", chat=BUDI.id)
    assert "Belum ada SOP yang berjalan" in await answer(client, JOKO, "apa selanjutnya?")
    assert await client.say(JOKO, "/terbang@bot_lain") == []  # meant for another bot: not ours to answer
    assert "Pandu" in await answer(client, JOKO, "/bantuan")
    assert snapshot(client) == before


async def test_several_runs_ask_which_one_and_accept_a_number(client: HandlerClient) -> None:
    await client.say(BUDI, "/mulai renja-bappeda-kalbar Renja 2027")
    await client.say(BUDI, "/mulai renja-bappeda-bogor Renja Bogor")
    which = next(c for c in await client.say(JOKO, "langkah berikutnya") if c.method == "sendMessage")
    assert "Pilih" in which.text and [label for label, _ in which.buttons()] == ["#1 Renja 2027", "#2 Renja Bogor"]
    picked = [c for c in await client.press(JOKO, which, "#2") if c.method == "sendMessage"]
    assert len(picked) == 1 and "Renja Bogor" in picked[0].text and "Sekarang" in picked[0].text
    assert "#1 Renja 2027" in await answer(client, JOKO, "/status 1")
    assert "bernomor 9" in await answer(client, JOKO, "/status 9")

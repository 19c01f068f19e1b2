"""Private answers through the emulator end to end: /tugas sends each task as one card.

The question, /status and /peran tests moved to the in-process handler client
(tests/test_handler_client.py); the emulator keeps the paths that go through private chats
and the outbox over HTTP."""

from __future__ import annotations

from bot_fixtures import Office, database_url, office, overrides  # noqa: F401


async def start(office: Office, title: str = "Renja 2027") -> None:
    budi = office.people["budi"]
    await office.say(budi, f"/mulai renja-bappeda-kalbar {title}")
    # The start and the first step's notice: one group message when the sender merges them.
    await office.expect(office.group, "belum ada yang memegang")
    assert any("dimulai" in (m.text or "") for m in office.emu.sent_to(office.group))


async def test_tugas_is_one_message_per_task_without_a_bare_header(office: Office) -> None:
    budi = office.people["budi"]
    await office.start_private(budi)
    await start(office)
    await office.ask(budi, "/ambil kasubbag", "memegang")
    await office.expect(budi, "Langkah 1")  # the card sent when the task became his
    seen = len(office.emu.sent_to(budi))
    card = await office.ask(budi, "/tugas", "Langkah 1", chat=budi)
    assert (card.text or "").startswith("📋 Tugas Anda") and card.button("Selesai")
    await office.ask(budi, "/bantuan", "Pandu", chat=budi)  # handled in order: nothing else came
    assert len(office.emu.sent_to(budi)) == seen + 2
    await start(office, "Renja 2028")
    await office.ask(budi, "/ambil 2 kasubbag", "memegang")
    await office.expect(budi, "Renja 2028")
    first = await office.ask(budi, "/tugas", "Anda punya 2 tugas", chat=budi)
    assert "Langkah 1" in (first.text or "") and first.button("Selesai")
    second = await office.expect(budi, "Tugas Anda")
    assert "Renja 2028" in (second.text or "") + (first.text or "")

"""A task falls overdue in a real bot (the Application long-polling the Bot API emulator):
the clock moves, the deadline job fires, the holder's private chat gets the reminder with
a working ✅ and the Kasubag gets the alert naming the run, step, holder and how far over.
Also /zona, and the overdue mark in /status and /tugas."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from bot_fixtures import TOKEN, BOT_USERNAME, unthrottled, Office, bot_settings, database_url, populate, until  # noqa: F401
from deadline_fixtures import SOP_ID, sop_with, wib

from handlers.application import build_application, serving
from devtools.emulator import BotApiEmulator
from bot.engine import SopEngine
from db_fixtures import FakeClock


@pytest.fixture
async def late_office(database_url: str) -> AsyncIterator[tuple[Office, FakeClock]]:  # noqa: F811
    """The bot on a hand-moved clock, serving the tenggat-uji SOP (two steps, both Staf's)."""
    emu = BotApiEmulator()
    await emu.start()
    emu.register_bot(TOKEN, BOT_USERNAME, "Pandu")
    group, people = populate(emu)
    settings = bot_settings(emu, database_url, default_timezone="Asia/Jakarta", nag_interval_minutes=60)
    clock = FakeClock(wib(2026, 3, 2, 8, 0))
    sop = sop_with("60 menit", "30 menit")
    engine = SopEngine.from_settings(settings, sops={SOP_ID: sop}, clock=clock)
    app = build_application(settings, engine, drain_interval=1.0, rate_limiter=unthrottled())
    async with serving(app):
        yield Office(emu, app, group, people), clock
    await emu.stop()


async def setup_run(office: Office) -> dict[str, Any]:
    """Budi coordinates, Siti is Staf (every step), Dewi is the Kasubag (supervisor), Rina is Kepala."""
    p = office.people
    for key in ("budi", "siti", "dewi", "rina"):
        await office.start_private(p[key])
    await office.ask(p["budi"], f"/mulai {SOP_ID} Renja Bappeda 2027", "dimulai")
    await office.ask(p["siti"], "/ambil staf", "Siti sekarang memegang")
    await office.ask(p["dewi"], "/ambil kasubag", "Dewi sekarang memegang")
    await office.ask(p["rina"], "/ambil kepala", "Rina sekarang memegang")
    return p


async def test_overdue_task_reminds_the_holder_and_alerts_the_kasubag(
    late_office: tuple[Office, FakeClock],
) -> None:
    office, clock = late_office
    p = await setup_run(office)
    assert any("Langkah 1" in (m.text or "") for m in office.emu.sent_to(p["siti"]))  # her task card
    nags = office.app.bot_data.nags
    await until(lambda: nags.armed_for == wib(2026, 3, 2, 9, 0))  # re-armed after the commit, on the loop

    clock.now = wib(2026, 3, 2, 10, 20)  # 1 hour 20 minutes past due, office open
    result = await nags.fire()
    assert result.claimed == 1
    reminder = await office.expect(p["siti"], "Pengingat")
    assert "lewat 1 jam 20 menit dari batas waktu" in (reminder.text or "")
    assert "Langkah 1" in (reminder.text or "") and "Terlambat 1 jam 20 menit" in (reminder.text or "")
    alert = await office.expect(p["dewi"], "Langkah terlambat")
    text = alert.text or ""
    assert "#1" in text and "Renja Bappeda 2027" in text and "langkah 1" in text
    assert "Siti" in text and 'tg://user?id=2002' in (alert.raw_text or "") and "lewat 1 jam 20 menit" in text
    assert nags.armed_for == wib(2026, 3, 2, 11, 0)

    # The reminder's ✅ works: the step is confirmed and the next actor hears of it.
    answer = await office.press(p["siti"], reminder, "Selesai")
    assert answer.text == "Tercatat."
    await office.expect(office.group, "Langkah 2")
    await office.expect(p["siti"], "Langkah 2")
    assert office.engine.status(1).step.no == 2
    for _ in range(500):  # the confirm re-arms the job at step 2's due time (10:50)
        if nags.armed_for == wib(2026, 3, 2, 10, 50):
            break
        await asyncio.sleep(0.01)
    assert nags.armed_for == wib(2026, 3, 2, 10, 50)


async def test_many_overdue_tasks_arrive_as_one_digest_with_a_button_each(
    late_office: tuple[Office, FakeClock],
) -> None:
    office, clock = late_office
    p = await setup_run(office)
    for n in (2, 3):
        await office.ask(p["budi"], f"/mulai {SOP_ID} Renja {n}", "dimulai")
        await office.ask(p["siti"], f"/ambil {n} staf", "Siti sekarang memegang")
    clock.now = wib(2026, 3, 2, 9, 30)
    assert (await office.app.bot_data.nags.fire()).claimed == 3
    digest = await office.expect(p["siti"], "Tugas Anda yang perlu diselesaikan")
    assert "(3)" in (digest.text or "")
    assert len([b for row in digest.buttons for b in row]) == 3
    answer = await office.press(p["siti"], digest, "#2 L1")
    assert answer.text == "Tercatat."
    assert office.engine.status(2).step.no == 2


async def test_zona_sets_the_group_zone_for_admins_only(late_office: tuple[Office, FakeClock]) -> None:
    office, _ = late_office
    p = office.people
    refused = await office.ask(p["joko"], "/zona WITA", "admin")
    assert "Hanya admin" in (refused.text or "")
    answer = await office.ask(p["budi"], "/zona wita", "Zona waktu")
    assert "WITA" in (answer.text or "") and office.engine.get_chat(office.group.id).timezone == "Asia/Makassar"
    usage = await office.ask(p["budi"], "/timezone", "Pakai")
    assert "WITA" in (usage.text or "")


async def test_status_and_tugas_show_the_overdue_mark(late_office: tuple[Office, FakeClock]) -> None:
    office, clock = late_office
    p = await setup_run(office)
    clock.now = wib(2026, 3, 2, 9, 45)
    status = await office.ask(p["siti"], "/status", "Sekarang")
    assert "Terlambat 45 menit" in (status.text or "") and "Sen 2 Mar 09:00 WIB" in (status.text or "")
    assert "Berjalan 1 jam 45 menit dari waktu baku 1 jam" in (status.text or "")
    card = await office.ask(p["siti"], "/tugas", "Langkah 1", chat=p["siti"])
    assert "Terlambat 45 menit" in (card.text or "") and card.button("Selesai")


async def test_group_digest_offers_the_claim_and_mentions_who_cannot_be_reached(
    late_office: tuple[Office, FakeClock],
) -> None:
    office, clock = late_office
    p = office.people
    for key in ("budi", "dewi"):
        await office.start_private(p[key])
    await office.ask(p["budi"], f"/mulai {SOP_ID} Renja Bappeda 2027", "dimulai")
    await office.ask(p["dewi"], "/ambil kasubag", "Dewi sekarang memegang")
    await office.ask(p["budi"], f"/mulai {SOP_ID} Renja Kedua", "dimulai")
    hello = await office.say(p["agus"], "Saya siap jadi staf.")  # Agus never pressed Start
    await office.say(p["budi"], "/tetapkan 2 staf", reply_to=hello)
    await office.expect(office.group, "ditetapkan sebagai")
    clock.now = wib(2026, 3, 2, 9, 15)
    assert (await office.app.bot_data.nags.fire()).claimed == 2
    digest = await office.expect(office.group, "Langkah terlambat di grup ini")
    assert "(2)" in (digest.text or "") and digest.button("Ambil")
    assert 'tg://user?id=2003' in (digest.raw_text or "") and digest.button("Buka Pandu").url  # one message
    # Dewi supervises run 1 only; Budi coordinates both and stands in for run 2's supervisor.
    alert = await office.expect(p["dewi"], "Langkah terlambat")
    assert "#1" in (alert.text or "") and "#2" not in (alert.text or "")
    coordinator = await office.expect(p["budi"], "Langkah terlambat (2)")
    assert "#1" in (coordinator.text or "") and "Agus" in (coordinator.text or "")
    await office.press(p["siti"], digest, "Ambil")
    await office.expect(office.group, "Siti sekarang memegang")

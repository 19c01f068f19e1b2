"""Privacy mode: a bot that cannot read plain group messages tells the group's admins once
(persisted: not again after a restart), with the @BotFather steps; an admin bot reads all."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from bot_fixtures import BOT_USERNAME, TOKEN, unthrottled, bot_settings, database_url, populate  # noqa: F401

from handlers.application import build_application, serving
from devtools.emulator import BotApiEmulator, Msg


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator()
    await emulator.start()
    emulator.register_bot(TOKEN, BOT_USERNAME, "Pandu")
    emulator.set_privacy(True)
    yield emulator
    await emulator.stop()


def serve(emu: BotApiEmulator, database_url: str) -> Any:
    return serving(build_application(bot_settings(emu, database_url), drain_interval=1.0, rate_limiter=unthrottled()))


def notices(emu: BotApiEmulator, chat: Any) -> list[Msg]:
    return [m for m in emu.sent_to(chat) if "@BotFather" in (m.text or "")]


async def test_the_first_command_in_a_privacy_mode_group_tells_its_admins_once(
    emu: BotApiEmulator, database_url: str
) -> None:
    group, people = populate(emu)
    budi, siti = people["budi"], people["siti"]
    async with serve(emu, database_url):
        await emu.send_text(siti, group, "/sop")
        notice = await emu.wait_for_message(group, "@BotFather", 10)
        text = notice.text or ""
        assert "/setprivacy" in text and f"@{BOT_USERNAME}" in text and "Disable" in text
        assert 'tg://user?id=2001' in (notice.raw_text or "")  # Budi, the group's admin, is named
        await emu.send_text(budi, group, "/mulai renja-bappeda-kalbar Renja 2027")
        started = await emu.wait_for_message(group, "dimulai", 10)
        await emu.send_text(siti, group, "giliran siapa?")  # privacy mode: never reaches the bot
        await emu.send_text(siti, group, "next?", reply_to=started)  # a reply to the bot does
        await emu.wait_for_message(group, "Sekarang: langkah 1", 10)
        assert len(notices(emu, group)) == 1
    async with serve(emu, database_url):  # a restart on the same database
        await emu.send_text(siti, group, "/bantuan")
        await emu.wait_for_message(group, "Pandu", 10)
        await emu.send_text(siti, group, "/status")
        await emu.wait_for_message(group, "Sekarang", 10)
    assert len(notices(emu, group)) == 1
    answers = [m.text or "" for m in emu.sent_to(group)]
    assert sum("Sekarang: langkah 1" in a for a in answers) == 2  # the reply, and /status
    assert not any(a.startswith("👤") for a in answers)  # "giliran siapa?" got no whose-turn answer


async def test_an_admin_bot_or_privacy_off_needs_no_notice(emu: BotApiEmulator, database_url: str) -> None:
    group, people = populate(emu)
    bot = emu.state.bots[TOKEN]
    emu.set_member(group, bot, "administrator")
    async with serve(emu, database_url):
        await emu.send_text(people["siti"], group, "/sop")
        await emu.wait_for_message(group, "SOP", 10)
        await emu.send_text(people["siti"], group, "/bantuan")
        await emu.wait_for_message(group, "Pandu", 10)
    assert notices(emu, group) == []
    emu.set_member(group, bot, "member")
    emu.set_privacy(False)
    async with serve(emu, database_url):
        await emu.send_text(people["siti"], group, "/bantuan")
        await emu.wait_for_message(group, "Pandu", 10)
    assert notices(emu, group) == []


def test_the_claim_is_won_once_per_chat(engine: Any) -> None:  # type: ignore[no-untyped-def]
    engine.ensure_chat(-5, "supergroup", "A")
    engine.ensure_chat(-6, "supergroup", "B")
    assert engine.claim_privacy_notice(-5) is True
    assert engine.claim_privacy_notice(-5) is False
    assert engine.claim_privacy_notice(-6) is True
    engine.unclaim_privacy_notice(-6)  # the message could not be sent
    assert engine.claim_privacy_notice(-6) is True and engine.claim_privacy_notice(-6) is False


async def test_a_notice_that_could_not_be_sent_is_tried_on_the_next_command(
    emu: BotApiEmulator, database_url: str
) -> None:
    group, people = populate(emu)
    async with serve(emu, database_url):
        emu.faults.configure(1.0, weights={"error500": 1.0}, methods=["sendMessage"])
        await emu.send_text(people["siti"], group, "/sop")  # every answer fails with 500
        for _ in range(200):  # until the notice has been tried and given up (the retries fail too)
            tried = [r for r in emu.request_log if "@BotFather" in str(r.params.get("text", ""))]
            if len(tried) >= 3:
                break
            await asyncio.sleep(0.05)
        assert tried and all(r.status == 500 for r in tried)
        emu.faults.configure(0.0)
        await emu.send_text(people["siti"], group, "/bantuan")
        await emu.wait_for_message(group, "@BotFather", 10)
    assert len(notices(emu, group)) == 1

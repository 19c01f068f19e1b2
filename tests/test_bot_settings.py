"""Settings that change how the bot behaves in a group, and confirming on behalf by button."""

from __future__ import annotations

from typing import Any

import pytest
from bot_fixtures import GROUP_ID, Office, database_url, office, overrides  # noqa: F401


@pytest.mark.parametrize("overrides", [{"strict_role_claims": True, "run_starters": "anyone"}])
async def test_strict_claims_wait_for_the_coordinator(office: Office, overrides: dict[str, Any]) -> None:
    joko, siti = office.people["joko"], office.people["siti"]
    await office.ask(joko, "/mulai renja-bappeda-kalbar", "dimulai")  # anyone may start
    pending = await office.ask(siti, "/ambil sekretaris", "menunggu persetujuan")
    refused = await office.press(siti, pending, "Setujui")
    assert "koordinator" in (refused.text or "")
    assert office.snapshot()["holders"] == 0
    await office.press(joko, pending, "Setujui")
    await office.expect(office.group, "Siti sekarang memegang")
    assert office.snapshot()["holders"] == 1


@pytest.mark.parametrize("overrides", [{"allowed_chat_ids": [GROUP_ID - 1]}])
async def test_chats_not_allowed_are_told_so_and_nothing_happens(office: Office, overrides: dict[str, Any]) -> None:
    budi = office.people["budi"]
    before = office.snapshot()
    answer = await office.ask(budi, "/mulai renja-bappeda-kalbar", "tidak diaktifkan")
    assert answer.text == "Maaf, Pandu tidak diaktifkan untuk chat ini."
    assert office.snapshot() == before
    await office.start_private(budi)  # private chats stay open: that is where tasks arrive


async def test_coordinator_confirms_forum_skpd_with_the_button_and_a_reason(office: Office) -> None:
    budi, joko = office.people["budi"], office.people["joko"]
    await office.start_private(budi)
    await office.ask(budi, "/mulai renja-bappeda-kalbar", "dimulai")
    await office.ask(budi, "/ambil kasubbag", "memegang")
    await office.ask(budi, "/ambil kepala bidang", "memegang")
    await office.say(budi, "/selesai")
    await office.expect(office.group, "Langkah 2")
    await office.say(budi, "/selesai")
    notice = await office.expect(office.group, "Forum SKPD")
    refused = await office.press(joko, notice, "Konfirmasi atas nama")
    assert "Hanya koordinator" in (refused.text or "")
    await office.press(budi, notice, "Konfirmasi atas nama")
    question = await office.expect(office.group, "tuliskan alasan")
    await office.emu.reply(joko, office.group, question, "bukan urusan saya")  # not the one asked: ignored
    await office.emu.reply(budi, office.group, question, "Forum SKPD sepakat, berita acara menyusul")
    done = await office.expect(office.group, "atas nama Forum SKPD")
    assert "berita acara menyusul" in (done.text or "") and "bukan urusan" not in (done.text or "")
    assert office.engine.status(1).step.no == 3

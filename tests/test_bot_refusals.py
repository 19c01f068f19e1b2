"""Requests the bot must refuse politely, changing nothing, and the less common paths.

Each refusal is checked twice: what the person is told, and that the database counts
(events, holders, completed tasks, evidence) did not move. Refusals that need no private
chat or button of a card moved to the in-process client (tests/test_handler_refusals.py).
"""

from __future__ import annotations

from bot_fixtures import Office, database_url, office, overrides  # noqa: F401

from devtools.emulator import Msg


async def start_run(office: Office, title: str = "Renja 2027") -> Msg:
    """Budi starts the Kalbar SOP and takes Kasubbag; returns his step-1 card."""
    budi = office.people["budi"]
    await office.start_private(budi)
    await office.ask(budi, f"/mulai renja-bappeda-kalbar {title}", "dimulai")
    await office.ask(budi, "/ambil kasubbag", "memegang peran")
    return await office.expect(budi, "Langkah 1")


async def test_wrong_person_forged_and_stale_buttons_change_nothing(office: Office) -> None:
    budi, joko, siti = office.people["budi"], office.people["joko"], office.people["siti"]
    card = await start_run(office)
    task_id = int(card.callback_data[0].split("|")[1])
    notice = await office.ask(joko, "/peran", "Peran")
    before = office.snapshot()

    wrong = await office.press_data(joko, notice, f"dn|{task_id}")
    assert wrong.show_alert and "Kasubbag. Rencana Kerja dan Monev" in (wrong.text or "") and "tidak memegang" in (wrong.text or "")
    for forged in ("zz|1", "dn|999999", "dn|01", "cl|1|Kepala Badan", "x" * 64):
        answer = await office.press_data(joko, notice, forged)
        assert answer.show_alert and answer.text == "Tombol ini sudah tidak berlaku.", forged
    assert "tidak punya tugas" in ((await office.ask(siti, "/selesai", "tugas")).text or "")
    assert office.snapshot() == before

    await office.press(budi, card, "Selesai")
    await office.expect(office.group, "dikonfirmasi")
    confirmed = office.snapshot()
    again = await office.press_data(budi, card, f"dn|{task_id}")  # his own, already confirmed: answered, no change
    assert not again.show_alert and again.text == "Tercatat." and office.snapshot() == confirmed
    stale = await office.press_data(siti, notice, f"dn|{task_id}")
    assert "sudah tidak berjalan" in (stale.text or "") and "Budi" in (stale.text or "")
    undo_by_other = await office.press_data(siti, notice, f"un|{task_id}")
    assert undo_by_other.show_alert and "bukan milik Anda" in (undo_by_other.text or "")
    assert office.snapshot()["done"] == 1


async def test_cancel_needs_the_coordinator_and_a_confirmation(office: Office) -> None:
    budi, joko = office.people["budi"], office.people["joko"]
    await start_run(office)
    assert "Hanya admin" in ((await office.ask(joko, "/batal", "admin")).text or "")
    question = await office.ask(budi, "/batal", "Batalkan SOP")
    assert (await office.press(joko, question, "Ya")).show_alert  # not his to cancel
    await office.press(budi, question, "Tidak")
    assert office.engine.get_run(1).status == "active"
    question = await office.ask(budi, "/batal", "Batalkan SOP")
    await office.press(budi, question, "Ya")
    await office.expect(office.group, "dibatalkan oleh")
    assert office.engine.get_run(1).status == "cancelled"
    assert "Dibatalkan" in ((await office.ask(joko, "/status 1", "Renja")).text or "")


async def test_roles_list_buttons_claim_release_and_refuse(office: Office) -> None:
    budi, siti, joko = office.people["budi"], office.people["siti"], office.people["joko"]
    await start_run(office)
    roles = await office.ask(siti, "/peran", "Peran")
    assert "pihak luar" in (roles.text or "")  # Forum SKPD is never claimed
    await office.press(siti, roles, "Ambil: Sekretaris")
    refreshed = await office.emu.wait_for_edit(office.group, lambda m: m.message_id == roles.message_id and "Siti" in (m.text or ""))
    assert "Siti" in (refreshed.text or "") and refreshed.button("Lepas: Sekretaris")
    refused = await office.press(joko, refreshed, "Lepas: Sekretaris")
    assert "tidak memegang" in (refused.text or "")
    taken = await office.ask(joko, "/ambil sekretaris", "sudah dipegang")
    assert "Siti" in (taken.text or "")
    await office.ask(siti, "/lepas sekretaris", "melepas peran")
    assert "tidak dikenal" in ((await office.ask(budi, "/ambil <b>bupati</b>", "tidak dikenal")).raw_text or "").replace("&lt;", "<")


async def test_evidence_by_reply_and_a_blocked_holder_is_mentioned_in_the_group(office: Office) -> None:
    budi, siti = office.people["budi"], office.people["siti"]
    card = await start_run(office)
    await office.emu.send_photo(budi, budi, b"\xff\xd8foto", caption="Nota dinas", reply_to=card)
    assert "Bukti dilampirkan ke langkah 1" in ((await office.expect(budi, "Bukti")).text or "")
    await office.emu.reply(budi, budi, card, "Sudah dikirim lewat email")
    await office.expect(budi, "Bukti")
    assert office.snapshot()["evidence"] == 2

    await office.start_private(siti)
    office.emu.block(siti)
    await office.ask(budi, "/lepas kasubbag", "melepas")
    await office.say(siti, "/ambil kasubbag")
    fallback = await office.expect(office.group, "tidak bisa mengirim pesan pribadi")
    assert 'tg://user?id=2002' in (fallback.raw_text or "") and fallback.button("Buka Pandu")
    assert office.engine.get_user(siti.id).unreachable_since is not None


async def test_language_switch_and_escaping(office: Office) -> None:
    budi = office.people["budi"]
    await office.start_private(budi)
    assert (await office.ask(budi, "/bahasa en", "English")).text == "Language switched to English."
    await office.ask(budi, "/startrun renja-bappeda-kalbar <i>Plan</i> & co", "started")
    status = await office.ask(budi, "What's next?", "Now: step 1")
    assert "<i>Plan</i> & co" in (status.text or "") and "Due:" in (status.text or "")
    assert "Perintah" not in ((await office.ask(budi, "/help", "Pandu")).text or "")
    assert "ganti bahasa" in ((await office.ask(budi, "/bantuan", "Pandu")).text or "")
    assert "Usage" in ((await office.ask(budi, "/language fr", "Usage")).text or "")

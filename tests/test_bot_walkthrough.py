"""Officials of Bappeda Kalbar walk the whole renja-bappeda-kalbar SOP through the bot.

The real Application long-polls the Bot API emulator over HTTP, on a real database.
Everything happens the way it would on phones: Start in private, claims by command and
by button, /tetapkan, confirmations from private task cards, a /selesai with a file in the
group, Forum SKPD confirmed on its behalf, one return for revision with a reason, an undo,
a holder who never pressed Start, "apa selanjutnya?", /tugas, and /riwayat at the end.
"""

from __future__ import annotations

from bot_fixtures import BOT_USERNAME, Office, database_url, office, overrides  # noqa: F401

from devtools.emulator import Msg, User


async def confirm_from_card(office: Office, who: User, step_text: str, card: Msg | None = None) -> Msg:
    """`who` presses ✅ on the task card the bot sent them privately."""
    card = card or await office.expect(who, step_text)
    answer = await office.press(who, card, "Selesai")
    assert answer.text == "Tercatat."
    # That card's own edit: a sweep of an older card of theirs (a card of the first pass
    # losing its ↩️) may arrive in between on a loaded machine.
    edited = await office.emu.wait_for_edit(
        who, lambda m: m.message_id == card.message_id and "dikonfirmasi oleh" in (m.text or ""))
    assert edited.button("Urungkan")
    return edited


async def test_whole_sop_from_start_to_finish(office: Office) -> None:
    budi, siti, agus, rina = (office.people[k] for k in ("budi", "siti", "agus", "rina"))
    group = office.group
    for person in (budi, siti, agus):
        await office.start_private(person)

    # Budi (group admin) starts the run and becomes its coordinator.
    await office.say(budi, "/mulai renja-bappeda-kalbar Renja Bappeda 2027")
    started = await office.expect(group, "dimulai")
    assert "Renja Bappeda 2027" in (started.text or "") and 'href="tg://user?id=2001"' in (started.raw_text or "")
    # The start notice and the call for a holder wait in the queue together: one message.
    assert "belum ada yang memegang" in (started.text or "")
    unassigned = started

    # Claims: by button (Budi), by command (Siti), by a word of the name (Agus) after an ambiguous try.
    await office.press(budi, unassigned, "Ambil")
    await office.expect(group, "Budi sekarang memegang peran")
    step1_card = await office.expect(budi, "Langkah 1")
    assert "Kelengkapan: Konsep pendahuluan Renja" in (step1_card.text or "") and "Batas waktu:" in (step1_card.text or "")
    assert await office.ask(siti, "/ambil sekretaris", "Siti sekarang memegang")
    assert "cocok dengan beberapa peran" in (await office.ask(agus, "/ambil kepala", "cocok")).text  # type: ignore[operator]
    await office.ask(agus, "/ambil bidang", "Agus sekarang memegang")

    # Rina never pressed Start; Budi assigns her Kepala Badan by replying to her message.
    hello = await office.say(rina, "Saya Kepala Badan, siap.")
    await office.say(budi, "/tetapkan kepala badan", reply_to=hello)
    await office.expect(group, "ditetapkan sebagai")

    # Step 1: Budi confirms from his phone, undoes it, confirms again.
    card = await confirm_from_card(office, budi, "Langkah 1", step1_card)
    notice = await office.expect(group, "Langkah 1")
    # The group's 🙋 for step 1 went once the step was done, from Budi's phone (no stale buttons).
    await office.emu.wait_for_edit(group, lambda m: m.message_id == unassigned.message_id and not m.buttons, since=0)
    assert "Langkah 2" in (notice.text or "") and 'tg://user?id=2003' in (notice.raw_text or "")
    await office.press(budi, card, "Urungkan")
    restored = await office.emu.wait_for_edit(  # that card's edit, not a sweep of another card
        budi, lambda m: m.message_id == card.message_id and any("Selesai" in b.text for r in m.buttons for b in r))
    assert restored.button("Selesai") and office.snapshot()["done"] == 0
    await office.expect(group, "dibatalkan oleh")
    await office.press(budi, restored, "Selesai")
    await office.expect(group, "Langkah 2")

    # Step 2: Agus confirms in the group with the minutes attached; Forum SKPD is external.
    await office.emu.send_document(agus, group, "notulen-rapat.pdf", b"%PDF notulen", caption="/selesai rapat bidang selesai")
    forum = await office.expect(group, "Forum SKPD")
    on_behalf = forum.button("Konfirmasi atas nama").callback_data
    assert on_behalf is not None
    await office.say(budi, "/wakili Hasil Forum SKPD disepakati <b>lewat</b> telepon")
    await office.expect(group, "atas nama Forum SKPD")
    # Done by /wakili: the group notice's 🤝 goes (its ↩️ for step 2's first actor stays), and the
    # card Budi got privately trades its 🤝 for ↩️ (he did it, and may still undo it).
    def spent(m: Msg, message_id: int) -> bool:
        return m.message_id == message_id and m.buttons != [] and not any("atas nama" in b.text for r in m.buttons for b in r)

    bare = await office.emu.wait_for_edit(group, lambda m: spent(m, forum.message_id), since=0)
    assert bare.button("Urungkan")
    private = next(m for m in office.emu.sent_to(budi) if "Langkah 2" in (m.text or ""))
    assert (await office.emu.wait_for_edit(budi, lambda m: spent(m, private.message_id), since=0)).button("Urungkan")
    stale = await office.press_data(budi, forum, on_behalf)
    assert stale.show_alert and "sudah tidak berjalan" in (stale.text or "")

    # "apa selanjutnya?" in plain words.
    status = await office.ask(siti, "Apa selanjutnya", "Sekarang: langkah 3")
    assert "Sekretaris" in (status.text or "") and "Berikutnya" in (status.text or "")

    # Steps 3 and 4 from the phones; /tugas in private shows the card too.
    tasks = await office.ask(siti, "/tugas", "Langkah 3", chat=siti)
    assert tasks.button("Selesai")
    await office.press(siti, tasks, "Selesai")
    for person, step in ((budi, "Langkah 3"), (budi, "Langkah 4"), (siti, "Langkah 4")):
        await confirm_from_card(office, person, step)

    # Step 5: Rina is asked in the group to open the bot, does, and returns it for revision.
    prompt = await office.expect(group, "Start")
    assert prompt.button("Buka Pandu").url == f"https://t.me/{BOT_USERNAME}?start=tugas"
    assert 'tg://user?id=2005' in (prompt.raw_text or "")
    await office.say(rina, "/start tugas", chat=rina)
    decision = await office.expect(rina, "Langkah 5")
    assert "Apakah Rencana Kerja telah sempurna?" in (decision.text or "")
    await office.press(rina, decision, "Kembalikan")
    question = await office.expect(rina, "alasan")
    await office.emu.reply(rina, rina, question, "Target kinerja belum sesuai RENSTRA")
    returned = await office.expect(group, "dikembalikan ke langkah 3")
    assert "Target kinerja belum sesuai RENSTRA" in (returned.text or "")

    # Second pass: 3, 4, then approval.
    for person, step in ((siti, "Langkah 3"), (budi, "Langkah 3"), (budi, "Langkah 4"), (siti, "Langkah 4")):
        await confirm_from_card(office, person, step)
    decision = await office.expect(rina, "Langkah 5")
    await office.press(rina, decision, "Setujui")
    finished = await office.expect(group, "selesai.")
    assert "Renja Bappeda 2027" in (finished.text or "")
    assert office.engine.get_run(1).status == "finished"

    # The history names every step, the reasons and the evidence.
    history = await office.ask(budi, "/riwayat 1", "Riwayat")
    text = history.text or ""
    assert "notulen-rapat.pdf" in text and "Target kinerja belum sesuai RENSTRA" in text
    assert "<b>lewat</b>" in text  # the reason was escaped, not interpreted
    assert "Selesai" in text and "dibatalkan" in text
    assert await office.ask(siti, "/tugas", "tidak punya tugas", chat=siti)

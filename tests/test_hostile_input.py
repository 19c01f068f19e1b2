"""Hostile and broken input over the real bot: a clear answer or silence, never a bug,
never a changed state.

Every test runs against the emulator with the ``guarded`` office, which fails if the
error handler met an exception it did not expect (or the bot apologised for one), and
each refusal compares every row of every table before and after.
"""

from __future__ import annotations

import random

from bot_fixtures import Office, database_url, office, overrides  # noqa: F401
from hostile_fixtures import begin, db_rows, guarded, settle  # noqa: F401

from handlers.registry import COMMANDS

GARBAGE = ("", "💥" * 30, "<b>x</b>&amp;<script>", "99999999999999999999", "-1", "#", "²", "0", "@@@ ||| ;;;", "y" * 4000)


async def test_every_command_with_missing_or_garbage_arguments_changes_nothing(guarded: Office) -> None:
    office = guarded
    joko, budi = office.people["joko"], office.people["budi"]
    await begin(office, siti="sekretaris")
    await settle(office, joko)
    await settle(office, joko, chat=joko)
    before = db_rows(office)
    answered = len(office.emu.sent_to(office.group)) + len(office.emu.sent_to(joko))
    names = [alias for aliases, _ in COMMANDS for alias in aliases] + ["terbang"]
    for name in names:
        for junk in GARBAGE:
            await office.say(joko, f"/{name} {junk}".rstrip())
            await office.say(joko, f"/{name}@pandu_test_bot {junk}".rstrip(), chat=joko)
    await settle(office, joko)
    await settle(office, joko, chat=joko)
    assert db_rows(office) == before
    answered = len(office.emu.sent_to(office.group)) + len(office.emu.sent_to(joko)) - answered
    assert answered >= len(names) * len(GARBAGE)  # (nearly) every one was answered, in one chat or both
    # An admin's garbage SOP ids and titles are refused too.
    for junk in GARBAGE[1:]:
        await office.say(budi, f"/mulai {junk}")
        await office.say(budi, f"/mulai renja-bappeda-kalbar {junk * 3}" if len(junk) > 100 else f"/sop {junk}")
    await settle(office, budi)
    assert db_rows(office) == before


async def test_a_title_of_4096_characters_is_refused_and_changes_nothing(guarded: Office) -> None:
    office = guarded
    budi = office.people["budi"]
    await office.start_private(budi)
    await settle(office, budi)
    before = db_rows(office)
    command = "/mulai renja-bappeda-kalbar "
    answer = await office.ask(budi, command + "J" * (4096 - len(command)), "terlalu panjang")
    assert "200" in (answer.text or "")
    assert db_rows(office) == before


async def test_a_note_and_reasons_of_4096_characters_are_kept_and_shown_within_limits(guarded: Office) -> None:
    office = guarded
    budi, agus = office.people["budi"], office.people["agus"]
    await begin(office, agus="bidang")
    note = "/selesai " + "catatan panjang " * 300
    note = note[:4096]
    await office.say(budi, note)
    await office.expect(office.group, "Langkah 2")
    reason = ("alasan <i>penting</i> & " * 200)[:4096 - len("/wakili ")]
    await office.emu.send_document(agus, office.group, "notulen.pdf", b"%PDF", caption="/selesai")
    await office.expect(office.group, "Forum SKPD")
    await office.say(budi, f"/wakili {reason}")
    done = await office.expect(office.group, "atas nama Forum SKPD")
    assert len(done.text or "") <= 4096 and "<i>penting</i>" in (done.text or "")
    history = await office.ask(budi, "/riwayat", "Riwayat")
    assert "catatan panjang" in (history.text or "") and len(history.raw_text or "") <= 4096
    assert office.engine.get_task(1).note == note[len("/selesai ") :]


async def test_html_in_names_titles_and_notes_is_shown_escaped(guarded: Office) -> None:
    office = guarded
    budi = office.people["budi"]
    hacker = office.emu.add_user(2099, "<b>Bos</b> & <script>x</script>", username=None, language_code="id")
    office.group.members[hacker.id] = "member"
    await office.start_private(hacker)
    await begin(office, title="<a href='http://evil'>Renja</a>")
    notice = await office.ask(hacker, "/ambil sekretaris", "memegang peran")
    assert "<b>Bos</b> & <script>x</script>" in (notice.text or "")
    assert "&lt;b&gt;Bos&lt;/b&gt; &amp; &lt;script&gt;" in (notice.raw_text or "")
    roles = await office.ask(budi, "/peran", "Peran")
    assert "<a href='http://evil'>Renja</a>" in (roles.text or "") and "&lt;a href" in (roles.raw_text or "")
    await office.say(budi, "/selesai <b>tebal</b> <u>tidak</u>")
    history = await office.ask(budi, "/riwayat", "Riwayat")
    assert "<b>tebal</b> <u>tidak</u>" in (history.text or "")


async def test_unknown_sop_ids_are_refused_without_echoing_markup(guarded: Office) -> None:
    office = guarded
    budi = office.people["budi"]
    await settle(office, budi)
    before = db_rows(office)
    for sop_id in ("../../etc/passwd", "<b>x</b>", "renja-bappeda-kalbar\u0000", "RENJA-BAPPEDA-KALBAR-2", "x" * 300):
        answer = await office.ask(budi, f"/mulai {sop_id}", "tidak ditemukan")
        assert "<b>x</b>" not in (answer.raw_text or "")
        await office.ask(budi, f"/sop {sop_id}", "tidak ditemukan")
    assert db_rows(office) == before


async def test_a_20_mb_document_is_refused_by_its_size_and_never_downloaded(guarded: Office) -> None:
    office = guarded
    budi = office.people["budi"]
    card = await begin(office)
    before = db_rows(office)
    huge = b"\0" * (20 * 1024 * 1024)
    await office.emu.send_document(budi, budi, "scan-renja.pdf", huge, caption="/selesai")
    refused = await office.expect(budi, "MB")
    assert "20.0 MB" in (refused.text or "") and "10 MB" in (refused.text or "")
    await office.emu.send_document(budi, budi, "scan-renja.pdf", huge, reply_to=card)
    await office.expect(budi, "paling besar")
    await office.emu.send_document(budi, office.group, "scan-renja.pdf", huge, caption="/selesai")
    await office.expect(office.group, "paling besar")
    assert db_rows(office) == before
    assert not [r for r in office.emu.request_log if r.method.lower() == "getfile"]


async def test_edited_messages_are_ignored(guarded: Office) -> None:
    office = guarded
    budi = office.people["budi"]
    await begin(office)
    sent = await office.say(budi, "sebentar lagi")
    typo = await office.say(budi, "/statu")
    await office.expect(office.group, "tidak dikenal")
    before = db_rows(office)
    await office.emu.edit_text(budi, office.group, sent, "/selesai diedit")
    await office.emu.edit_text(budi, office.group, typo, "/batal")
    await settle(office, budi)
    assert db_rows(office) == before
    assert not [m for m in office.emu.sent_to(office.group) if "Batalkan SOP" in (m.text or "")]


async def test_a_press_on_a_card_deleted_meanwhile_counts_once_and_is_announced(guarded: Office) -> None:
    office = guarded
    budi = office.people["budi"]
    card = await begin(office)
    query = await office.emu.press(budi, card, text="Selesai")
    card.deleted = True  # the person deletes the card before the bot edits it
    answer = await office.emu.wait_for_callback_answer(query, timeout=10)
    assert answer.text == "Tercatat."
    await office.expect(office.group, "dikonfirmasi")
    assert office.snapshot()["done"] == 1


async def test_channel_posts_and_other_bots_are_ignored(guarded: Office) -> None:
    office = guarded
    channel = office.emu.add_channel(-100555, "Kanal Pengumuman")
    robot = office.emu.add_user(4242, "OtherBot", username="other_bot", is_bot=True)
    office.group.members[robot.id] = "member"
    await settle(office, office.people["joko"])
    before = db_rows(office)
    await office.emu.post_channel(channel, "/mulai renja-bappeda-kalbar dari kanal")
    await office.emu.send_text(robot, office.group, "/mulai renja-bappeda-kalbar dari bot")
    await office.emu.send_text(robot, office.group, "apa selanjutnya?")
    await settle(office, office.people["joko"])
    assert db_rows(office) == before  # not even the channel or the other bot was recorded
    assert not office.emu.sent_to(channel)
    assert not [m for m in office.emu.sent_to(office.group) if "dimulai" in (m.text or "")]


async def test_forged_and_stale_callback_data_is_refused_and_changes_nothing(guarded: Office) -> None:
    office = guarded
    joko = office.people["joko"]
    await begin(office)
    roles = await office.ask(joko, "/peran", "Peran")
    before = db_rows(office)
    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789|_-#:'\" <>"
    forged = ["dn|1", "dc|1|setuju", "un|1", "ob|1", "od|1|kembali", "cx|1", "ck|1", "ap|1|0|2006", "pr|drop|1"]
    forged += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 64))) for _ in range(40)]
    for data in forged:
        answer = await office.press_data(joko, roles, data)
        assert answer.show_alert and answer.text, data
    assert db_rows(office) == before


async def test_a_reply_to_a_question_the_bot_forgot_is_answered_and_changes_nothing(guarded: Office) -> None:
    from handlers.task_buttons import PROMPT_MARK
    from handlers.ui.texts import CATALOG

    office = guarded
    budi = office.people["budi"]
    await begin(office)
    usage = await office.ask(budi, "/wakili", "Pakai: /wakili")
    await office.press(budi, usage, "Konfirmasi atas nama")
    question = await office.expect(office.group, "alasan")
    await settle(office, budi)
    office.app.bot_data.prompts.clear()  # what a restart does to open questions
    before = db_rows(office)
    answer = await office.emu.reply(budi, office.group, question, "Budi dinas luar")
    assert "kedaluwarsa" in ((await office.expect(office.group, "kedaluwarsa")).text or "") and answer
    assert db_rows(office) == before
    assert all(catalog["reason_prompt"].startswith(PROMPT_MARK) for catalog in CATALOG.values())

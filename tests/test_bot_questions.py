"""Questions in plain words reach the real bot through the emulator: answered with the
run's status, asked which run when there are several, and chatter left alone."""

from __future__ import annotations

from bot_fixtures import BOT_USERNAME, Office, database_url, office, overrides  # noqa: F401

from devtools.emulator import Msg


def labels(message: Msg) -> list[str]:
    return [b.text for row in message.buttons for b in row]


async def start(office: Office, title: str = "Renja 2027") -> None:
    budi = office.people["budi"]
    await office.say(budi, f"/mulai renja-bappeda-kalbar {title}")
    # The start and the first step's notice: one group message when the sender merges them.
    await office.expect(office.group, "belum ada yang memegang")
    assert any("dimulai" in (m.text or "") for m in office.emu.sent_to(office.group))


async def test_each_kind_of_question_gets_its_answer_and_chatter_gets_nothing(office: Office) -> None:
    siti, agus, joko = (office.people[k] for k in ("siti", "agus", "joko"))
    await start(office)
    group = office.group
    kinds = {"giliran siapa?": "langkah 1 menunggu Kasubbag", "udh sampe mana nih?": "langkah 1 dari",
             "langkah berikutnya apa ya?": "Sekarang: langkah 1", "brp lama lagi": "waktu kerja dari waktu baku",
             "who's next?": "belum ada pemegangnya", "lanjut": "Sekarang: langkah 1"}
    for question, expected in kinds.items():
        await office.say(joko, "selanjutnya kita rapat jam 2")  # chatter, then the question:
        await office.say(agus, "lanjut makan siang")  # updates are handled in order, so the
        answer = await office.ask(siti, question, "#1")  # next answer is the question's
        assert expected in (answer.text or ""), (question, answer.text)
        assert answer.reply_to is not None and answer.reply_to.text == question  # it quotes the question
    said = [m.text or "" for m in office.emu.sent_to(group)]
    assert sum("Sekarang: langkah 1" in text for text in said) == 2
    assert sum("#1" in text for text in said) == 1 + len(kinds)  # the start's notice, then one answer each


async def test_a_mention_or_a_reply_to_the_bot_is_a_question_too(office: Office) -> None:
    siti = office.people["siti"]
    await start(office)
    answer = await office.ask(siti, f"@{BOT_USERNAME} next", "Sekarang: langkah 1")
    replied = await office.emu.send_text(siti, office.group, "next", reply_to=answer)
    again = await office.expect(office.group, "Sekarang: langkah 1")
    assert again.message_id > replied.message_id
    await office.say(siti, "@budi_renja lanjut")  # for Budi, not for the bot
    await office.say(siti, "next")  # no question mark, nobody addressed: nothing
    last = await office.ask(siti, "status?", "langkah 1 dari")  # where the run is
    texts = [m.text or "" for m in office.emu.sent_to(office.group) if m.message_id > again.message_id]
    assert texts == [last.text]


async def test_with_two_runs_the_question_asks_which_one(office: Office) -> None:
    siti = office.people["siti"]
    await start(office, "Renja A")
    await start(office, "Renja B")
    choose = await office.ask(siti, "sudah sampai mana?", "Pilih salah satu")
    assert choose.button("#1") and choose.button("#2")


async def test_in_english_chats_the_answer_is_english(office: Office) -> None:
    budi, siti = office.people["budi"], office.people["siti"]
    await office.ask(budi, "/bahasa en", "switched to English")
    await start_en(office)
    answer = await office.ask(siti, "whose turn is it?", "step 1 waits for")
    assert "#1" in (answer.text or "") and "which nobody holds yet" in (answer.text or "")
    late = await office.ask(siti, "how long left?", "of working time used")
    assert "standard time" in (late.text or "")
    where = await office.ask(siti, "where are we?", "step 1 of 5")
    assert "No step is done yet." in (where.text or "")
    assert (await office.ask(siti, "what's next?", "Now: step 1")).text


async def start_en(office: Office) -> None:
    await office.say(office.people["budi"], "/mulai renja-bappeda-kalbar Renja 2027")
    await office.expect(office.group, "nobody holds")  # the first step's notice (merged with the start's)
    assert any("started" in (m.text or "") for m in office.emu.sent_to(office.group))


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


async def test_peran_shows_release_only_for_ones_own_roles_and_revoke_to_the_coordinator(office: Office) -> None:
    budi, siti, joko = (office.people[k] for k in ("budi", "siti", "joko"))
    await start(office)
    await office.ask(siti, "/ambil sekretaris", "memegang")
    await office.ask(budi, "/ambil kasubbag", "memegang")
    seen_by_joko = await office.ask(joko, "/peran", "Peran")
    assert not [b for b in labels(seen_by_joko) if "Lepas" in b or "Cabut" in b]
    assert seen_by_joko.button("Ambil: Kepala Badan")
    seen_by_siti = await office.ask(siti, "/peran", "Peran")
    assert [b for b in labels(seen_by_siti) if "Lepas" in b] == ["🔓 Lepas: Sekretaris"]
    assert not [b for b in labels(seen_by_siti) if "Cabut" in b]
    seen_by_budi = await office.ask(budi, "/peran", "Peran")
    assert seen_by_budi.button("Lepas: Kasubbag") and seen_by_budi.button("Cabut: Sekretaris")
    refused = await office.press(joko, seen_by_budi, "Cabut: Sekretaris")
    assert refused.show_alert and "koordinator" in (refused.text or "")
    await office.press(budi, seen_by_budi, "Cabut: Sekretaris")
    await office.expect(office.group, "dicabut dari")

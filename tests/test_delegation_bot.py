"""Plh. through the real bot and the Bot API emulator: a request in the group, the
substitute's Accept, cards and the record following the substitute, the hand-back, and
bad input answered with nothing changed."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot_fixtures import Office, database_url, office, overrides  # noqa: F401
from sqlalchemy import text

from devtools.emulator import Msg

WIB = ZoneInfo("Asia/Pontianak")


def in_days(n: int) -> str:
    day = datetime.now(WIB).date() + timedelta(days=n)
    return f"{day.day}/{day.month}/{day.year}"


def delegations(office: Office) -> int:
    with office.engine.db.transaction(readonly=True) as s:
        return int(s.execute(text("SELECT count(*) FROM delegations")).scalar_one())


async def run_with_budi_on_step_1(office: Office) -> Msg:
    """Budi coordinates and holds Kasubbag (step 1); returns his step 1 card."""
    budi, siti, agus = (office.people[k] for k in ("budi", "siti", "agus"))
    for person in (budi, siti, agus):
        await office.start_private(person)
    await office.say(budi, "/mulai renja-bappeda-kalbar Renja 2027")
    await office.expect(office.group, "dimulai")
    await office.ask(budi, "/ambil kasubbag", "Budi sekarang memegang")
    return await office.expect(budi, "Langkah 1")


async def ask_siti(office: Office) -> Msg:
    budi = office.people["budi"]
    await office.say(budi, f"/plh kasubbag @siti_sekretaris sampai {in_days(3)} cuti tahunan 🏖️")
    request = await office.expect(office.group, "meminta")
    assert "Plh. Kasubbag" in (request.text or "") and "cuti tahunan" in (request.text or "")
    assert request.button("Terima") and request.button("Tolak")
    return request


async def test_a_plh_confirmation_shows_the_substitute_as_plh_everywhere(office: Office) -> None:
    budi, siti, agus = (office.people[k] for k in ("budi", "siti", "agus"))
    await run_with_budi_on_step_1(office)
    request = await ask_siti(office)
    before = office.snapshot()
    other = await office.press(agus, request, "Terima")
    assert other.show_alert and "orang yang ditunjuk" in (other.text or "")
    assert office.snapshot() == before
    answer = await office.press(siti, request, "Terima")
    assert answer.text == "Diterima."
    await office.expect(office.group, "menjadi")
    card = await office.expect(siti, "Langkah 1")
    assert "Plh. Kasubbag. Rencana Kerja dan Monev: Siti, menggantikan Budi" in (card.text or "") and card.button("Selesai")
    mine = await office.ask(budi, "/tugas", "Langkah 1", chat=budi)  # the holder on leave still sees it, rightly worded
    assert "Plh. Kasubbag. Rencana Kerja dan Monev: Siti, menggantikan Budi" in (mine.text or "")
    assert (await office.press(siti, card, "Selesai")).text == "Tercatat."
    notice = await office.expect(office.group, "dikonfirmasi oleh")
    assert "Siti (Plh. Kasubbag" in (notice.text or "")
    history = await office.ask(budi, "/riwayat", "Riwayat")
    assert "Siti (Plh. Kasubbag" in (history.text or "") and "menjadi Plh. Kasubbag" in (history.text or "")
    roles = await office.ask(budi, "/peran", "Peran")
    assert "🧳 Plh. Kasubbag" in (roles.text or "") and roles.button("Akhiri")
    holder_line = next(line for line in (roles.text or "").splitlines() if line.startswith("• Kasubbag"))
    assert "Budi" in holder_line and "Siti" not in holder_line  # the holder stays the holder


async def test_ending_hands_back_with_a_digest_and_the_substitutes_card_loses_its_buttons(office: Office) -> None:
    budi, siti = office.people["budi"], office.people["siti"]
    await run_with_budi_on_step_1(office)
    request = await ask_siti(office)
    await office.press(siti, request, "Terima")
    card = await office.expect(siti, "Langkah 1")
    assert card.button("Selesai")
    await office.say(budi, "/plh 1 selesai kasubbag")
    await office.expect(office.group, "tugas kembali ke")
    bare = await office.emu.wait_for_edit(siti)
    assert bare.message_id == card.message_id and bare.buttons == []
    await office.expect(siti, "Masa Anda sebagai")
    digest = await office.expect(budi, "kembali kepada Anda")
    assert "tidak ada langkah" in (digest.text or "") and "menunggu Anda: langkah 1" in (digest.text or "")
    back = await office.expect(budi, "Langkah 1")
    assert back.button("Selesai") and "Plh." not in (back.text or "")
    assert await office.ask(budi, "/plh selesai kasubbag", "tidak sedang punya")


async def test_bad_requests_get_a_clear_answer_and_change_nothing(office: Office) -> None:
    budi, siti, agus, rina = (office.people[k] for k in ("budi", "siti", "agus", "rina"))
    await run_with_budi_on_step_1(office)
    before = office.snapshot()
    cases = [
        (siti, f"/plh kasubbag @budi_renja sampai {in_days(2)}", "tidak memegang peran"),
        (budi, f"/plh kasubbag @budi_renja sampai {in_days(2)}", "orang lain"),
        (budi, "/plh kasubbag @siti_sekretaris sampai 1/1/2020", "sudah lewat"),
        (budi, f"/plh kasubbag @siti_sekretaris sampai {in_days(60)}", "paling lama 30 hari"),
        (budi, "/plh kasubbag @siti_sekretaris sampai 31 Feb", "tidak dikenali"),
        (budi, "/plh kasubbag @siti_sekretaris sampai 31/12/9999", "paling lama 30 hari"),
        (budi, "/plh kasubbag @siti_sekretaris mulai 9999-12-30 sampai 31/12/9999", "paling jauh"),
        (budi, f"/plh kasubbag @nobody_here sampai {in_days(2)}", "belum dikenal"),
        (budi, f"/plh forum @siti_sekretaris sampai {in_days(2)}", "pihak luar"),
        (budi, "/plh kasubbag @siti_sekretaris", "sampai kapan"),
        (budi, "/plt kasubbag @siti_sekretaris", "sudah dipegang"),
        (budi, "/plh", "Pakai: /plh"),
        (budi, "/plh selesai", "Pakai: /plh selesai"),
        (budi, "/plh selesai kasubbag", "tidak sedang punya"),
    ]
    for who, command, expected in cases:
        answer = await office.ask(who, command)
        assert expected in (answer.text or ""), (command, answer.text)
    assert office.snapshot() == before and delegations(office) == 0
    # Someone outside the group, known to the bot from a private /start, is refused too.
    outsider = office.emu.add_user(2999, "Tono", username="tono_luar", language_code="id")
    await office.start_private(outsider)
    answer = await office.ask(budi, f"/plh kasubbag @tono_luar sampai {in_days(2)}")
    assert "bukan anggota" in (answer.text or "") and delegations(office) == 0
    # Rina never pressed Start: the request mentions her in the group with the open-bot button.
    hello = await office.say(rina, "Saya siap menggantikan.")
    await office.say(budi, f"/plh kasubbag sampai {in_days(2)} dinas luar", reply_to=hello)
    request = await office.expect(office.group, "meminta")
    assert "belum menekan Start" in (request.text or "") and request.button("Buka").url
    # A second request for an overlapping period is refused while the first awaits an answer.
    overlap = await office.ask(budi, f"/plh kasubbag @siti_sekretaris sampai {in_days(1)}")
    assert "sudah punya Plh." in (overlap.text or "") and delegations(office) == 1


async def test_the_plh_button_under_peran_asks_and_a_reply_names_the_substitute(office: Office) -> None:
    budi, siti, agus = (office.people[k] for k in ("budi", "siti", "agus"))
    await run_with_budi_on_step_1(office)
    roles = await office.ask(budi, "/peran", "Peran")
    refused = await office.press(agus, roles, "🧳 Plh.")
    assert refused.show_alert and "tidak memegang peran" in (refused.text or "")
    await office.press(budi, roles, "🧳 Plh.")
    prompt = await office.expect(office.group, "siapa Plh.")
    stranger = await office.say(agus, "@siti_sekretaris sampai besok", reply_to=prompt)  # not his question
    assert stranger and delegations(office) == 0
    await office.say(budi, f"🙏 @siti_sekretaris sampai {in_days(2)} dinas luar", reply_to=prompt)  # emoji: UTF-16 offsets
    request = await office.expect(office.group, "meminta")
    assert "dinas luar" in (request.text or "") and delegations(office) == 1
    await office.press(siti, request, "Terima")
    assert "Plh. Kasubbag" in ((await office.expect(siti, "Langkah 1")).text or "")


async def test_the_holder_on_leave_may_still_press_his_old_card_and_the_substitute_is_told(office: Office) -> None:
    budi, siti = office.people["budi"], office.people["siti"]
    old_card = await run_with_budi_on_step_1(office)
    request = await ask_siti(office)
    await office.press(siti, request, "Terima")
    siti_card = await office.expect(siti, "Langkah 1")
    assert (await office.press(budi, old_card, "Selesai")).text == "Tercatat."
    notice = await office.expect(office.group, "dikonfirmasi oleh")
    assert "Plh." not in (notice.text or "")
    spent = await office.emu.wait_for_edit(siti)
    assert spent.message_id == siti_card.message_id and spent.buttons == []
    told = await office.expect(siti, "sudah dikerjakan oleh")
    assert "Budi" in (told.text or "")


async def test_the_coordinator_names_a_plh_for_an_absent_holder_with_a_reason_and_a_plt_for_a_vacant_role(
    office: Office,
) -> None:
    budi, siti, agus = (office.people[k] for k in ("budi", "siti", "agus"))
    await run_with_budi_on_step_1(office)
    await office.ask(agus, "/ambil bidang", "Agus sekarang memegang")
    without = await office.ask(budi, f"/plh bidang @siti_sekretaris sampai {in_days(2)}")
    assert "dengan alasan" in (without.text or "") and delegations(office) == 0
    await office.say(budi, f"/plh bidang @siti_sekretaris sampai {in_days(2)} Agus sakit, surat dokter")
    request = await office.expect(office.group, "meminta")
    assert "Agus sakit" in (request.text or "")
    await office.press(siti, request, "Terima")
    await office.expect(office.group, "Plh. Kepala Bidang")
    # Kepala Badan is vacant: only a Plt., and only by the coordinator.
    refused = await office.ask(agus, "/plt kepala badan @siti_sekretaris")
    assert "Hanya koordinator" in (refused.text or "")
    await office.say(budi, "/plt kepala badan @siti_sekretaris menunggu pelantikan")
    plt = await office.expect(office.group, "meminta")
    assert "Plt. Kepala Badan" in (plt.text or "") and "tanpa batas" in (plt.text or "")
    await office.press(siti, plt, "Terima")
    await office.expect(office.group, "Plt. Kepala Badan")
    roles = await office.ask(budi, "/peran", "Peran")
    assert "🧳 Plh. Kepala Bidang" in (roles.text or "") and "🧳 Plt. Kepala Badan" in (roles.text or "")
    assert roles.button("Ambil: Kepala Badan")  # vacant still: claiming it would end the Plt.
    await office.press(budi, roles, "Akhiri Plt.")
    back = await office.expect(office.group, "tugas kembali ke")
    assert "kembali ke belum ada pemegang" in (back.text or "")  # a vacant role: back to the group
    history = await office.ask(budi, "/riwayat", "Riwayat")
    assert "menjadi Plt. Kepala Badan (tanpa batas)" in (history.text or "") and "Alasan: Agus sakit" in (history.text or "")
    assert "Plt. Kepala Badan Siti berakhir" in (history.text or "")
    assert delegations(office) == 2

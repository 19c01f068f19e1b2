"""Monev through the real bot over the Bot API emulator: the questionnaire end to end,
/monev with its files, the Paraf, and every refusal changing nothing.

A renja-bappeda-kalbar run is played through the bot's own engine on a clock in March
2026 (so /monev's default period is 2026-1). Budi (group admin) coordinates and holds the
supervisor role; Siti and Dewi pressed Start; Agus, the Kepala Bidang, never did.
"""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

from bot_fixtures import GROUP_ID, Office, database_url, office, overrides  # noqa: F401
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import text

from devtools.emulator import Msg
from bot.reports.sample import KALBAR_MINUTES, KALBAR_OUTCOMES, START, SteppingClock, play
from handlers.monev_survey import deliver_invites

SOP = "renja-bappeda-kalbar"
PEOPLE = [(2001, "Budi", "kasubbag_renja"), (2002, "Siti", "sekretaris"), (2003, "Agus", "kepala_bidang"),
          (2004, "Dewi", "kepala_badan")]
NOTE = "Kelengkapan langkah 3 perlu diperjelas"


def evaluations(office: Office) -> list[tuple[Any, ...]]:
    with office.engine.db.transaction(readonly=True) as s:
        rows = s.execute(text("SELECT id, user_id, answers, note, sent_at IS NOT NULL FROM monev_evaluations ORDER BY id"))
        return [(i, u, json.loads(a) if isinstance(a, str) else a, n, sent) for i, u, a, n, sent in rows]


def monev_rows(office: Office) -> dict[str, int]:
    with office.engine.db.transaction(readonly=True) as s:
        return {t: int(s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                for t in ("monev_signoffs", "monev_actions", "audit_events")}


async def finished_run_with_questionnaires(office: Office) -> dict[str, Msg]:
    for key in ("budi", "siti", "dewi"):
        await office.start_private(office.people[key])
    clock = SteppingClock(START, office.engine.calendar("Asia/Pontianak"))
    office.engine.clock = clock
    await asyncio.to_thread(play, office.engine, clock.work, SOP, PEOPLE, KALBAR_MINUTES, KALBAR_OUTCOMES,
                            chat_id=GROUP_ID)
    assert await deliver_invites(office.app) == 3
    return {key: await office.expect(office.people[key], "Evaluasi penerapan SOP") for key in ("budi", "siti", "dewi")}


async def test_the_questionnaire_end_to_end(office: Office) -> None:
    cards = await finished_run_with_questionnaires(office)
    siti, agus = office.people["siti"], office.people["agus"]
    assert not [m for m in office.emu.sent_to(agus) if "Evaluasi" in (m.text or "")]  # never pressed Start
    card = cards["siti"]
    assert "1. Mampu mendorong peningkatan kinerja — …" in (card.text or "")
    assert "7. Sinergi satu dengan lainnya — …" in (card.text or "")
    assert await deliver_invites(office.app) == 0  # once per run and person

    for no in range(1, 8):
        answer = await office.press(siti, card, f"{no}. Tidak" if no == 3 else f"{no}. Ya")
        assert answer.text == "Tersimpan"
    edited = await office.emu.wait_for_edit(siti, "Terima kasih")
    assert edited is card and "3. Mudah dilaksanakan — ❌ Tidak" in (edited.text or "") and "Terima kasih" in (edited.text or "")
    before = evaluations(office)
    again = await office.press(siti, card, "3. Tidak")  # a double press
    assert again.text == "Sudah tercatat begitu; tidak ada yang berubah." and evaluations(office) == before

    mark = office.emu.mark()
    await office.press(siti, card, "Catatan")
    prompt = await office.emu.wait_for_message(siti, "catatan evaluasi", since=mark)
    await office.emu.reply(siti, siti, prompt, NOTE)
    await office.expect(siti, "Catatan evaluasi disimpan")
    await office.emu.wait_for_edit(siti, f"Catatan: {NOTE}")
    (row,) = [r for r in evaluations(office) if r[1] == 2002]
    assert row[2] == {"kinerja": True, "dipahami": True, "dilaksanakan": False, "peran": True, "masalah": True,
                      "kebutuhan": True, "sinergi": True} and row[3] == NOTE and row[4]
    assert f"Catatan: {NOTE}" in (card.text or "")

    # Forged: Budi presses a payload naming Siti's questionnaire; a criterion out of range; Ya=2.
    siti_id = row[0]
    before = evaluations(office)
    for data in (f"ea|{siti_id}|0|0", f"ea|{siti_id}|9|1", f"ea|{siti_id}|0|2", f"en|{siti_id}"):
        refused = await office.press_data(office.people["budi"], cards["budi"], data)
        assert refused.show_alert and refused.text and "tidak berlaku" in refused.text.lower()
    assert evaluations(office) == before
    assert not office.app.bot_data.unexpected_errors


async def test_a_person_who_blocked_the_bot_is_given_up_and_never_asked_again(office: Office) -> None:
    for key in ("budi", "siti", "dewi"):
        await office.start_private(office.people[key])
    clock = SteppingClock(START, office.engine.calendar("Asia/Pontianak"))
    office.engine.clock = clock
    await asyncio.to_thread(play, office.engine, clock.work, SOP, PEOPLE, KALBAR_MINUTES, KALBAR_OUTCOMES,
                            chat_id=GROUP_ID)
    await office.app.bot_data.notifier.flush()  # Dewi's task cards reached her: the bot thinks it may write
    office.emu.block(office.people["dewi"])  # then she blocks it
    assert await deliver_invites(office.app) == 2
    assert await deliver_invites(office.app) == 0
    with office.engine.db.transaction(readonly=True) as s:
        rows = list(s.execute(text("SELECT user_id, sent_at IS NOT NULL, abandoned_at IS NOT NULL, attempts "
                                   "FROM monev_evaluations ORDER BY user_id")))
    assert [tuple(r) for r in rows] == [(2001, True, False, 1), (2002, True, False, 1), (2004, False, True, 1)]
    assert office.app.job_queue.get_jobs_by_name("monev-questionnaires")  # the job that does this every minute


async def test_an_english_group_gets_english_forms_with_the_same_sheets(office: Office) -> None:
    await finished_run_with_questionnaires(office)
    budi = office.people["budi"]
    await office.ask(budi, "/bahasa en", "English")
    await office.ask(budi, "/review action 1 Review step 2", "saved")
    await office.ask(budi, "/review action 1 -", "back to Pandu's proposal")
    summary = await office.ask(budi, "/review", "SOP AP monitoring and evaluation")
    assert "Assessment: Running well" in (summary.text or "") and "(by the assessor)" not in (summary.text or "")
    assert "Action: Keep applying the SOP." in (summary.text or "")
    await office.expect(None, lambda m: m.document is not None and m.document.file_name.endswith(".docx"))
    xlsx = await office.expect(None, lambda m: m.document is not None and m.document.file_name.endswith(".xlsx"))
    book = load_workbook(io.BytesIO(await download(office, xlsx)))
    assert book.sheetnames == ["Monitoring", "Evaluasi", "Rincian"]
    assert [c.value for c in book["Monitoring"][2]][:6] == [
        "No.", "Procedure", "Assessment of implementation", "Assessment notes", "Action to be taken",
        "Assessor's initials"]
    await office.ask(budi, "/review action 9 x", "no row 9")
    await office.ask(budi, "/review action", "Usage")


async def test_monev_in_the_group_sends_the_forms_and_the_paraf_freezes_them(office: Office) -> None:
    cards = await finished_run_with_questionnaires(office)
    budi, siti, agus, rina = (office.people[k] for k in ("budi", "siti", "agus", "rina"))
    await office.press(siti, cards["siti"], "1. Ya")

    before = monev_rows(office)
    await office.ask(agus, "/monev", "hanya untuk penilai")  # neither supervisor, coordinator nor admin
    await office.ask(budi, "/monev 2099-1", "belum dimulai")
    await office.ask(budi, "/monev 2025-2", "Tidak ada SOP yang dijalankan")
    await office.ask(budi, "/monev kemarin", "tidak dikenal")
    await office.ask(rina, "/monev", "belum mengoordinasi", chat=rina)
    assert monev_rows(office) == before

    await office.ask(budi, "/monev tindakan 1 Tinjau ulang waktu baku langkah 2", "disimpan")
    await office.ask(siti, "/monev tindakan 1 lain", "Hanya penilai")
    summary = await office.ask(budi, "/monev", "Monitoring dan Evaluasi SOP AP")
    body = summary.text or ""
    assert "Periode 2026-01-01 s.d. 2026-06-30 (2026-1)" in body
    # The sample schedule: 8 passes, only step 2 (160 of 120) late; nothing cancelled.
    assert "Penilaian: Berjalan dengan baik" in body
    assert "7 dari 8 putaran langkah tepat waktu (88%)" in body
    assert "Tindakan: Tinjau ulang waktu baku langkah 2 (oleh penilai)" in body
    assert "Evaluasi pelaksana: 1 dari 3 menjawab · 1: 100%" in body
    docx_msg = await office.expect(None, lambda m: m.document is not None and m.document.file_name.endswith(".docx"))
    xlsx_msg = await office.expect(None, lambda m: m.document is not None and m.document.file_name.endswith(".xlsx"))
    chart = await office.expect(None, lambda m: m.photo is not None)
    assert docx_msg.document.file_name == "monev-2026-1.docx" and chart.photo.file_name == "monev-2026-1.png"
    document = Document(io.BytesIO(await download(office, docx_msg)))
    assert document.tables[0].rows[2].cells[4].text == "Tinjau ulang waktu baku langkah 2"
    book = load_workbook(io.BytesIO(await download(office, xlsx_msg)))
    assert [c.value for c in book["Monitoring"][3]][8:14] == [1, 1, 0, 0, 8, 7]

    refused = await office.press(siti, summary, "Paraf")  # only the supervisor signs
    assert refused.show_alert and "Hanya penilai" in (refused.text or "")
    assert monev_rows(office)["monev_signoffs"] == 0
    signed = await office.press(budi, summary, "Paraf")
    assert not signed.show_alert
    await office.expect(None, "diparaf oleh")
    assert "Diparaf oleh Budi" in (summary.text or "") and not summary.callback_data
    frozen = monev_rows(office)
    again = await office.press_data(budi, summary, "ms|2026-1")  # a double press on the old button
    assert again.show_alert and "sudah diparaf" in (again.text or "")
    locked = await office.press(siti, cards["siti"], "2. Tidak")
    assert locked.show_alert and "sudah diparaf" in (locked.text or "")
    assert monev_rows(office) == frozen
    with office.engine.db.transaction(readonly=True) as s:
        kinds = [r[0] for r in s.execute(text("SELECT kind FROM audit_events WHERE kind LIKE 'monev%' ORDER BY id"))]
    assert kinds == ["monev_action_set", "monev_signed_off"]

    private = await office.ask(budi, "/monev 2026-1", "Monitoring dan Evaluasi SOP AP", chat=budi)
    assert "Diparaf oleh Budi" in (private.text or "") and not private.callback_data
    assert not office.app.bot_data.unexpected_errors


async def test_a_group_admin_who_ran_nothing_gets_the_groups_monev_in_private(office: Office) -> None:
    await finished_run_with_questionnaires(office)
    rina = office.people["rina"]
    await office.ask(rina, "/monev", "belum mengoordinasi", chat=rina)  # neither coordinator, supervisor nor admin
    office.group.members[rina.id] = "administrator"  # promoted in Telegram: no run of hers needed
    summary = await office.ask(rina, "/monev", "Monitoring dan Evaluasi SOP AP", chat=rina)
    assert "Penilaian: Berjalan dengan baik" in (summary.text or "") and not summary.callback_data  # no Paraf
    await office.ask(rina, "/monev tindakan 1 lain", "dipakai di grup", chat=rina)
    assert not office.app.bot_data.unexpected_errors


async def test_a_tindakan_for_a_period_of_two_dates(office: Office) -> None:
    await finished_run_with_questionnaires(office)
    budi = office.people["budi"]
    await office.ask(budi, "/monev tindakan 2026-01-01 2026-03-31 1 Tambah pemegang peran", "disimpan")
    await office.ask(budi, "/monev tindakan 2026-03-31 1 lain", "tidak dikenal")  # one date is no period
    summary = await office.ask(budi, "/monev 2026-01-01 2026-03-31", "Monitoring dan Evaluasi SOP AP")
    assert "Tindakan: Tambah pemegang peran (oleh penilai)" in (summary.text or "")
    semester = await office.ask(budi, "/monev", "Monitoring dan Evaluasi SOP AP")
    assert "(oleh penilai)" not in (semester.text or "")  # the override belongs to its own period
    assert monev_rows(office)["monev_actions"] == 1


async def download(office: Office, message: Msg) -> bytes:
    stored = message.document or message.photo
    assert stored is not None
    found = await office.app.bot.get_file(stored.file_id)
    return bytes(await found.download_as_bytearray())

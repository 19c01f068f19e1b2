"""An SOP admin brings a Word SOP from their phone to a runnable, versioned catalogue entry.

Everything over the Bot API emulator, on a real database: the upload (getFile and the
download), the progress message edited in place, the summary and flowchart picture, the
fixes by button and by reply, publication, a run started from it in a group with a step
confirmed, withdrawal (and /mulai refusing), and a second bot process on the same
database seeing the publication without a restart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bot_fixtures import Office, database_url, office, overrides  # noqa: F401
from catalog_fixtures import marked_docx
from sqlalchemy import text

from devtools.emulator import Msg, User

BUDI = 2001  # group admin of the office group, and SOP admin here
NEW_ID = "renja-kalbar-2027"


@pytest.fixture
def overrides() -> dict[str, Any]:  # noqa: F811
    return {"sop_admin_ids": [BUDI]}


def count(office: Office, table: str) -> int:
    with office.engine.db.transaction(readonly=True) as s:
        return int(s.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


async def upload(office: Office, who: User, data: bytes, name: str = "SOP Renja Kalbar.docx") -> Msg:
    """Send the document privately; returns the review message (the last of the answer)."""
    await office.emu.send_document(who, who, name, data)
    return await office.expect(who, "Belum lengkap")


async def reply_to_question(office: Office, who: User, question: Msg, answer: str, expect: str) -> Msg:
    await office.emu.reply(who, who, question, answer)
    return await office.expect(who, expect)


async def fix_all_marks(office: Office, budi: User, review: Msg) -> Msg:
    """The admin's work on the phone: name the column, pick actors, type a time, pick the supervisor."""
    await office.press(budi, review, "Kolom 1: nama")
    question = await office.expect(budi, "kolom Pelaksana 1")
    review = await reply_to_question(office, budi, question, "Kasubbag. Rencana Kerja dan Monev", "Draf #")
    assert "Kolom Pelaksana 1" not in (review.text or "")

    await office.press(budi, review, "Langkah 2: pelaksana")
    picker = await office.emu.wait_for_edit(budi, "Pilih pelaksananya")
    await office.press(budi, picker, "Kepala Bidang")
    picker = await office.emu.wait_for_edit(budi, "Terpilih: Kepala Bidang")
    await office.press(budi, picker, "Simpan")
    review = await office.emu.wait_for_edit(budi, "Draf #")
    assert "Langkah 2: pelaksana" not in (review.text or "")

    await office.press(budi, review, "Langkah 3: waktu")
    question = await office.expect(budi, "waktu bakunya")
    refused = await reply_to_question(office, budi, question, "x" * 4096, "terlalu panjang")
    assert "40" in (refused.text or "")
    refused = await reply_to_question(office, budi, question, "secepatnya", "bukan waktu")
    review = await reply_to_question(office, budi, question, "30 menit", "Draf #")
    assert "Langkah 3" not in (review.text or "").split("Catatan")[0]

    await office.press(budi, review, "Supervisor")
    picker = await office.emu.wait_for_edit(budi, "Pilih supervisor")
    assert "Forum SKPD" not in str(picker.buttons)  # an external party cannot be the supervisor
    await office.press(budi, picker, "Kasubbag")
    return await office.emu.wait_for_edit(budi, "Semua isian lengkap")


async def test_upload_fix_publish_run_withdraw(office: Office, tmp_path: Path) -> None:
    budi, siti = office.people["budi"], office.people["siti"]
    await office.start_private(budi)
    data = marked_docx(tmp_path)
    review = await upload(office, budi, data)

    # The progress message was edited in place through every stage; summary and picture came first.
    messages = office.emu.sent_to(budi)
    progress = next(m for m in messages if "siap ditinjau" in (m.text or ""))
    stages = [h["text"] for h in progress.history]
    assert stages[0].startswith("⏳ Mengunduh") and any("Membaca" in s for s in stages)
    summary = next(m for m in messages if "Draf SOP #" in (m.text or ""))
    assert "Menyusun Rencana Kerja" in (summary.text or "") and "Kepala Badan" in (summary.text or "")
    assert "tertulis di dokumen: 3 jam 50 menit" in (summary.text or "")
    picture = next(m for m in messages if m.photo is not None)
    assert "sementara" in (picture.caption or "") and picture.photo.data.startswith(b"\x89PNG")
    assert "Langkah 2: pelaksana belum diisi" in (review.text or "")
    assert "Langkah 3: waktu" in (review.text or "") and "Terbitkan" not in str(review.buttons)

    # Someone else's press on the draft (the payload forged in her own chat) is refused.
    greeting = await office.start_private(siti)
    foreign = await office.press_data(siti, greeting, review.button("Supervisor").callback_data or "")
    assert foreign.show_alert and "milik orang lain" in (foreign.text or "")
    before = count(office, "sop_drafts")

    ready = await fix_all_marks(office, budi, review)

    # External roles: Forum SKPD came marked from its name; Kepala Badan is marked and unmarked again.
    await office.press(budi, ready, "Peran eksternal")
    picker = await office.emu.wait_for_edit(budi, "luar kantor")
    assert picker.button("🌐 Forum SKPD") and picker.button("🏢 Kepala Badan")
    await office.press(budi, picker, "Kepala Badan")
    picker = await office.emu.wait_for_edit(budi, lambda m: "🌐 Kepala Badan" in str(m.buttons))
    await office.press(budi, picker, "Kepala Badan")
    picker = await office.emu.wait_for_edit(budi, lambda m: "🏢 Kepala Badan" in str(m.buttons))
    await office.press(budi, picker, "Kembali")
    ready = await office.emu.wait_for_edit(budi, "Semua isian lengkap")

    # Make step 5 a decision that returns to step 3, and give the SOP its own id.
    await office.press(budi, ready, "Langkah 5: keputusan")
    picker = await office.emu.wait_for_edit(budi, "lanjut ke langkah berapa")
    await office.press(budi, picker, "ke langkah 3")
    ready = await office.emu.wait_for_edit(budi, "Semua isian lengkap")
    await office.press(budi, ready, "Ganti id")
    question = await office.expect(budi, "id baru")
    ready = await reply_to_question(office, budi, question, NEW_ID, "Semua isian lengkap")
    assert NEW_ID in (ready.text or "") and count(office, "sop_drafts") == before

    await office.press(budi, ready, "Terbitkan")
    published = await office.emu.wait_for_edit(budi, "terbit sebagai versi 1")
    assert NEW_ID in (published.text or "")

    # At once in /sop and /mulai, without a restart; the run pins what was published.
    listing = await office.ask(siti, "/sop", "Daftar SOP")
    assert NEW_ID in (listing.text or "")
    history = await office.ask(siti, f"/sop {NEW_ID}", "Riwayat versi")
    assert "v1" in (history.text or "") and "SOP Renja Kalbar.docx" in (history.text or "")
    await office.say(budi, f"/mulai {NEW_ID} Renja 2027")
    await office.expect(office.group, "dimulai")
    await office.say(budi, "/ambil kasubbag")
    card = await office.expect(budi, "Langkah 1")
    answer = await office.press(budi, card, "Selesai")
    assert answer.text == "Tercatat."
    await office.expect(office.group, "Langkah 2")
    run = office.engine.run_definition(1)
    assert run.id == NEW_ID and run.step_by_no[5].decision is not None and run.step_by_no[3].waktu == "30 menit"

    # Withdrawn: /mulai refuses it, the running run goes on.
    question = await office.ask(budi, f"/sop tarik {NEW_ID}", "Tarik SOP")
    await office.press(budi, question, "Ya, tarik")
    await office.expect(office.group, "ditarik oleh")
    refused = await office.ask(budi, f"/mulai {NEW_ID}", "sudah ditarik")
    assert "tidak bisa dimulai" in (refused.text or "")
    assert NEW_ID not in (await office.ask(siti, "/sop", "Daftar SOP")).text  # type: ignore[operator]
    assert office.engine.status(1).run.status == "active"
    restored = await office.ask(budi, f"/sop pulihkan {NEW_ID}", "dapat dimulai lagi")
    assert restored is not None
    await office.say(budi, f"/mulai {NEW_ID} Renja 2028")
    await office.expect(office.group, "Renja 2028")
    assert office.app.bot_data.unexpected_errors == []

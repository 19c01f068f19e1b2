"""A corpus PDF, imported and its one "??" filled, runs end to end like the seeds.

opensop-01 (Penerimaan Surat Masuk dari SATPAM) has a decision at step 2 whose "Tidak"
returns to step 1. The draft is imported from the PDF, its supervisor mark is filled the
way a person would, it passes the loader (`sop check`), and three officials play it in
the Bot API emulator against the real bot: a return with a reason, then approval, to
the end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bot_fixtures import Office, database_url, office  # noqa: F401

from devtools.emulator import Msg, User
from bot.sop.loader import load_file
from bot.sop_import import import_document, write_draft

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DOCUMENT = CORPUS / "opensop-01.pdf"

pytestmark = pytest.mark.skipif(not DOCUMENT.is_file(), reason=f"corpus document {DOCUMENT} absent")


@pytest.fixture
def overrides(tmp_path: Path) -> dict[str, Any]:
    """A SOP folder holding only the imported draft, its marks filled."""
    result = import_document(DOCUMENT)
    assert [u.message for u in result.blocking] == [
        "tidak ada peran Kasubag/Kepala Sub Bagian — tentukan supervisor (key peran)"]
    result.draft["supervisor"] = result.draft["roles"][2]["key"]  # Pegawai Pengelola Surat / Sekretaris
    result.unresolved.clear()
    folder = tmp_path / "sop"
    folder.mkdir()
    target = folder / f"{result.sop_id}.yaml"
    write_draft(result, target, force=False)
    sop = load_file(target).definition  # what `sop check` runs
    assert [s.no for s in sop.steps] == [1, 2, 3, 4, 5] and sop.step_by_no[2].decision is not None
    return {"sop_dir": folder}


async def confirm(office: Office, who: User, step: str, card: Msg | None = None) -> Msg:
    card = card or await office.expect(who, step)
    answer = await office.press(who, card, "Selesai")
    assert answer.text == "Tercatat."
    # that card's own edit: a sweep of another card of theirs may arrive first under load
    return await office.emu.wait_for_edit(who, lambda m: m.message_id == card.message_id and "dikonfirmasi" in (m.text or ""))


async def test_imported_pdf_sop_runs_end_to_end(office: Office) -> None:
    budi, siti, agus = (office.people[k] for k in ("budi", "siti", "agus"))
    group = office.group
    for person in (budi, siti, agus):
        await office.start_private(person)
    sop_id = import_document(DOCUMENT).sop_id
    await office.say(budi, f"/mulai {sop_id} Surat Masuk Desember")
    await office.expect(group, "dimulai")
    await office.ask(budi, "/ambil kurir", "Budi sekarang memegang")
    first_card = await office.expect(budi, "Langkah 1")
    await office.ask(siti, "/ambil satpam", "Siti sekarang memegang")
    await office.ask(agus, "/ambil pegawai", "Agus sekarang memegang")

    await confirm(office, budi, "Langkah 1", first_card)
    decision = await office.expect(siti, "Langkah 2")
    await office.press(siti, decision, "Kembalikan")  # "Tidak": back to step 1, with a reason
    question = await office.expect(siti, "alasan")
    await office.emu.reply(siti, siti, question, "Alamat tujuan surat salah")
    returned = await office.expect(group, "dikembalikan ke langkah 1")
    assert "Alamat tujuan surat salah" in (returned.text or "")

    await confirm(office, budi, "Langkah 1")
    decision = await office.expect(siti, "Langkah 2")
    await office.press(siti, decision, "Setujui")  # "Ya": on to step 3
    await confirm(office, siti, "Langkah 3")
    await confirm(office, siti, "Langkah 4")
    await confirm(office, agus, "Langkah 5")
    finished = await office.expect(group, "selesai.")
    assert "Surat Masuk Desember" in (finished.text or "")
    assert office.engine.get_run(1).status == "finished"

"""What the bot shows does not depend on its memory or on the SOP file of today.

/status and /riwayat find a chat's last run in the database after the bot forgot
everything; role names and outcome labels come from the SOP version the run started
with, even after the file was edited; an undo pressed in the group sends the author a
fresh private card.
"""

from __future__ import annotations

from pathlib import Path

from bot_fixtures import Office, database_url, office, overrides  # noqa: F401
from hostile_fixtures import begin, guarded  # noqa: F401

from bot.config import PROJECT_ROOT
from bot.sop.loader import load_directory


async def test_status_and_history_find_the_last_run_after_the_bot_forgot_everything(guarded: Office) -> None:
    office = guarded
    budi = office.people["budi"]
    await begin(office, title="Renja Lama")
    question = await office.ask(budi, "/batal", "Batalkan SOP")
    await office.press(budi, question, "Ya")
    await office.expect(office.group, "dibatalkan oleh")
    office.app.drop_chat_data(office.group.id)  # what a restart does to the bot's memory
    status = await office.ask(budi, "/status", "Renja Lama")
    assert "Dibatalkan" in (status.text or "")
    assert "Dimulai oleh" in ((await office.ask(budi, "/riwayat", "Riwayat")).text or "")


def renamed_catalog(tmp: Path) -> Path:
    """The Kalbar SOP with every role renamed and the decision relabelled, as if edited."""
    text = (PROJECT_ROOT / "sop_data" / "renja-bappeda-kalbar.yaml").read_text(encoding="utf-8")
    for old in ("Kasubbag. Rencana Kerja dan Monev", "Sekretaris", "Kepala Bidang", "Kepala Badan", "Forum SKPD"):
        text = text.replace(f"nama: {old}\n", f"nama: {old} BARU\n")
    text = text.replace("label: Belum sempurna", "label: LABEL BARU Belum sempurna")
    tmp.mkdir()
    (tmp / "renja-bappeda-kalbar.yaml").write_text(text, encoding="utf-8")
    return tmp


async def test_names_and_labels_come_from_the_version_a_run_started_with(guarded: Office, tmp_path: Path) -> None:
    office = guarded
    budi, siti, joko = office.people["budi"], office.people["siti"], office.people["joko"]
    await begin(office, siti="sekretaris")
    office.engine.catalog._source = load_directory(renamed_catalog(tmp_path / "sops"))  # the file was edited
    taken = await office.ask(joko, "/ambil sekretaris", "sudah dipegang")
    assert "Sekretaris" in (taken.text or "") and "BARU" not in (taken.text or "")
    await office.say(budi, "/selesai")
    await office.expect(office.group, "dikonfirmasi")
    roles = await office.ask(siti, "/peran", "Peran")
    history = await office.ask(siti, "/riwayat", "Riwayat")
    for text in (roles.text or "", history.text or ""):
        assert "Kasubbag. Rencana Kerja dan Monev" in text and "BARU" not in text
    # A run started now uses the edited file.
    await office.ask(budi, "/mulai renja-bappeda-kalbar Renja Baru", "dimulai")
    assert "BARU" in ((await office.ask(budi, "/peran 2", "Peran")).text or "")


async def test_an_undo_pressed_in_the_group_sends_the_author_a_fresh_card(guarded: Office) -> None:
    office = guarded
    budi = office.people["budi"]
    card = await begin(office)
    await office.press(budi, card, "Selesai")
    notice = await office.expect(office.group, "dikonfirmasi oleh")
    await office.press(budi, notice, "Urungkan")
    await office.expect(office.group, "dibatalkan oleh")
    fresh = await office.expect(budi, "Langkah 1")
    assert fresh.button("Selesai") and "Kelengkapan" in (fresh.text or "")
    await office.press(budi, fresh, "Selesai")
    await office.expect(office.group, "dikonfirmasi oleh")
    assert office.snapshot()["done"] == 1


async def test_a_decision_is_labelled_as_the_pinned_version_says(guarded: Office, tmp_path: Path) -> None:
    from test_security_authorization import play_until_step

    office = guarded
    budi = office.people["budi"]
    await begin(office, siti="sekretaris", agus="bidang")
    office.engine.assign_role(1, "kepala_badan", 2005, budi.id)
    office.engine.catalog._source = load_directory(renamed_catalog(tmp_path / "sops"))
    play_until_step(office, 5)
    task = [t for t in office.engine.current_tasks(1) if t.status == "active"][0]
    office.engine.decide(task.id, 2005, "kembali", "Perbaiki indikator")
    returned = await office.expect(office.group, "dikembalikan ke langkah 3")
    assert "BARU" not in (returned.text or "")
    history = (await office.ask(budi, "/riwayat", "Riwayat")).text or ""
    assert "Belum sempurna — dikembalikan" in history and "LABEL BARU" not in history

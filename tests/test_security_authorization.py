"""Who may do what: starting and cancelling runs, strict role claims, revocation, the
holder's confirmation, the coordinator's on-behalf confirmation (also of a decision),
and holders the bot cannot reach privately.

Every refusal is checked against the whole database (``db_rows``), not only counts.
"""

from __future__ import annotations

from typing import Any

import pytest
from bot_fixtures import TOKEN, Office, database_url, office, overrides  # noqa: F401
from hostile_fixtures import begin, db_rows, guarded, settle  # noqa: F401


def active(office: Office, run_id: int = 1) -> Any:
    (task,) = [t for t in office.engine.current_tasks(run_id) if t.status == "active"]
    return task


def play_until_step(office: Office, step_no: int, run_id: int = 1) -> None:
    """Whoever is up confirms (the coordinator for Forum SKPD) until `step_no` is running."""
    holders = {"kasubbag_renja": 2001, "sekretaris": 2002, "kepala_bidang": 2003, "kepala_badan": 2005}
    for _ in range(30):
        task = active(office, run_id)
        if task.step_no == step_no:
            return
        if task.role.eksternal:
            office.engine.confirm_on_behalf(task.id, 2001, "lewat telepon")
        else:
            office.engine.confirm(task.id, holders[task.role.key])
    raise AssertionError(f"step {step_no} never came")


@pytest.mark.parametrize("overrides", [{"run_starters": "anyone"}])
async def test_anyone_may_start_but_only_the_coordinator_or_an_admin_cancels(guarded: Office) -> None:
    office = guarded
    joko, siti, budi = office.people["joko"], office.people["siti"], office.people["budi"]
    await office.ask(joko, "/mulai renja-bappeda-kalbar Renja Joko", "dimulai")
    await settle(office, siti)
    before = db_rows(office)
    assert "Hanya admin" in ((await office.ask(siti, "/batal", "admin")).text or "")
    question = await office.ask(joko, "/batal", "Batalkan SOP")
    refused = await office.press(siti, question, "Ya")
    assert refused.show_alert and "Hanya koordinator" in (refused.text or "")
    forged = await office.press_data(siti, question, "cx|1")
    assert forged.show_alert and office.engine.get_run(1).status == "active"
    assert db_rows(office) == before
    await office.press(budi, question, "Ya")  # a group admin may
    await office.expect(office.group, "dibatalkan oleh")
    assert office.engine.get_run(1).status == "cancelled"


async def test_by_default_only_group_admins_start_runs(guarded: Office) -> None:
    office = guarded
    joko = office.people["joko"]
    await settle(office, joko)
    before = db_rows(office)
    assert "Hanya admin" in ((await office.ask(joko, "/mulai renja-bappeda-kalbar", "admin")).text or "")
    assert db_rows(office) == before


@pytest.mark.parametrize("overrides", [{"strict_role_claims": True}])
async def test_strict_claims_wait_for_the_coordinator(guarded: Office) -> None:
    office = guarded
    budi, siti, joko = office.people["budi"], office.people["siti"], office.people["joko"]
    await begin(office)
    pending = await office.ask(siti, "/ambil sekretaris", "menunggu persetujuan")
    assert office.engine.roles(1)[1].holder is None
    before = db_rows(office)
    refused = await office.press(joko, pending, "Setujui")
    assert refused.show_alert and "koordinator" in (refused.text or "")
    forged = await office.press_data(budi, pending, "ap|1|9|2002")
    assert forged.text == "Tombol ini sudah tidak berlaku."
    assert db_rows(office) == before
    await office.press(budi, pending, "Setujui")
    await office.expect(office.group, "Siti sekarang memegang")
    assert [r.holder.id for r in office.engine.roles(1) if r.holder] == [budi.id, siti.id]


@pytest.mark.parametrize("overrides", [{"strict_role_claims": True}])
async def test_strict_claims_can_be_rejected_by_the_coordinator_only(guarded: Office) -> None:
    office = guarded
    budi, siti, joko = office.people["budi"], office.people["siti"], office.people["joko"]
    await begin(office)
    pending = await office.ask(siti, "/ambil sekretaris", "menunggu persetujuan")
    assert [b.text for row in pending.buttons for b in row] == ["👍 Setujui Siti", "❌ Tolak"]
    reject = pending.button("Tolak").callback_data
    assert reject is not None and reject.startswith("rj|")
    before = db_rows(office)
    refused = await office.press(joko, pending, "Tolak")
    assert refused.show_alert and "koordinator" in (refused.text or "")
    forged = await office.press_data(budi, pending, "rj|1|9|2002")
    assert forged.text == "Tombol ini sudah tidak berlaku."
    assert db_rows(office) == before
    answered = await office.press(budi, pending, "Tolak")
    assert "ditolak" in (answered.text or "") and not answered.show_alert
    await office.expect(office.group, "ditolak")
    assert office.engine.roles(1)[1].holder is None
    again = await office.press_data(budi, pending, reject)  # the claim is gone: nothing left to reject
    assert again.text == "Tombol ini sudah tidak berlaku."
    await office.ask(siti, "/ambil sekretaris", "menunggu persetujuan")  # she may ask again


async def test_the_coordinator_revokes_a_role_and_nobody_else_can(guarded: Office) -> None:
    office = guarded
    budi, siti, joko = office.people["budi"], office.people["siti"], office.people["joko"]
    await begin(office, siti="sekretaris")
    before = db_rows(office)
    assert "Hanya koordinator" in ((await office.ask(joko, "/cabut sekretaris", "koordinator")).text or "")
    assert "Pakai: /cabut" in ((await office.ask(budi, "/cabut", "Pakai")).text or "")
    assert "belum dipegang" in ((await office.ask(budi, "/cabut kepala badan", "belum dipegang")).text or "")
    assert db_rows(office) == before
    notice = await office.ask(budi, "/cabut sekretaris", "dicabut")
    assert "Siti" in (notice.text or "") and "Budi" in (notice.text or "")
    assert [r.holder for r in office.engine.roles(1) if r.role.key == "sekretaris"] == [None]
    english = await office.ask(budi, "/revoke kasubbag", "dicabut")  # the English alias, own role too
    assert "Kasubbag" in (english.text or "")
    await settle(office, siti)


async def test_only_the_holder_confirms(guarded: Office) -> None:
    office = guarded
    budi, siti = office.people["budi"], office.people["siti"]
    card = await begin(office, siti="sekretaris")
    roles = await office.ask(siti, "/peran", "Peran")
    before = db_rows(office)
    wrong = await office.press_data(siti, roles, card.callback_data[0])  # Budi's ✅, forged in the group
    assert wrong.show_alert and "tidak memegang peran" in (wrong.text or "")
    private = await office.ask(siti, "/tugas", "tidak punya tugas", chat=siti)
    forged = await office.press_data(siti, private, card.callback_data[0])  # and in her private chat
    assert forged.text == "Tombol ini sudah tidak berlaku."
    assert "tidak punya tugas" in ((await office.ask(siti, "/selesai", "tugas")).text or "")
    assert db_rows(office) == before
    await office.press(budi, card, "Selesai")
    await office.expect(office.group, "dikonfirmasi oleh")


async def test_the_coordinator_confirms_on_behalf_only_with_a_reason(guarded: Office) -> None:
    office = guarded
    budi, joko = office.people["budi"], office.people["joko"]
    await begin(office)
    before = db_rows(office)
    usage = await office.ask(budi, "/wakili", "Pakai: /wakili")
    assert usage.button("Konfirmasi atas nama")
    assert "Hanya koordinator" in ((await office.ask(joko, "/wakili sudah beres", "koordinator")).text or "")
    pressed = await office.press(joko, usage, "Konfirmasi atas nama")
    assert pressed.show_alert and "koordinator" in (pressed.text or "")
    assert db_rows(office) == before
    await office.say(budi, "/wakili Budi sedang dinas luar")
    done = await office.expect(office.group, "atas nama Kasubbag. Rencana Kerja")
    assert "Budi sedang dinas luar" in (done.text or "")


async def test_the_coordinator_decides_on_behalf_by_command_and_by_button(guarded: Office) -> None:
    office = guarded
    budi = office.people["budi"]
    await begin(office, siti="sekretaris", agus="bidang")
    office.engine.assign_role(1, "kepala_badan", 2005, budi.id)  # Rina, who never pressed Start
    play_until_step(office, 5)
    await settle(office, budi)
    before = db_rows(office)
    usage = await office.ask(budi, "/wakili setuju", "keputusan")
    assert "<code>setuju</code>" in (usage.raw_text or "") and "<code>kembali</code>" in (usage.raw_text or "")
    await office.ask(budi, "/wakili entah alasannya", "keputusan")
    assert db_rows(office) == before
    await office.say(budi, "/wakili kembali Kepala Badan minta indikator diperbaiki (telepon)")
    returned = await office.expect(office.group, "dikembalikan ke langkah 3")
    assert "minta indikator diperbaiki" in (returned.text or "")
    play_until_step(office, 5)
    card = await office.ask(budi, "/wakili", "Pakai: /wakili")
    await office.press(budi, card, "Konfirmasi atas nama")
    choice = await office.expect(office.group, "Pilih hasilnya")
    await office.press(budi, choice, "Sempurna")
    question = await office.expect(office.group, "alasan")
    await office.emu.reply(budi, office.group, question, "Disetujui lisan oleh Kepala Badan")
    await office.expect(office.group, "selesai.")
    assert office.engine.get_run(1).status == "finished"
    decisions = [h for h in office.engine.history(1) if h.kind == "decision_made"]
    assert [(h.data["outcome_key"], h.data["on_behalf"]) for h in decisions] == [("kembali", True), ("setuju", True)]


async def test_holders_the_bot_cannot_reach_are_mentioned_and_marked_until_they_press_start(guarded: Office) -> None:
    office = guarded
    budi, siti, agus = office.people["budi"], office.people["siti"], office.people["agus"]
    await begin(office, agus="bidang")
    office.emu.block(siti)  # "Forbidden: bot was blocked by the user"
    office.emu.state.bots[TOKEN].started.discard(agus.id)  # "Forbidden: bot can't initiate conversation"
    await office.ask(budi, "/lepas kasubbag", "melepas")
    await office.say(siti, "/ambil kasubbag")
    blocked = await office.expect(office.group, "tidak bisa mengirim pesan pribadi")
    assert "tg://user?id=2002" in (blocked.raw_text or "") and blocked.button("Buka Pandu")
    await office.say(siti, "/selesai")
    never = await office.expect(office.group, "tidak bisa mengirim pesan pribadi")
    assert "tg://user?id=2003" in (never.raw_text or "")
    roles = (await office.ask(budi, "/peran", "Peran")).text or ""
    assert roles.count("belum bisa dihubungi") == 2
    assert "Siti" in roles.split("belum bisa dihubungi")[0] and "Agus" in roles.split("belum bisa dihubungi")[1]
    await office.say(agus, "/start", chat=agus)
    card = await office.expect(agus, "Langkah 2")
    assert card.button("Selesai")
    await office.ask(budi, "/bahasa en", "English")
    roles = (await office.ask(budi, "/roles", "Roles")).text or ""
    assert roles.count("can't be reached yet") == 1 and "Agus" not in roles.split("can't be reached yet")[0].rsplit("\n", 1)[-1]

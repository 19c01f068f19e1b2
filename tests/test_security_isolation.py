"""Data of one chat is never shown in another, and only allowed chats may use the bot.

Two offices share one bot: Bappeda (group A, run "Rahasia Bappeda") and Kesbangpol
(group B). Every run id, task id and callback of A, pressed or typed in B (or in the
private chat of someone with no part in A), is answered exactly like a stale button:
nothing of A is revealed, not even that the id exists, and nothing changes.
"""

from __future__ import annotations

import pytest
from bot_fixtures import Office, database_url, office, overrides  # noqa: F401
from hostile_fixtures import begin, db_rows, guarded, settle  # noqa: F401

from devtools.emulator import Chat

STALE = "Tombol ini sudah tidak berlaku."
SECRET = "Rahasia Bappeda"
GROUP_B = -100888


def group_b(office: Office) -> Chat:
    """Kesbangpol: Siti is its admin, Joko and Rina members; none of them plays a role in A."""
    p = office.people
    return office.emu.add_group(GROUP_B, "Kesbangpol", members=[p["joko"], p["rina"]], admins=[p["siti"]])


def seen_by(office: Office, *chats: object) -> str:
    """Everything the bot said in `chats`, and every button answer, as one text."""
    texts = [m.raw_text or m.text or "" for chat in chats for m in office.emu.sent_to(chat)]  # type: ignore[arg-type]
    return "\n".join(texts + [a.text or "" for a in office.emu.callback_answers])


async def test_ids_and_buttons_of_one_group_are_refused_in_another(guarded: Office) -> None:
    office = guarded
    siti, joko, budi = office.people["siti"], office.people["joko"], office.people["budi"]
    b = group_b(office)
    card_a = await begin(office, title=SECRET)
    task_a = int(card_a.callback_data[0].split("|")[1])
    await office.say(siti, "/mulai renja-kesbangpol-tangerang Renja Kesbangpol", chat=b)
    await office.expect(b, "dimulai")
    roles_b = await office.ask(siti, "/peran", "Peran", chat=b)
    await settle(office, joko, chat=b)
    before = db_rows(office)
    forged = [
        f"dn|{task_a}", f"dc|{task_a}|setuju", f"un|{task_a}", f"ob|{task_a}", f"od|{task_a}|kembali",
        "cl|1|sekretaris", "rl|1|kasubbag_renja", f"ap|1|0|{joko.id}", "pr|status|1", "pr|history|1",
        "pr|roles|1", "pr|cancel|1", "pr|onbehalf|1", "cx|1", "ck|1",
    ]
    for data in forged:
        for who in (siti, joko):
            answer = await office.press_data(who, roles_b, data)
            assert (answer.show_alert, answer.text) == (True, STALE), (data, who.first_name)
    # Run numbers count per group: "2" means B's second run, which does not exist.
    for command in ("/status 2", "/riwayat 2", "/peran 2", "/batal 2", "/wakili 2 alasan", "/ambil 2 sekretaris"):
        assert "bernomor 2" in ((await office.ask(siti, command, "2", chat=b)).text or "")
    assert db_rows(office) == before
    assert SECRET not in seen_by(office, b, siti, joko) and "Budi" not in seen_by(office, b)
    # Budi's own card still works: the same payload, pressed by its holder in its own chat.
    await office.press(budi, card_a, "Selesai")
    await office.expect(office.group, "dikonfirmasi")


async def test_private_chats_only_honour_tasks_of_their_person(guarded: Office) -> None:
    office = guarded
    siti, joko, budi = office.people["siti"], office.people["joko"], office.people["budi"]
    b = group_b(office)
    card_a = await begin(office, title=SECRET)
    task_a = int(card_a.callback_data[0].split("|")[1])
    await office.say(siti, "/mulai renja-kesbangpol-tangerang Renja Kesbangpol", chat=b)
    await office.expect(b, "dimulai")
    mine = await office.ask(joko, "/tugas", "tidak punya tugas", chat=joko)
    await settle(office, joko, chat=joko)
    before = db_rows(office)
    for data in (f"dn|{task_a}", f"dc|{task_a}|setuju", f"un|{task_a}", f"ob|{task_a}", f"od|{task_a}|setuju"):
        answer = await office.press_data(joko, mine, data)
        assert (answer.show_alert, answer.text) == (True, STALE), data
    assert db_rows(office) == before
    # Listings are per person: Budi sees A's task; Siti, who holds B's first role, only B's.
    await office.ask(siti, "/ambil kepala", "memegang peran", chat=b)
    await office.expect(siti, "Renja Kesbangpol")
    assert SECRET in ((await office.ask(budi, "/tugas", "Langkah 1", chat=budi)).text or "")
    assert "Renja Kesbangpol" in ((await office.ask(siti, "/tugas", "Langkah 1", chat=siti)).text or "")
    assert SECRET not in seen_by(office, joko, siti, b)


@pytest.mark.parametrize("overrides", [{"allowed_chat_ids": [-100123]}])
async def test_a_chat_not_allowed_is_refused_and_leaves_no_trace(guarded: Office) -> None:
    office = guarded
    budi, joko = office.people["budi"], office.people["joko"]
    await office.start_private(budi)  # private chats always work: tasks arrive there
    before = db_rows(office)
    refused = await office.ask(budi, "/mulai renja-bappeda-kalbar", "tidak diaktifkan")
    assert refused.text == "Maaf, Pandu tidak diaktifkan untuk chat ini."
    await office.say(joko, "apa selanjutnya?")  # not a command: silence
    forged = await office.press_data(joko, refused, "dn|1")
    assert forged.show_alert and forged.text == refused.text
    await office.ask(budi, "/sop", "SOP", chat=budi)
    assert db_rows(office) == before
    assert [m.text for m in office.emu.sent_to(office.group)] == [refused.text]

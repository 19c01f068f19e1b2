"""Groups are the scarce channel (20 messages a minute): one message per hand-off, the
activity said once per step, and a report as one message plus one album."""

from __future__ import annotations

from bot_fixtures import Office, database_url, office, overrides  # noqa: F401
from hostile_fixtures import begin


async def press_next_card(office: Office, who: str, step: str) -> None:
    card = await office.expect(office.people[who], step)
    await office.press(office.people[who], card, "Selesai")


async def test_each_hand_off_is_one_group_message_and_a_chain_repeats_no_activity(office: Office) -> None:
    budi = office.people["budi"]
    card = await begin(office, siti="sekretaris", agus="bidang")
    await office.press(budi, card, "Selesai")
    await office.expect(office.group, "Langkah 2")
    await press_next_card(office, "agus", "Langkah 2")
    await office.expect(office.group, "berlanjut")  # Forum SKPD is next within step 2
    await office.say(budi, "/wakili disepakati lewat telepon")
    await office.expect(office.group, "atas nama Forum SKPD")
    before = len(office.emu.sent_to(office.group))
    await press_next_card(office, "siti", "Langkah 3")  # step 3: Siti, then Budi, then step 4
    chained = await office.expect(office.group, "dikonfirmasi oleh")
    await press_next_card(office, "budi", "Langkah 3")
    onward = await office.expect(office.group, "dikonfirmasi oleh")
    await office.app.bot_data.notifier.flush()
    assert len(office.emu.sent_to(office.group)) - before == 2  # two hand-offs, two messages
    step3 = office.engine.get_task(int(next(d for d in onward.callback_data if d.startswith("un|"))[3:]))
    activity = step3.aktivitas[:40]
    assert "Langkah 3 berlanjut" in (chained.text or "") and activity not in (chained.text or "")
    assert "Langkah 4:" in (onward.text or "") and "berlanjut" not in (onward.text or "")


async def until(check: object, timeout: float = 15.0) -> None:
    import asyncio
    import time

    end = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < end, "the card kept its buttons"
        await asyncio.sleep(0.05)


def labels(card: object) -> list[str]:
    return [b.text for row in card.buttons for b in row]  # type: ignore[attr-defined]


async def test_a_task_ended_by_command_leaves_no_live_card(office: Office) -> None:
    budi, agus = office.people["budi"], office.people["agus"]
    card = await begin(office, siti="sekretaris", agus="bidang")
    assert any("Selesai" in label for label in labels(card))
    await office.say(budi, "/selesai")  # in the group, not on the card
    await office.expect(office.group, "Langkah 2")
    await until(lambda: labels(card) != [] and all("Urungkan" in label for label in labels(card)))  # his: only ↩️
    agus_card = await office.expect(agus, "Langkah 2")
    await office.say(budi, "/wakili Agus sedang dinas luar")  # the coordinator, on Agus's behalf
    await office.expect(office.group, "atas nama Kepala Bidang")
    await until(lambda: labels(agus_card) == [])  # not his confirmation: no buttons at all

"""Killed between a ✅ press and its answer: the confirmation counts once, and the holder's
re-press brings the card to exactly what an undisturbed press leaves.

The real bot runs as its own process (``python -m bot``, as in :mod:`test_crash_restarts`).
The emulator holds the bot's ``answerCallbackQuery`` (the confirmation is committed just
before it), the bot is killed with SIGKILL while it waits, and restarted. The holder
presses ✅ on the same card again: the answer is "Tercatat." and the card gets the
confirmation line and ↩️, as the same press on another run's card did undisturbed.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from db_fixtures import PG_ENV, postgres_schema
from scripted_office import populate
from test_crash_restarts import TOKEN, BotProcess

from sqlalchemy import text

from devtools.emulator import BotApiEmulator, Chat, Msg, User
from storage.db import Database

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def card_of_a_new_run(emu: BotApiEmulator, group: Chat, budi: User, title: str) -> Msg:
    await emu.send_text(budi, group, f"/mulai renja-bappeda-kalbar {title}")
    notice = await emu.wait_for_message(group, "belum ada yang memegang", timeout=30)
    await emu.wait_for_callback_answer(await emu.press(budi, notice, text="Ambil"), timeout=30)
    return await emu.wait_for_message(budi, "Langkah 1", timeout=30)


async def test_a_press_whose_answer_died_with_the_bot_is_restored_by_pressing_again(tmp_path: Path, backend: str) -> None:
    if backend == "postgresql":
        import os

        with postgres_schema(os.environ[PG_ENV]) as url:
            await scenario(tmp_path, url)
    else:
        await scenario(tmp_path, f"sqlite:///{(tmp_path / 'pandu.sqlite3').as_posix()}")


async def scenario(tmp: Path, url: str) -> None:
    emu = BotApiEmulator()
    await emu.start()
    emu.register_bot(TOKEN, "pandu_test_bot", "Pandu")
    group, people = populate(emu)
    budi = people["budi"]
    bot = BotProcess(emu, url, tmp)
    try:
        bot.start()
        await bot.ready()
        await emu.send_text(budi, budi, "/start")
        await emu.wait_for_message(budi, "Pandu", timeout=30)
        calm_card = await card_of_a_new_run(emu, group, budi, "Tenang")
        crash_card = await card_of_a_new_run(emu, group, budi, "Tenang")

        # Undisturbed: press, answered, the card edited.
        calm = await emu.wait_for_callback_answer(await emu.press(budi, calm_card, text="Selesai"), timeout=30)
        calm_after = await emu.wait_for_edit(budi, lambda m: m is calm_card, timeout=30)

        # The answer never comes back: SIGKILL while the bot waits for it.
        done_data = next(d for d in crash_card.callback_data if d.startswith("dn|"))
        emu.faults.configure(1.0, weights={"timeout": 1.0}, hold_seconds=60, methods=["answerCallbackQuery"])
        await emu.press(budi, crash_card, text="Selesai")
        end = time.monotonic() + 30
        while emu.stats.injected["timeout"] == 0:
            assert time.monotonic() < end, "the bot never answered the press"
            await asyncio.sleep(0.02)
        bot.kill()
        emu.faults.disable()
        assert any("Selesai" in b.text for row in crash_card.buttons for b in row)  # never edited: still looks live
        bot.start()
        await bot.ready()

        # (Once the run's next notice is out the sender may already have swapped the card's ✅
        # for ↩️; the press comes from a phone that still showed the ✅.)
        again = await emu.wait_for_callback_answer(await emu.press(budi, crash_card, done_data, check=False), timeout=30)
        await wait_until(lambda: "dikonfirmasi" in (crash_card.text or ""))
        assert (again.text, again.show_alert) == (calm.text, calm.show_alert) == ("Tercatat.", False)
        assert suffix(crash_card, "#2") == suffix(calm_after, "#1")
        assert [b.text for row in crash_card.buttons for b in row] == [b.text for row in calm_after.buttons for b in row]
        assert confirmations(url) == {1: 1, 2: 1}  # each run's step confirmed once
    finally:
        bot.stop()
        await emu.stop()


def confirmations(url: str) -> dict[int, int]:
    db = Database(url)
    try:
        with db.transaction(readonly=True) as s:
            rows = s.execute(text("SELECT run_id, count(*) FROM audit_events WHERE kind = 'task_confirmed' GROUP BY run_id"))
            return {int(run): int(n) for run, n in rows}
    finally:
        db.dispose()


def suffix(card: Msg, number: str) -> str:
    """The card's text with its run number taken out (the two runs differ only in that)."""
    return (card.text or "").replace(number, "#n")


async def wait_until(check: object, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < end, "the card was not brought up to date"
        await asyncio.sleep(0.05)

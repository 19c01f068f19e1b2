"""Pressing ✅ Selesai and seeing it through: the confirmation driver two benchmarks share.

A confirmation is done when the emulator has seen its three messages: the pressed card
edited, the group notice (it carries the ↩️ button of the confirmed task), and the next
actor's private card (a ✅ button, in the private chat of someone of the same office).
Arrival times come from :class:`benchmarks.common.Probe`, i.e. the emulator's own hook.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from benchmarks import common
from benchmarks.common import PANDU_TOKEN, Office, Probe

#: A run of renja-kesbangpol-tangerang has 18 tasks; the last confirmation finishes it
#: (two messages, not three), so a driver confirms at most 17 per run.
PER_RUN = 17
PARTS = frozenset({"edit", "notice", "card"})


@dataclass
class Pending:
    """One update in flight: what it still waits for, and when each part arrived."""

    t0: float
    need: frozenset[str]
    future: asyncio.Future[None]
    times: dict[str, float] = field(default_factory=dict)
    next_card: Any = None

    def arrive(self, what: str, at: float, msg: Any = None) -> None:
        if what not in self.need or what in self.times:
            return
        self.times[what] = at
        if what == "card":
            self.next_card = msg
        if set(self.times) >= self.need and not self.future.done():
            self.future.set_result(None)

    @property
    def end(self) -> float:
        return max(self.times.values())

    @property
    def latency(self) -> float:
        return self.end - self.t0


def done_data(card: Any) -> str:
    return next(d for d in card.callback_data if d.startswith("dn|"))


class ConfirmTracker:
    """Presses cards for the offices given and matches the bot's messages to the presses."""

    def __init__(self, emu: Any, probe: Probe, offices: list[Office]) -> None:
        self.emu, self.probe = emu, probe
        self.bot = emu.state.bots[PANDU_TOKEN]
        self.office_of = {uid: o.index for o in offices for uid in o.users.values()}
        self.by_card: dict[int, Pending] = {}
        self.by_task: dict[int, Pending] = {}
        self.by_office: dict[int, Pending] = {}
        self.messages: list[float] = []  # arrival time of every bot send/edit
        self.anomalies: list[str] = []

    def __enter__(self) -> ConfirmTracker:
        self.probe.listeners.append(self.listener)
        return self

    def __exit__(self, *exc: object) -> None:
        self.probe.listeners.remove(self.listener)

    def listener(self, kind: str, msg: Any, at: float) -> None:
        if msg.sender is not self.bot or kind not in ("send", "edit"):
            return
        self.messages.append(at)
        data = msg.callback_data
        if kind == "edit":
            if (p := self.by_card.get(id(msg))) is not None:
                return p.arrive("edit", at)
        elif msg.chat.user is None:
            for d in data:
                if d.startswith("un|") and (p := self.by_task.get(int(d[3:]))) is not None:
                    return p.arrive("notice", at)
        elif any(d.startswith("dn|") for d in data):
            office = self.office_of.get(msg.chat.id)
            if office is not None and (p := self.by_office.get(office)) is not None:
                return p.arrive("card", at, msg)
        self.anomalies.append(f"{kind} in {msg.chat.id}: {(msg.text or '')[:80]!r}")

    async def confirm(self, office: Office, card: Any, timeout: float = 60.0) -> Pending:
        """The card's holder presses ✅; returns once all three messages have arrived."""
        data = done_data(card)
        task_id = int(data[3:])
        p = Pending(0.0, PARTS, asyncio.get_running_loop().create_future())
        self.by_card[id(card)] = self.by_task[task_id] = self.by_office[office.index] = p
        user = self.emu.state.users[card.chat.id]
        try:
            p.t0 = time.perf_counter()
            await self.emu.press(user, card, data)  # enqueues the update at once
            await asyncio.wait_for(p.future, timeout)
        except TimeoutError:
            missing = sorted(PARTS - set(p.times))
            raise TimeoutError(f"confirmation of task {task_id} in office {office.index}: no {missing} "
                               f"within {timeout}s; unexpected: {self.anomalies[-3:]}") from None
        finally:
            del self.by_card[id(card)], self.by_task[task_id]
        return p


async def first_cards(url: str, emu: Any, offices: list[Office]) -> dict[int, Any]:
    """Each seeded run's task card, rendered by the bot's own code, put in the holder's chat.

    (The cards the bot sends from then on are real: each confirmation brings the next.)
    """
    from telegram import InlineKeyboardMarkup

    from bot.config import Settings
    from devtools.emulator.markup import parse_html
    from bot.engine import SopEngine
    from handlers.ui.task_cards import task_card
    from storage.db import Database

    settings = Settings(_env_file=None, database_url=url, sop_dir=common.SOP_DIR)  # type: ignore[call-arg]
    db = Database(url)
    engine = SopEngine.from_settings(settings, db=db)
    data = SimpleNamespace(engine=engine, settings=settings)
    bot = emu.state.bots[PANDU_TOKEN]
    cards = {}
    try:
        for office in offices:
            for run in office.runs:
                task = await asyncio.to_thread(engine.get_task, run.active_task_id)
                text, markup = await task_card(data, task, "id")  # type: ignore[arg-type]
                plain, entities = parse_html(text)
                assert isinstance(markup, InlineKeyboardMarkup)
                chat = emu.state.chat(run.holder)
                cards[run.id] = emu.state.add_message(chat, bot, bot, text=plain, entities=entities, raw_text=text,
                                                      parse_mode="HTML", reply_markup=markup.to_dict())
    finally:
        db.dispose()
    return cards

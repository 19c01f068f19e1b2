"""A scripted run of ``renja-bappeda-kalbar`` that survives a bot that dies or misbehaves.

The crash test (bot killed and restarted) and the fault test (Telegram failing) play the
same script: everyone presses Start, Budi starts the run and everyone claims a role,
each step is confirmed from its private card, Forum SKPD is confirmed on its behalf (🤝
and a reason), the Kepala Badan returns the plan once and approves it the second time.

People behave like people whose phone did not answer: an action whose effect never
came is done again. A press is repeated (a *new* callback query, so only the engine's
stale-button refusal stops a double count); a reason is typed again after a new press;
a command is repeated only when repeating it cannot count twice, or when the database
shows it had no effect (``/mulai`` would start a second run). Effects are read from the
emulator (answers) and the database (read-only), never from the bot's memory.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from devtools.emulator import BotApiEmulator, Chat, Msg, User
from handlers.outbox.merging import SEPARATOR
from storage.db import Database

GROUP_ID = -100777
SOP_ID = "renja-bappeda-kalbar"
TITLE = "Renja Tahan Banting"
#: key, id, first name, role words for /ambil, role key.
CAST = (
    ("budi", 2001, "Budi", "kasubbag", "kasubbag_renja"),
    ("siti", 2002, "Siti", "sekretaris", "sekretaris"),
    ("agus", 2003, "Agus", "bidang", "kepala_bidang"),
    ("dewi", 2004, "Dewi", "kepala badan", "kepala_badan"),
)
HOLDER = {role: key for key, _, _, _, role in CAST}
#: Whose hand acts on each step of one pass (step, role) → person; Forum SKPD is Budi's (🤝).
PASS = ((1, "kasubbag_renja"), (2, "kepala_bidang"), (2, "forum_skpd"), (3, "sekretaris"), (3, "kasubbag_renja"),
        (4, "kasubbag_renja"), (4, "sekretaris"), (5, "kepala_badan"))
RETURN_REASON = "Indikator kinerja belum selaras dengan RENSTRA"
ON_BEHALF_REASON = "Forum SKPD menyepakati lewat telepon"

#: Called at moments a crash would hurt: ("sent", what) after an action is sent,
#: ("answered", what) right after the bot answered a press.
Hook = Callable[[str, str], Awaitable[None]]


async def no_hook(moment: str, what: str) -> None:
    return None


def populate(emu: BotApiEmulator) -> tuple[Chat, dict[str, User]]:
    people = {key: emu.add_user(uid, first, language_code="id") for key, uid, first, _, _ in CAST}
    group = emu.add_group(GROUP_ID, "Sekretariat Bappeda Kalbar", members=list(people.values()), admins=[people["budi"]])
    return group, people


@dataclass
class Script:
    """The office and the steps of the script; `hook` lets a test crash the bot at will."""

    emu: BotApiEmulator
    db: Database
    group: Chat
    people: dict[str, User]
    hook: Hook = no_hook
    patience: float = 4.0  # seconds to wait for an effect before acting again
    deadline: float = 120.0  # a hang guard, not a timing goal: a SIGKILLed bot restarting on a loaded machine can take a minute
    actions: Counter[str] = field(default_factory=Counter)

    # -- reading the world ----------------------------------------------------------------
    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.db.transaction(readonly=True) as s:
            return list(s.execute(text(sql), params))

    def active_task(self) -> tuple[int, int, str] | None:
        found = self.rows("SELECT id, step_no, role_key FROM tasks WHERE status = 'active'")
        return (found[0][0], found[0][1], found[0][2]) if found else None

    def task_status(self, task_id: int) -> str:
        return str(self.rows("SELECT status FROM tasks WHERE id = :i", i=task_id)[0][0])

    async def until(self, condition: Callable[[], bool], timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while not condition():
            if loop.time() > end:
                return False
            await asyncio.sleep(0.05)
        return True

    def card(self, who: User, task_id: int) -> Msg | None:
        """The newest message in `who`'s private chat with a button to act on `task_id`
        (a card whose only button is ↩️ undo was already acted on)."""
        for msg in reversed(self.emu.sent_to(who)):
            if any(re.fullmatch(rf"[a-z]{{2}}\|{task_id}(\|.*)?", d) and not d.startswith("un|") for d in msg.callback_data):
                return msg
        return None

    # -- acting ---------------------------------------------------------------------------
    async def repeat(self, what: str, act: Callable[[], Awaitable[None]], done: Callable[[], bool]) -> None:
        """Act until `done` holds, waiting `patience` seconds for each attempt's effect."""
        loop = asyncio.get_running_loop()
        end = loop.time() + self.deadline
        while not done():
            assert loop.time() < end, f"{what}: no effect within {self.deadline}s"
            self.actions[what] += 1
            await act()
            await self.hook("sent", what)
            await self.until(done, self.patience)

    async def start_private(self, key: str) -> None:
        who = self.people[key]
        seen = len(self.emu.sent_to(who))

        async def act() -> None:
            await self.emu.send_text(who, who, "/start")

        await self.repeat(f"start {key}", act, lambda: any("Halo" in (m.text or "") for m in self.emu.sent_to(who)[seen:]))

    async def command(self, key: str, line: str, done: Callable[[], bool]) -> None:
        who = self.people[key]

        async def act() -> None:
            await self.emu.send_text(who, self.group, line)

        await self.repeat(f"{key}: {line}", act, done)

    async def press(self, key: str, label: str, task_id: int) -> None:
        """Press `label` on the card of `task_id` until the task is done (re-pressing when no answer came)."""
        who = self.people[key]
        what = f"{key} presses {label} on task {task_id}"
        loop = asyncio.get_running_loop()
        end = loop.time() + self.deadline
        while self.task_status(task_id) == "active":
            assert loop.time() < end, f"{what}: no effect within {self.deadline}s"
            card = self.card(who, task_id)
            if card is None:  # not delivered yet (the bot may be restarting)
                await self.until(lambda: self.card(who, task_id) is not None, self.patience)
                continue
            self.actions[what] += 1
            query = await self.emu.press(who, card, text=label)
            await self.hook("sent", what)
            try:
                await self.emu.wait_for_callback_answer(query, timeout=self.patience)
            except TimeoutError:
                continue  # the bot died before answering: press again
            await self.hook("answered", what)
            await self.until(lambda: self.task_status(task_id) != "active", 1.0)

    async def press_and_reply(self, key: str, label: str, task_id: int, reason: str, where: Chat | User) -> None:
        """Press `label` (🤝 or ↩️), answer the reason prompt, until the task is done."""
        who = self.people[key]
        what = f"{key} presses {label} and explains, task {task_id}"
        loop = asyncio.get_running_loop()
        end = loop.time() + self.deadline
        while self.task_status(task_id) == "active":
            assert loop.time() < end, f"{what}: no effect within {self.deadline}s"
            card = self.card(who, task_id)
            if card is None:
                await self.until(lambda: self.card(who, task_id) is not None, self.patience)
                continue
            self.actions[what] += 1
            mark = self.emu.mark()
            await self.emu.press(who, card, text=label)
            await self.hook("sent", what)
            try:
                prompt = await self.emu.wait_for_message(where, "alasan", timeout=self.patience, since=mark)
            except TimeoutError:
                continue
            await self.emu.reply(who, where, prompt, reason)
            await self.hook("sent", what + " (reason)")
            await self.until(lambda: self.task_status(task_id) != "active", self.patience)

    # -- the script -----------------------------------------------------------------------
    async def step(self) -> None:
        """Whoever is up acts on the active task, the way its role requires."""
        found = self.active_task()
        assert found is not None
        task_id, step_no, role = found
        if role == "forum_skpd":
            await self.press_and_reply("budi", "Konfirmasi atas nama", task_id, ON_BEHALF_REASON, self.people["budi"])
        elif step_no == 5:
            returned = self.rows("SELECT count(*) FROM tasks WHERE outcome_key = 'kembali'")[0][0]
            if returned:
                await self.press("dewi", "Setujui", task_id)
            else:
                await self.press_and_reply("dewi", "Kembalikan", task_id, RETURN_REASON, self.people["dewi"])
        else:
            await self.press(HOLDER[role], "Selesai", task_id)

    async def play(self) -> None:
        for key, *_ in CAST:
            await self.start_private(key)
        await self.command("budi", f"/mulai {SOP_ID} {TITLE}", lambda: bool(self.rows("SELECT id FROM runs")))
        for key, _, _, words, role in CAST:
            held = "SELECT count(*) FROM role_assignments WHERE role_key = :r AND status = 'active'"
            await self.command(key, f"/ambil {words}", lambda role=role: self.rows(held, r=role)[0][0] == 1)  # type: ignore[misc]
        for _ in range(2 * len(PASS)):
            if self.rows("SELECT status FROM runs")[0][0] == "finished":
                return
            await self.step()
        raise AssertionError("the run did not finish")


# -- what a run left behind -----------------------------------------------------------------
def outcome(db: Database) -> dict[str, Any]:
    """The state a script run must end in, crash or no crash (ids and times left out)."""
    script = Script(None, db, None, {})  # type: ignore[arg-type]
    tasks = script.rows(
        "SELECT step_no, chain_index, pass_no, role_key, status, completed_by, on_behalf, on_behalf_reason,"
        " outcome_key, decision_reason FROM tasks ORDER BY pass_no, step_no, chain_index, id"
    )
    return {
        "run": [tuple(r) for r in script.rows("SELECT status, pass_no, current_step_no, title FROM runs")],
        "tasks": [tuple(r) for r in tasks],
        "events": dict(Counter(r[0] for r in script.rows("SELECT kind FROM audit_events"))),
        "holders": sorted(tuple(r) for r in script.rows("SELECT role_key, user_id, status FROM role_assignments")),
        "outbox": dict(Counter((r[0], r[1]) for r in script.rows("SELECT kind, coalesce(chat_id, user_id) FROM outbox"))),
    }


def completions_per_task(db: Database) -> dict[int, int]:
    """How many confirmation or decision events each task got (each must count once)."""
    script = Script(None, db, None, {})  # type: ignore[arg-type]
    rows = script.rows("SELECT task_id FROM audit_events WHERE kind IN ('task_confirmed', 'decision_made')")
    return dict(Counter(int(r[0]) for r in rows))


def undelivered(db: Database) -> list[Any]:
    """Outbox rows never sent (none may be left once the bot had time to drain)."""
    script = Script(None, db, None, {})  # type: ignore[arg-type]
    return script.rows("SELECT id, kind, payload, attempts, last_error FROM outbox WHERE sent_at IS NULL")


#: Outbox messages every run must have delivered: in the group, start, confirmations,
#: decisions, returns and the end; privately, task cards. Notices that legitimately vanish
#: when sent late (an unassigned role claimed meanwhile) are not listed: the sender skips
#: them on purpose. Handlers' direct answers are not notifications: a crash may eat one.
GROUP_LASTING = re.compile(r"^(▶️ SOP|✅ |🤝 Langkah|🧭|↩️ <b>#|🏁)")
PRIVATE_LASTING = re.compile(r"^📋 ")


def delivered(emu: BotApiEmulator, chats: list[Chat | User]) -> set[tuple[int, str]]:
    """(chat, text) of every lasting notice the bot sent, with times taken out.

    Group notices that waited together go out merged into one message (:mod:`handlers.outbox.merging`),
    and how many waited together depends on timing, so a group message counts notice by notice.
    """
    found = set()
    for chat in chats:
        lasting = PRIVATE_LASTING if isinstance(chat, User) else GROUP_LASTING
        for msg in emu.sent_to(chat):
            body = msg.raw_text or msg.text or ""
            for notice in body.split(SEPARATOR) if isinstance(chat, Chat) else [body]:
                if lasting.match(notice):
                    lines = [line for line in notice.split("\n") if not line.startswith(("Batas waktu", "Due"))]
                    found.add((chat.id, "\n".join(lines)))
    return found

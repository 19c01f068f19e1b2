"""Shared pieces of the hostile-input and security suites.

``guarded`` is the office of :mod:`bot_fixtures` with one more promise checked at the
end: the error handler never saw an exception it did not expect (a bug). ``db_rows``
reads every row of every table, so "nothing changed" means nothing at all, not only the
counts a refusal would usually move. ``settle`` waits until the bot has handled
everything sent so far (updates are handled in order, so the answer to a harmless
command comes after them).
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from devtools.emulator import Chat, Msg, User
from bot_fixtures import Office
from storage.models import ALL_TABLES

#: Columns that move without any change of state: a name seen again, and the outbox
#: sender's bookkeeping (a notice of an earlier change delivered meanwhile).
VOLATILE = {"updated_at", "sent_at", "attempts", "next_attempt_at", "last_error", "abandoned_at", "claimed_by", "claimed_until"}


def db_rows(office: Office) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, as sorted text tuples (comparable across snapshots)."""
    rows: dict[str, list[tuple[str, ...]]] = {}
    with office.engine.db.transaction(readonly=True) as session:
        for table in ALL_TABLES:
            columns = [c.name for c in table.columns if c.name not in VOLATILE]
            names = ", ".join(f'"{c}"' for c in columns)
            result = session.execute(text(f'SELECT {names} FROM "{table.name}"'))
            rows[table.name] = sorted(tuple(str(v) for v in row) for row in result)
    return rows


_marks = itertools.count(1)


async def settle(office: Office, who: User, chat: Chat | User | None = None, timeout: float = 60.0) -> Msg:
    """Wait until everything sent so far was handled: updates are handled in order, so the
    answer to a harmless question with a unique word comes after all of them. What the
    engine queued meanwhile (tests change the database directly) is delivered first."""
    await office.app.bot_data.notifier.flush()
    word = f"settle-{next(_marks)}"
    where = chat if chat is not None else office.group
    await office.say(who, f"/sop {word}", where)
    return await office.expect(where, word, timeout=timeout)


def assert_no_bug(office: Office) -> None:
    """The error handler met only refusals and Telegram trouble, never a bug."""
    assert office.app.bot_data.unexpected_errors == [], office.app.bot_data.unexpected_errors


def error_answers(office: Office, *chats: Chat | User) -> list[str]:
    """Messages where the bot apologised for an error of its own."""
    found = []
    for chat in chats:
        found += [m.text or "" for m in office.emu.sent_to(chat) if "terjadi kesalahan" in (m.text or "")]
    found += [a.text or "" for a in office.emu.callback_answers if "terjadi kesalahan" in (a.text or "")]
    return found


@pytest.fixture
async def guarded(office: Office) -> AsyncIterator[Office]:
    """The office, checked at the end for exceptions nobody expected."""
    yield office
    assert_no_bug(office)
    assert error_answers(office, office.group, *office.people.values()) == []


async def begin(office: Office, title: str = "Renja 2027", **claims: Any) -> Msg:
    """Everyone presses Start; Budi starts the Kalbar SOP and holds Kasubbag; returns his step-1 card.

    `claims` maps a person to the role words they claim too (``siti="sekretaris"``).
    """
    budi = office.people["budi"]
    for person in office.people.values():
        if person.first_name != "Rina":
            await office.start_private(person)
    await office.ask(budi, f"/mulai renja-bappeda-kalbar {title}", "dimulai")
    await office.ask(budi, "/ambil kasubbag", "memegang peran")
    card = await office.expect(budi, "Langkah 1")
    for who, role in claims.items():
        await office.ask(office.people[who], f"/ambil {role}", "memegang peran")
    await office.app.bot_data.notifier.flush()  # the sender's bookkeeping (the card's record) is done
    return card

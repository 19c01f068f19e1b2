"""What monev reads: the runs of a period, their nags, the questionnaires, the supervisor's
actions and sign-offs, and who may see which group's forms.

Each function is one read-only unit of work over :class:`~storage.repositories.monev.MonevRepository`;
what it adds is monev's meaning (a period's bounds in the group's zone, who counts as
supervisor, how many questionnaires were delivered). Results are plain values or the
reports' frozen facts, so the computations stay pure.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.run_facts import RunFacts
from bot.monev.model import Answer
from bot.monev.period import Period
from storage.db import Database
from storage.repositories.monev import HELD, ChatInfo, MonevRepository, Signoff

__all__ = ["HELD", "ChatInfo", "Signoff", "answers", "chats", "group_chat_ids", "overrides", "period_runs",
           "run_chat_ids", "signoff", "standing"]


def chats(db: Database, chat_ids: Iterable[int], default_timezone: str) -> dict[int, ChatInfo]:
    with db.transaction(readonly=True) as s:
        return MonevRepository(s).chats(chat_ids, default_timezone)


def group_chat_ids(db: Database) -> list[int]:
    """Every group the bot has seen (the CLI's form covers them all)."""
    with db.transaction(readonly=True) as s:
        return MonevRepository(s).group_chat_ids()


def run_chat_ids(db: Database) -> list[int]:
    """Groups with at least one run, the most recently started first (where a group admin
    may have a monev to see)."""
    with db.transaction(readonly=True) as s:
        return MonevRepository(s).run_chat_ids()


def period_runs(db: Database, chat: ChatInfo, period: Period) -> tuple[list[RunFacts], dict[int, int]]:
    """The runs that started in `period` (in the group's zone), and per run the overdue
    nags sent within the period (a run left open keeps being nagged after it)."""
    with db.transaction(readonly=True) as s:
        return MonevRepository(s).period_runs(chat, period.start_utc(chat.timezone), period.end_utc(chat.timezone))


def answers(db: Database, run_ids: list[int]) -> tuple[list[Answer], dict[tuple[int, str], int]]:
    """The questionnaires of these runs, and how many were delivered per (group, SOP)."""
    if not run_ids:
        return [], {}
    with db.transaction(readonly=True) as s:
        rows = MonevRepository(s).evaluations_of_runs(run_ids)
    invited: dict[tuple[int, str], int] = {}
    for row in rows:
        if row.sent_at is not None:
            invited[(row.chat_id, row.sop_id)] = invited.get((row.chat_id, row.sop_id), 0) + 1
    found = [Answer(r.chat_id, r.sop_id, r.answers, r.note) for r in rows if r.answers or r.note]
    return found, invited


def overrides(db: Database, chat_id: int, period: str) -> dict[tuple[int, str], str]:
    with db.transaction(readonly=True) as s:
        return MonevRepository(s).actions(chat_id, period)


def signoff(db: Database, chat_id: int, period: str) -> Signoff | None:
    with db.transaction(readonly=True) as s:
        return MonevRepository(s).signoff(chat_id, period)


def standing(db: Database, user_id: int, chat_ids: Iterable[int] | None = None) -> dict[int, set[str]]:
    """Group -> what the person is there: "coordinator" of a run, "supervisor" (held the
    SOP's supervisor role in a run). `chat_ids` None: every group."""
    wanted = list(chat_ids) if chat_ids is not None else None
    with db.transaction(readonly=True) as s:
        repo = MonevRepository(s)
        coordinated, held = repo.coordinated_chats(user_id, wanted), repo.held_roles(user_id, wanted)
    found: dict[int, set[str]] = {}
    for chat_id in coordinated:
        found.setdefault(chat_id, set()).add("coordinator")
    for chat_id, role_key, supervisor in held:
        if role_key == supervisor:
            found.setdefault(chat_id, set()).add("supervisor")
    return found

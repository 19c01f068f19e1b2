"""Two bot processes on one database (two engines, each with its own Database and
NagService, ticking in threads at the same moment) never send the same nag twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from deadline_fixtures import PEOPLE, NagOrg, nag_engine, nag_items, together, wib  # noqa: F401
from sqlalchemy import func, text
from sqlmodel import col, select

from bot.deadlines.service import NagService
from bot.engine import SopEngine
from db_fixtures import FakeClock
from storage.db import Database
from storage.models import Task

RUNS = 20


def test_two_schedulers_ticking_at_once_send_each_nag_once(
    nag_engine: Callable[..., SopEngine], clock: FakeClock, db_url: str
) -> None:
    org = NagOrg(nag_engine(), clock)
    tasks = {org.active(org.start_run(f"Renja {n}").id).id for n in range(RUNS)}
    clock.now = wib(2026, 3, 2, 9, 30)
    databases = [Database(db_url), Database(db_url)]
    services = [NagService(nag_engine(db=database), batch=3) for database in databases]
    claimed: list[int] = []

    def work(service: NagService) -> None:
        for _ in range(RUNS):  # more ticks than needed: late ones must find nothing
            claimed.append(service.tick().claimed)

    errors = together(*(lambda s=s: work(s) for s in services))
    for database in databases:
        database.dispose()
    assert not errors, errors
    assert sum(claimed) == RUNS
    items = Counter((i[0], i[1], i[2]) for i in nag_items(org.engine))
    expected = {(who, task, 1) for task in tasks for who in (PEOPLE["staf"], PEOPLE["kasubag"])}
    assert set(items) == expected and set(items.values()) == {1}
    with org.engine.db.transaction(readonly=True) as s:
        assert s.execute(text("SELECT count(*) FROM nag_log")).scalar_one() == RUNS
        assert s.exec(select(func.count()).where(col(Task.next_nag_at) <= clock.now)).one() == 0


def test_a_confirmation_racing_a_tick_leaves_the_task_disarmed(
    nag_engine: Callable[..., SopEngine], clock: FakeClock, db_url: str
) -> None:
    """Whichever commits first, a done task is never left armed (nor nagged after)."""
    org = NagOrg(nag_engine(), clock)
    tasks = [org.active(org.start_run(f"Renja {n}").id) for n in range(RUNS)]
    clock.now = wib(2026, 3, 2, 9, 30)
    database = Database(db_url)
    service = NagService(nag_engine(db=database), batch=2)

    def confirms() -> None:
        for task in tasks[::2]:
            org.engine.confirm(task.id, PEOPLE["staf"])

    errors = together(service.tick_all, confirms)
    database.dispose()
    assert not errors, errors
    done = [t.id for t in tasks[::2]]
    with org.engine.db.transaction(readonly=True) as s:
        query = text("SELECT count(*) FROM tasks WHERE status = 'done' AND next_nag_at IS NOT NULL")
        assert s.execute(query).scalar_one() == 0
        assert s.execute(text("SELECT count(*) FROM tasks WHERE status = 'done'")).scalar_one() == len(done)

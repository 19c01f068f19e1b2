"""Two bot processes on one database (two engines, each with its own Database and
NagService, ticking in threads at the same moment) never send the same nag twice."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from deadline_fixtures import PEOPLE, NagOrg, nag_engine, nag_items, wib  # noqa: F401
from sqlalchemy import func, text
from sqlmodel import col, select

from bot.deadlines.service import NagService
from bot.engine import Engine
from db_fixtures import FakeClock
from storage.db import Database
from storage.models import Task

RUNS = 20


def test_two_schedulers_ticking_at_once_send_each_nag_once(
    nag_engine: Callable[..., Engine], clock: FakeClock, db_url: str
) -> None:
    org = NagOrg(nag_engine(), clock)
    tasks = {org.active(org.start_run(f"Renja {n}").id).id for n in range(RUNS)}
    clock.now = wib(2026, 3, 2, 9, 30)
    databases = [Database(db_url), Database(db_url)]
    services = [NagService(nag_engine(db=database), batch=3) for database in databases]
    start = threading.Barrier(len(services))
    errors: list[BaseException] = []
    claimed: list[int] = []

    def work(service: NagService) -> None:
        try:
            start.wait()
            for _ in range(RUNS):  # more ticks than needed: late ones must find nothing
                claimed.append(service.tick().claimed)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in services]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
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
    nag_engine: Callable[..., Engine], clock: FakeClock, db_url: str
) -> None:
    """Whichever commits first, a done task is never left armed (nor nagged after)."""
    org = NagOrg(nag_engine(), clock)
    tasks = [org.active(org.start_run(f"Renja {n}").id) for n in range(RUNS)]
    clock.now = wib(2026, 3, 2, 9, 30)
    database = Database(db_url)
    service = NagService(nag_engine(db=database), batch=2)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def ticks() -> None:
        try:
            start.wait()
            service.tick_all()
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    def confirms() -> None:
        try:
            start.wait()
            for task in tasks[::2]:
                org.engine.confirm(task.id, PEOPLE["staf"])
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=ticks), threading.Thread(target=confirms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    database.dispose()
    assert not errors, errors
    done = [t.id for t in tasks[::2]]
    with org.engine.db.transaction(readonly=True) as s:
        query = text("SELECT count(*) FROM tasks WHERE status = 'done' AND next_nag_at IS NOT NULL")
        assert s.execute(query).scalar_one() == 0
        assert s.execute(text("SELECT count(*) FROM tasks WHERE status = 'done'")).scalar_one() == len(done)

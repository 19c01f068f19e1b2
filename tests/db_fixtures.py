"""Database fixtures for storage and engine tests, plus a small office to run SOPs with.

Every database test runs on SQLite (a file in tmp) and, when ``TEST_DATABASE_URL`` is set,
on PostgreSQL too, in a schema of its own (``t_<uuid>``) created for the test, migrated,
and dropped afterwards: other people use the same database at the same time, so nothing
outside that schema is ever touched.
"""

from __future__ import annotations

import io
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bot.engine import SopEngine, continuous_calendar
from bot.engine.views import ConfirmResult, RunView, TaskView
from bot.sop.loader import load_directory
from bot.domain.sop import SopDefinition
from storage.db import Database
from storage.migrate import alembic_config, upgrade

SOP_DIR = Path(__file__).resolve().parent.parent / "sop_data"
PG_ENV = "TEST_DATABASE_URL"
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(PG_ENV) else [])
#: Monday 2 March 2026, 08:00 WIB: a working day, at opening time.
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
GROUP = -1001234567890

__all__ = [
    # fixtures
    "backend", "clock", "db", "db_url", "empty_db_url", "engine", "engine_factory", "migrated_sqlite_template",
    "org", "postgres_migration_script", "seed_sops", "sops",
    # helpers
    "COORDINATOR", "GROUP", "SOP_DIR", "T0", "FakeClock", "Org", "postgres_schema",
]


class FakeClock:
    """A clock the test moves by hand; the engine never reads the real time."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A URL whose connections see only a fresh schema; the schema is dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex}"
    admin = create_engine(base_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    # No fsync per commit: these throw-away schemas need no durability, only speed.
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    url = make_url(base_url).update_query_dict({"options": options})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database nobody has migrated yet."""
    if backend == "postgresql":
        with postgres_schema(os.environ[PG_ENV]) as url:
            yield url
    else:
        yield f"sqlite:///{(tmp_path / 'pandu.sqlite3').as_posix()}"


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once per session; each test gets a copy (the same bytes a migration makes)."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    upgrade(f"sqlite:///{path.as_posix()}")
    return path


@pytest.fixture(scope="session")
def postgres_migration_script() -> str:
    """The migrations rendered once as SQL (Alembic's offline mode), replayed per schema."""
    config = alembic_config(os.environ[PG_ENV])
    config.output_buffer = io.StringIO()
    command.upgrade(config, "head", sql=True)
    return str(config.output_buffer.getvalue())


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database at the newest migration, for this test only.

    Running Alembic itself for every test would dominate the suite's time; the SQL it
    renders (PostgreSQL) or the file it produces (SQLite) is the same, made once.
    ``test_storage_migrations`` runs the real thing on empty databases.
    """
    if backend == "postgresql":
        script: str = request.getfixturevalue("postgres_migration_script")
        with postgres_schema(os.environ[PG_ENV]) as url:
            engine = create_engine(url, poolclass=NullPool)
            with engine.connect() as conn:
                conn.exec_driver_sql(script)
            engine.dispose()
            yield url
        return
    target = tmp_path / "pandu.sqlite3"
    template: Path = request.getfixturevalue("migrated_sqlite_template")
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    yield f"sqlite:///{target.as_posix()}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def seed_sops() -> dict[str, SopDefinition]:
    result = load_directory(SOP_DIR)
    assert not result.errors, result.errors
    return {key: loaded.definition for key, loaded in result.sops.items()}


@pytest.fixture
def sops(seed_sops: dict[str, SopDefinition]) -> dict[str, SopDefinition]:
    """A mutable copy: tests may swap a definition to simulate an edited file."""
    return dict(seed_sops)


@pytest.fixture
def engine_factory(db: Database, clock: FakeClock, sops: dict[str, SopDefinition]) -> Callable[..., SopEngine]:
    def build(**overrides: object) -> SopEngine:
        options: dict[str, object] = dict(
            clock=clock, calendar_for=continuous_calendar, undo_window=timedelta(minutes=10)
        )
        options.update(overrides)
        database = options.pop("db", db)
        return SopEngine(database, options.pop("sops", sops), **options)  # type: ignore[arg-type]

    return build


@pytest.fixture
def engine(engine_factory: Callable[..., SopEngine]) -> SopEngine:
    return engine_factory()


# -- an office to run SOPs in ---------------------------------------------------------------
COORDINATOR = 1000


@dataclass
class Org:
    """A group with a coordinator and one official per (internal) role of an SOP."""

    engine: SopEngine
    clock: FakeClock
    chat_id: int = GROUP
    coordinator: int = COORDINATOR
    people: dict[str, int] = field(default_factory=dict)

    def person(self, user_id: int, name: str, started: bool = True) -> int:
        self.engine.ensure_user(user_id, name, name.lower(), "id")
        if started:
            self.engine.mark_started(user_id)
        return user_id

    def start(self, sop_id: str, title: str = "Renja 2027", claim: bool = True) -> RunView:
        """Start a run; with `claim`, every internal role gets its own official at once."""
        self.engine.ensure_chat(self.chat_id, "supergroup", "Sekretariat")
        self.person(self.coordinator, "Koordinator")
        run = self.engine.start_run(self.chat_id, sop_id, title, self.coordinator)
        if claim:
            for index, role in enumerate(r for r in self.engine.roles(run.id) if not r.role.eksternal):
                user_id = self.people.setdefault(role.role.key, 2000 + index)
                self.person(user_id, role.role.key.title())
                self.engine.claim_role(run.id, role.role.key, user_id)
        return run

    def holder(self, task: TaskView) -> int:
        return self.people[task.role.key]

    def active(self, run_id: int) -> TaskView:
        (task,) = [t for t in self.engine.current_tasks(run_id) if t.status == "active"]
        return task

    def act(self, run_id: int, outcome: str | None = None, reason: str | None = None) -> ConfirmResult:
        """Whoever is up does their part (the coordinator for an external party)."""
        task = self.active(run_id)
        self.clock.advance(minutes=7)
        if task.role.eksternal:
            return self.engine.confirm_on_behalf(task.id, self.coordinator, "dikonfirmasi lewat telepon", outcome)
        if task.is_decision:
            outcomes = [o.key for o in self.decision_outcomes(task)]
            return self.engine.decide(task.id, self.holder(task), outcome or outcomes[0], reason=reason)
        return self.engine.confirm(task.id, self.holder(task), note=f"langkah {task.step_no} selesai")

    def decision_outcomes(self, task: TaskView) -> tuple:  # type: ignore[type-arg]
        step = self.engine.status(task.run_id).step
        assert step is not None and step.decision is not None
        return step.decision.outcomes

    def finish(self, run_id: int, max_actions: int = 500) -> list[ConfirmResult]:
        """Act until the run finishes (taking each decision's first outcome)."""
        results = []
        for _ in range(max_actions):
            result = self.act(run_id)
            results.append(result)
            if result.run_finished:
                return results
        raise AssertionError("run did not finish")


@pytest.fixture
def org(engine: SopEngine, clock: FakeClock) -> Org:
    return Org(engine, clock)

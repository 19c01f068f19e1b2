"""Rows ↔ the domain's frozen states, and the Core tables the press path uses.

The hot path reads and writes with SQLAlchemy Core (no ORM identity map, no attribute
instrumentation): a press touches a handful of rows, and the ORM's bookkeeping for them
cost more CPU than the statements. The views and the outbox helpers take ORM-shaped
objects and only read their attributes, so :func:`run_row` and :func:`task_row` hand
them the frozen states, which have the same attribute names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlmodel import Session

from bot.domain.run_state import RunState, TaskState
from storage.models import Run, Task

TASKS: Table = Task.__table__  # type: ignore[attr-defined]
RUNS: Table = Run.__table__  # type: ignore[attr-defined]

TASK_FIELDS = tuple(f.name for f in fields(TaskState))
RUN_FIELDS = tuple(f.name for f in fields(RunState))


def task_state(row: Any, prefix: str = "") -> TaskState:
    """A task row (a Core row mapping, columns optionally prefixed) as the domain's state."""
    m = row._mapping
    return TaskState(**{name: m[prefix + name] for name in TASK_FIELDS})


def run_state(row: Any, prefix: str = "") -> RunState:
    m = row._mapping
    return RunState(**{name: m[prefix + name] for name in RUN_FIELDS})


def task_row(state: TaskState) -> Task:
    """The state in the shape of a Task row, for the views and the outbox helpers.

    They only read attributes, which a TaskState has under the same names; building real
    transient SQLModel rows instead cost a fifth of a press's CPU (cProfile).
    """
    return cast(Task, state)


def run_row(state: RunState) -> Run:
    return cast(Run, state)


def values(state: Any) -> dict[str, Any]:
    """A frozen state's fields as a dict (shallow: ``dataclasses.asdict`` deep-copies)."""
    return {f.name: getattr(state, f.name) for f in fields(state)}


def insert_returning_ids(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert `rows` in one statement; their new ids, in the order of `rows`.

    PostgreSQL keeps the order with SQLAlchemy's sentinel (``sort_by_parameter_order``);
    on SQLite that option falls back to a statement per row, so there the ids are sorted
    instead: the rows of one multi-row INSERT get ascending rowids in VALUES order, and
    the write transaction (``BEGIN IMMEDIATE``) lets no other writer in between.
    """
    if not rows:
        return []
    if session.get_bind().dialect.name == "sqlite":
        ids = session.execute(insert(table).returning(table.c.id), list(rows)).scalars().all()
        return sorted(ids)
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, list(rows)).scalars().all())

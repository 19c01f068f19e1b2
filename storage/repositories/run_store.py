"""Queries the engine runs inside a unit of work.

Every write operation on a run starts by locking the run row (``SELECT … FOR UPDATE``),
so that on PostgreSQL all changes to one run are serialised, in one lock order (run
first, then its tasks), which rules out deadlocks. SQLite needs no row lock: its write
transactions start with ``BEGIN IMMEDIATE`` and are serialised already. State changes
then still use conditional updates, so a lost race shows up as a refusal, never as a
second advance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.domain.run_refusals import NoSuchTask, RunNotFound
from bot.domain.sop import SopDefinition
from storage.models import (
    AssignmentStatus,
    AuditEvent,
    Base,
    Chat,
    RoleAssignment,
    Run,
    SopVersion,
    Task,
    TaskStatus,
    User,
)

M = TypeVar("M", bound=Base)


def lock_run(s: Session, run_id: int) -> Run:
    # FOR NO KEY UPDATE (key_share): serialises writers of this run without blocking inserts that merely
    # reference it (outbox rows, evidence) from other transactions.
    query = select(Run).where(Run.id == run_id).with_for_update(key_share=True)
    run = s.exec(query.execution_options(populate_existing=True)).first()
    if run is None:
        raise RunNotFound(run_id=run_id)
    return run


def get_run(s: Session, run_id: int) -> Run:
    run = s.get(Run, run_id)
    if run is None:
        raise RunNotFound(run_id=run_id)
    return run


def lock_task(s: Session, task_id: int) -> tuple[Task, Run]:
    """The task and its run, the run locked first and the task read after the lock."""
    owner = select(Task.run_id).where(Task.id == task_id).scalar_subquery()
    query = select(Run).where(Run.id == owner).with_for_update(key_share=True)
    run = s.exec(query.execution_options(populate_existing=True)).first()
    if run is None:  # tasks cannot outlive their run: no run means no such task
        raise NoSuchTask(task_id=task_id)
    task = s.get(Task, task_id, populate_existing=True)
    assert task is not None
    return task, run


def get_task(s: Session, task_id: int) -> Task:
    task = s.get(Task, task_id)
    if task is None:
        raise NoSuchTask(task_id=task_id)
    return task


def insert_or_get(s: Session, model: type[M], key: object, factory: Callable[[], M]) -> tuple[M, bool]:
    """Insert a row unless it exists; a concurrent insert of the same key is not an error."""
    row = s.get(model, key)
    if row is not None:
        return row, False
    try:
        with s.begin_nested():
            row = factory()
            s.add(row)
        return row, True
    except IntegrityError:
        existing = s.get(model, key, populate_existing=True)
        assert existing is not None
        return existing, False


def touch_user(s: Session, user_id: int, now: datetime) -> User:
    """The user row, created bare if Telegram never introduced them (foreign keys need it)."""
    user, _ = insert_or_get(s, User, user_id, lambda: User(id=user_id, created_at=now, updated_at=now))
    return user


def touch_chat(s: Session, chat_id: int, now: datetime, timezone: str, type_: str = "group") -> Chat:
    chat, _ = insert_or_get(
        s,
        Chat,
        chat_id,
        lambda: Chat(id=chat_id, type=type_, timezone=timezone, created_at=now, updated_at=now),
    )
    return chat


#: Ids per IN (...) list in :func:`rows_by_id`, well below SQLite's bound-parameter limit.
IN_CHUNK = 500
Keyed = TypeVar("Keyed", Task, Run, Chat, User)


def rows_by_id(s: Session, model: type[Keyed], ids: Iterable[int | None]) -> dict[int, Keyed]:
    """Rows by id, in as few statements as the id list allows (none for no ids)."""
    wanted = sorted({int(i) for i in ids if i is not None})
    found: dict[int, Keyed] = {}
    for start in range(0, len(wanted), IN_CHUNK):
        for row in s.exec(select(model).where(col(model.id).in_(wanted[start : start + IN_CHUNK]))):
            assert row.id is not None
            found[row.id] = row
    return found


def users_by_id(s: Session, ids: Iterable[int | None]) -> dict[int, User]:
    return rows_by_id(s, User, ids)


def assignments(s: Session, run_id: int, *statuses: AssignmentStatus) -> list[RoleAssignment]:
    query = select(RoleAssignment).where(RoleAssignment.run_id == run_id)
    if len(statuses) == 1:  # `=` lets SQLite use the partial index on active holders; IN does not
        query = query.where(col(RoleAssignment.status) == statuses[0].value)
    elif statuses:
        query = query.where(col(RoleAssignment.status).in_([st.value for st in statuses]))
    return list(s.exec(query.order_by(col(RoleAssignment.id))))


def holders(s: Session, run_id: int) -> dict[str, int]:
    """role key → user id of the active holder."""
    return {a.role_key: a.user_id for a in assignments(s, run_id, AssignmentStatus.ACTIVE)}


def active_assignment(s: Session, run_id: int, role_key: str) -> RoleAssignment | None:
    return s.exec(
        select(RoleAssignment).where(
            RoleAssignment.run_id == run_id,
            RoleAssignment.role_key == role_key,
            RoleAssignment.status == AssignmentStatus.ACTIVE,
        )
    ).first()


def active_task(s: Session, run_id: int) -> Task | None:
    return s.exec(select(Task).where(Task.run_id == run_id, Task.status == TaskStatus.ACTIVE)).first()


def step_tasks(s: Session, run_id: int, step_no: int, pass_no: int) -> list[Task]:
    """The live (not cancelled) chain of one step in one pass, in chain order."""
    return list(
        s.exec(
            select(Task)
            .where(
                Task.run_id == run_id,
                Task.step_no == step_no,
                Task.pass_no == pass_no,
                Task.status != TaskStatus.CANCELLED,
            )
            .order_by(col(Task.chain_index))
        )
    )


def last_completed(s: Session, run_id: int) -> Task | None:
    return s.exec(
        select(Task)
        .where(Task.run_id == run_id, Task.status == TaskStatus.DONE)
        .order_by(col(Task.completed_at).desc(), col(Task.id).desc())
    ).first()


def find_event(s: Session, request_id: str) -> AuditEvent | None:
    return s.exec(select(AuditEvent).where(AuditEvent.request_id == request_id)).first()


def pin_version(s: Session, sop: SopDefinition, now: datetime) -> SopVersion:
    """The stored version with this exact content, stored now if it is new."""
    content_hash = sop.content_hash()
    query = select(SopVersion).where(SopVersion.sop_id == sop.id, SopVersion.content_hash == content_hash)
    found = s.exec(query).first()
    if found is not None:
        return found
    try:
        with s.begin_nested():
            version = SopVersion(
                sop_id=sop.id,
                content_hash=content_hash,
                nama=sop.nama,
                content=sop.model_dump(mode="json"),
                created_at=now,
            )
            s.add(version)
        return version
    except IntegrityError:  # stored by a concurrent start of the same content
        found = s.exec(query).first()
        assert found is not None
        return found


def chat_timezone(s: Session, chat_id: int) -> str | None:
    """The chat's time zone, or None for a chat the bot has not recorded."""
    chat = s.get(Chat, chat_id)
    return chat.timezone if chat is not None else None


def sop_version(s: Session, version_id: int) -> SopVersion:
    """A pinned SOP version (runs reference it, so it exists)."""
    version = s.get(SopVersion, version_id)
    assert version is not None
    return version


def user(s: Session, user_id: int) -> User | None:
    """A person's row; from the identity map without SQL when this session read it already."""
    return s.get(User, user_id)


def insert_rows(s: Session, rows: Iterable[Base]) -> None:
    """New rows, flushed so their ids are known."""
    s.add_all(list(rows))
    s.flush()

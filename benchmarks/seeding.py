"""Bulk seeding for the benchmarks: engine-compatible rows written straight through SQLAlchemy Core.

An SOP version pinned by content hash, chats, people, runs, role holders, tasks with due
times, the audit trail and the already-delivered outbox of what happened so far, so that
100,000 runs take seconds, not the hours the engine's one-transaction-per-operation API
would.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

REPO_ROOT = Path(__file__).resolve().parent.parent
SOP_DIR = REPO_ROOT / "sop_data"
#: 17 steps, five internal roles, no decision and no external party: every confirmation
#: but the last one hands the run to a holder who gets a private card.
SOP_ID = "renja-kesbangpol-tangerang"
CHAT_BASE = -1_009_000_000_000
USER_BASE = 50_000_000
ROLE_SLOTS = 10  # user ids per office: USER_BASE + office * ROLE_SLOTS + role index
CHUNK = 5_000


# -- bulk seeding -----------------------------------------------------------------------------
@dataclass
class SeededRun:
    id: int
    number: int
    chat_id: int
    active_task_id: int
    holder: int


@dataclass
class Office:
    """One group: a person per role of the SOP (the first one coordinates) and its runs."""

    index: int
    chat_id: int
    title: str
    users: dict[str, int]
    runs: list[SeededRun] = field(default_factory=list)

    @property
    def coordinator(self) -> int:
        return next(iter(self.users.values()))


@dataclass
class Seeded:
    sop_id: str
    version_id: int
    offices: list[Office]
    counts: dict[str, int]
    seconds: float
    unstarted: frozenset[int] = frozenset()

    @property
    def runs(self) -> list[SeededRun]:
        return [r for o in self.offices for r in o.runs]

    @property
    def user_ids(self) -> list[int]:
        return [u for o in self.offices for u in o.users.values()]


def load_sop(sop_id: str = SOP_ID) -> Any:
    from bot.sop.loader import load_directory

    result = load_directory(SOP_DIR)
    return result.sops[sop_id].definition


def user_name(user_id: int) -> str:
    return f"Pegawai{user_id}"


def office_title(index: int) -> str:
    return f"Kantor Uji {index}"


def seed(
    url: str,
    *,
    offices: int,
    runs_per_office: int = 0,
    runs: int | None = None,
    sop_id: str = SOP_ID,
    history_steps: int | Callable[[int], int] = 0,
    due_at: Callable[[int, datetime], datetime] | None = None,
    now: datetime | None = None,
    started: Callable[[int], bool] | None = None,
) -> Seeded:
    """Write `offices` groups with `runs_per_office` open runs each (or `runs` in all, spread
    evenly), straight into the tables.

    Every run has completed `history_steps` steps (a number, or a function of the global run
    index: done tasks, their audit events and the delivered notifications) and waits on the
    first actor of the next step, whose due time is ``due_at(global run index, now)``
    (default: the step's standard minutes from now). ``started(user_id)`` says who pressed
    Start in private (default: everyone).
    Rows are what the engine would have written; ids are assigned here, and PostgreSQL's
    sequences are moved past them so the bot's own inserts do not collide.
    """
    from storage.models import AuditEvent, Chat, OutboxMessage, RoleAssignment, Run, SopVersion, Task, User

    t_begin = time.perf_counter()
    sop = load_sop(sop_id)
    steps = [s for s in sop.steps]
    history_of = history_steps if callable(history_steps) else (lambda _index: history_steps)
    roles = [r.key for r in sop.roles]
    if len(roles) >= ROLE_SLOTS:
        raise ValueError("too many roles for the id layout")
    now = now or datetime.now(UTC)
    t_start = now - timedelta(hours=1 + len(steps))
    version = dict(id=1, sop_id=sop.id, content_hash=sop.content_hash(), nama=sop.nama,
                   content=sop.model_dump(mode="json"), created_at=t_start)
    chats, users, run_rows, assignments, tasks, events, outbox = [], [], [], [], [], [], []
    ids = {"run": 0, "task": 0, "assign": 0, "event": 0, "outbox": 0}

    def nid(kind: str) -> int:
        ids[kind] += 1
        return ids[kind]

    def event(run_id: int, chat_id: int, kind: str, at: datetime, actor: int | None, task_id: int | None,
              **data: Any) -> int:
        eid = nid("event")
        events.append(dict(id=eid, run_id=run_id, chat_id=chat_id, task_id=task_id, actor_id=actor, kind=kind,
                           note=None, data=data, created_at=at, request_id=None))
        return eid

    def sent(kind: str, eid: int, run_id: int, at: datetime, chat: int | None, user: int | None,
             **payload: Any) -> None:
        target = f"u{user}" if user is not None else f"c{chat}"
        outbox.append(dict(id=nid("outbox"), kind=kind, chat_id=chat, user_id=user, run_id=run_id, event_id=eid,
                           payload={"event_id": eid, "run_id": run_id, **payload},
                           dedupe_key=f"{eid}:{kind}:{target}:{payload.get('task_id', '')}",
                           created_at=at, sent_at=at, attempts=1, next_attempt_at=None, last_error=None,
                           abandoned_at=None))

    result: list[Office] = []
    global_index = 0
    for o in range(offices):
        chat_id = CHAT_BASE - o
        people = {key: USER_BASE + o * ROLE_SLOTS + i for i, key in enumerate(roles)}
        office = Office(o, chat_id, office_title(o), people)
        result.append(office)
        group = dict(id=chat_id, type="supergroup", title=office.title, language="id",
                     timezone="Asia/Jakarta", run_counter=0, created_at=t_start, updated_at=t_start)
        chats.append(group)
        for uid in people.values():
            pressed_start = started is None or started(uid)
            users.append(dict(id=uid, first_name=user_name(uid), username=None, language="id",
                              started_private=pressed_start, unreachable_since=None,
                              created_at=t_start,
                              updated_at=t_start))
            if pressed_start:  # pressing Start in private recorded that chat too
                chats.append(dict(id=uid, type="private", title=None, language="id", timezone="Asia/Jakarta",
                                  run_counter=0, created_at=t_start, updated_at=t_start))
        count = runs_per_office if runs is None else runs // offices + (o < runs % offices)
        for number in range(1, count + 1):
            history = history_of(global_index)
            if not 0 <= history < len(steps):
                raise ValueError(f"{sop_id} has {len(steps)} steps; {history} cannot be done already")
            run_id = nid("run")
            coordinator = office.coordinator
            step_no = steps[history].no
            run_rows.append(dict(id=run_id, chat_id=chat_id, number=number, sop_version_id=1,
                             title=f"Renja {o}-{number}", coordinator_id=coordinator, status="active",
                             current_step_no=step_no, pass_no=1, started_at=t_start, finished_at=None,
                             cancelled_at=None, cancelled_by=None, cancel_reason=None))
            for key, uid in people.items():
                assignments.append(dict(id=nid("assign"), run_id=run_id, role_key=key, user_id=uid,
                                        status="active", assigned_by=None, claimed_at=t_start,
                                        assigned_at=None, ended_at=None, ended_by=None))
            started_ev = event(run_id, chat_id, "run_started", t_start, coordinator, None, sop_id=sop.id,
                               sop_version_id=1, content_hash=version["content_hash"], title=f"Renja {o}-{number}",
                               number=number)
            sent("group_notice", started_ev, run_id, t_start, chat_id, None, notice="run_started")
            at = t_start
            previous: int | None = None
            for h, step in enumerate(steps[: history + 1]):
                current = h == history
                chain = []
                for index, key in enumerate(step.actor_keys):
                    tid = nid("task")
                    active = current and index == 0
                    done = not current
                    if not current:
                        due = at + timedelta(minutes=step.minutes)
                    elif due_at is not None:
                        due = due_at(global_index, now)
                    else:
                        due = now + timedelta(minutes=step.minutes)
                    tasks.append(dict(
                        id=tid, run_id=run_id, step_no=step.no, chain_index=index, pass_no=1, role_key=key,
                        status="active" if active else "done" if done else "waiting",
                        standard_minutes=step.minutes, started_at=at if (done or active) else None, due_at=due,
                        completed_at=at + timedelta(minutes=5) if done else None,
                        completed_by=people[key] if done else None, on_behalf=False, on_behalf_reason=None,
                        note=None, outcome_key=None, decision_reason=None, created_at=at,
                        created_by_task_id=previous, activated_by_task_id=previous if index == 0 else None))
                    chain.append(tid)
                ev = event(run_id, chat_id, "step_started", at, coordinator, chain[0], step_no=step.no, pass_no=1,
                           task_ids=chain, roles=list(step.actor_keys), due_at=due.isoformat())
                holder = people[step.actor_keys[0]]
                sent("task_assigned", ev, run_id, at, None, holder, chat_id=chat_id, task_id=chain[0],
                     step_no=step.no, pass_no=1, role_key=step.actor_keys[0])
                if current:
                    office.runs.append(SeededRun(run_id, number, chat_id, chain[0], holder))
                    break
                for index, tid in enumerate(chain):
                    at = at + timedelta(minutes=5)
                    key = step.actor_keys[index]
                    ev = event(run_id, chat_id, "task_confirmed", at, people[key], tid, step_no=step.no,
                               chain_index=index, pass_no=1, role_key=key, on_behalf=False, reason=None,
                               outcome_key=None, goto=None, evidence_ids=[], next_task_ids=[], step_done=True,
                               run_finished=False, new_pass=False, next_step_no=None)
                    sent("group_notice", ev, run_id, at, chat_id, None, notice="task_done", task_id=tid,
                         step_no=step.no, user_id=people[key], next_task_ids=[])
                previous = chain[-1]
            global_index += 1
        group["run_counter"] = len(office.runs)

    if "next_nag_at" in Task.__table__.c:  # type: ignore[attr-defined]
        # The deadline scheduler's column (migration 0002): an active task is armed at its due time.
        for row in tasks:
            row["next_nag_at"] = row["due_at"] if row["status"] == "active" else None
    tables = [(SopVersion, [version]), (Chat, chats), (User, users), (Run, run_rows), (RoleAssignment, assignments),
              (Task, tasks), (AuditEvent, events), (OutboxMessage, outbox)]
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for model, rows in tables:
                insert_rows(conn, model.__table__, rows)  # type: ignore[attr-defined]
            if engine.dialect.name == "postgresql":
                for model, _ in tables:
                    name = model.__tablename__  # type: ignore[attr-defined]
                    if name in ("chats", "users"):
                        continue
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                      f"coalesce((SELECT max(id) FROM {name}), 1))"))
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
        else:
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    counts = {"chats": len(chats), "users": len(users), "runs": len(run_rows), "tasks": len(tasks),
              "role_assignments": len(assignments), "audit_events": len(events), "outbox": len(outbox)}
    unstarted = frozenset(u["id"] for u in users if not u["started_private"])
    return Seeded(sop.id, 1, result, counts, time.perf_counter() - t_begin, unstarted)


def insert_rows(conn: Connection, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert: COPY on PostgreSQL (an order of magnitude faster), executemany elsewhere."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        import json

        from sqlalchemy import JSON

        columns = list(rows[0])
        as_json = [isinstance(table.c[c].type, JSON) for c in columns]
        driver = conn.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor:
            names = ", ".join(f'"{c}"' for c in columns)
            with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([json.dumps(row[c]) if j and row[c] is not None else row[c]
                                    for c, j in zip(columns, as_json)])
        return
    for start in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), list(rows[start : start + CHUNK]))


# -- the emulated world -----------------------------------------------------------------------
def populate_emulator(emu: Any, seeded: Seeded, token: str) -> None:
    """The seeded offices as Telegram knows them: same names, groups, and Start pressed."""
    bot = emu.state.bots[token]
    for office in seeded.offices:
        people = [emu.add_user(uid, user_name(uid), language_code="id") for uid in office.users.values()]
        emu.add_group(office.chat_id, office.title, members=people, admins=people[:1])
        bot.started.update(uid for uid in office.users.values() if uid not in seeded.unstarted)

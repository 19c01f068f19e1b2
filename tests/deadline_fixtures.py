"""Shared pieces of the deadline tests: a small SOP with a Kasubag who supervises but
does not act first, engines on the real working-time calendar, and outbox readers.

``from deadline_fixtures import *`` next to ``db_fixtures`` (conftest) gives the
``nag_engine`` factory and the ``nags`` office.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.deadlines import NagPolicy
from bot.deadlines.service import NagService
from bot.engine import SopEngine
from bot.domain.sop import SopDefinition
from bot.domain.working_calendar import calendar_for
from db_fixtures import FakeClock, Org

WIB = ZoneInfo("Asia/Jakarta")
SOP_ID = "tenggat-uji"
#: Kasubag (supervisor) 3000, Staf 3001, Kepala 3002; the coordinator is db_fixtures' 1000.
PEOPLE = {"kasubag": 3000, "staf": 3001, "kepala": 3002}

__all__ = [
    "PEOPLE", "SOP_ID", "WIB", "nag_engine", "nag_items", "nag_org", "nag_rows", "outbox_rows", "sop_with",
    "together", "wib",
]


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def sop_with(*times: str, actors: tuple[str, ...] = ("staf",)) -> SopDefinition:
    """An SOP whose steps take `times`; every step is done by `actors` (a chain)."""
    return SopDefinition.model_validate(
        {
            "id": SOP_ID,
            "nama": "Uji Tenggat",
            "identitas": {"instansi": "Badan Uji"},
            "roles": [
                {"key": "kasubag", "nama": "Kasubag Umum"},
                {"key": "staf", "nama": "Staf Perencanaan"},
                {"key": "kepala", "nama": "Kepala Badan"},
                {"key": "mitra", "nama": "Mitra Luar", "eksternal": True},
            ],
            "supervisor": "kasubag",
            "steps": [
                {"no": n, "aktivitas": f"Aktivitas langkah {n}", "actors": [{"role": a} for a in actors], "waktu": w}
                for n, w in enumerate(times, start=1)
            ],
        }
    )


@pytest.fixture
def nag_engine(engine_factory: Callable[..., SopEngine]) -> Callable[..., SopEngine]:
    """Engines on the real WIB calendar (08:00–16:00, Mon–Fri, Indonesian holidays)."""

    def build(sop: SopDefinition | None = None, interval: int = 120, early: int = 0, **options: Any) -> SopEngine:
        options.setdefault("calendar_for", lambda tz: calendar_for(tz))
        sops = {SOP_ID: sop or sop_with("60 menit", "60 menit")}
        return engine_factory(sops=sops, nag_policy=NagPolicy(interval, early), **options)

    return build


class NagOrg(Org):
    """An office for the tenggat-uji SOP: fixed people, the Kasubag holds the supervisor role."""

    def start_run(self, title: str = "Renja 2027", roles: tuple[str, ...] = ("kasubag", "staf", "kepala")) -> Any:
        self.engine.ensure_chat(self.chat_id, "supergroup", "Sekretariat")
        self.person(self.coordinator, "Koordinator")
        run = self.engine.start_run(self.chat_id, SOP_ID, title, self.coordinator)
        for role in roles:
            self.people[role] = PEOPLE[role]
            self.person(PEOPLE[role], role.title())
            self.engine.claim_role(run.id, role, PEOPLE[role])
        return run

    def service(self, **options: Any) -> NagService:
        return NagService(self.engine, **options)


@pytest.fixture
def nag_org(nag_engine: Callable[..., SopEngine], clock: FakeClock) -> Callable[..., NagOrg]:
    """Build an office on a fresh engine: ``nag_org(sop=..., interval=..., early=...)``."""

    def build(**options: Any) -> NagOrg:
        return NagOrg(nag_engine(**options), clock)

    return build


def outbox_rows(engine: SopEngine, *kinds: str) -> list[dict[str, Any]]:
    """Outbox rows, oldest first (only `kinds`, if given): kind, target (user_id or chat_id), payload."""
    query = "SELECT kind, user_id, chat_id, payload FROM outbox ORDER BY id"
    with engine.db.transaction(readonly=True) as s:
        rows = s.execute(text(query)).all()
    result = []
    for kind, user_id, chat_id, payload in rows:
        if kinds and kind not in kinds:
            continue
        if isinstance(payload, str):
            payload = json.loads(payload)
        result.append({"kind": kind, "user_id": user_id, "chat_id": chat_id, "payload": payload})
    return result


def nag_rows(engine: SopEngine) -> list[dict[str, Any]]:
    """The deadline outbox rows, oldest first: kind, target and items."""
    return [
        {"kind": r["kind"], "user_id": r["user_id"], "chat_id": r["chat_id"], "items": r["payload"]["items"]}
        for r in outbox_rows(engine, "deadline_digest", "deadline_group")
    ]


def together(*workers: Callable[[], None], timeout: float = 120) -> list[BaseException]:
    """Run the workers in threads released at one barrier; what they raised, if anything."""
    start = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(work: Callable[[], None]) -> None:
        try:
            start.wait()
            work()
        except BaseException as exc:  # pragma: no cover - reported by the caller
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors


def nag_items(engine: SopEngine) -> list[tuple[Any, int, int, str | None]]:
    """Every (recipient, task, round, reason) queued so far."""
    found = []
    for row in nag_rows(engine):
        target = row["user_id"] if row["user_id"] is not None else f"group{row['chat_id']}"
        for item in row["items"]:
            found.append((target, item["task_id"], item["round"], item.get("reason")))
    return found

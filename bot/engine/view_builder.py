"""The view builder: rows (read by the repositories) into the frozen views of :mod:`bot.engine.views`.

It writes no SQL: the holders and people it needs come from :mod:`storage.repositories.run_store`
within the session the caller passes along. A renderer is built after a change is complete,
so the holders and names it shows are those the caller will see from now on. Users are
fetched once per renderer, in bulk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.domain.delegation import Cover
from storage.repositories import run_store as store
from bot.engine.views import (
    DecisionView,
    EvidenceView,
    OutcomeView,
    RoleRef,
    RunView,
    StepView,
    TaskView,
    UserRef,
)
from bot.domain.sop import Outcome, SopDefinition
from storage.models import Evidence, Run, Task, User
from storage.unit_of_work import ReadSession


@dataclass(frozen=True)
class PinnedSop:
    """The SOP content a run is bound to (never the file on disk)."""

    version_id: int
    sop_id: str
    nama: str
    content_hash: str
    definition: SopDefinition


def role_ref(sop: SopDefinition, key: str) -> RoleRef:
    role = sop.role_by_key.get(key)
    if role is None:  # a key from an older version that no longer exists
        return RoleRef(key=key, nama=key)
    return RoleRef(key=role.key, nama=role.nama, eksternal=role.eksternal)


def outcome_view(outcome: Outcome) -> OutcomeView:
    return OutcomeView(
        key=outcome.key,
        label=outcome.label,
        label_en=outcome.label_en,
        goto=outcome.goto,
        alasan_wajib=outcome.alasan_wajib,
    )


def step_view(sop: SopDefinition, no: int) -> StepView:
    step = sop.step_by_no[no]
    decision = None
    if step.decision is not None:
        decision = DecisionView(
            pertanyaan=step.decision.pertanyaan,
            outcomes=tuple(outcome_view(o) for o in step.decision.outcomes),
        )
    return StepView(
        no=step.no,
        aktivitas=step.aktivitas,
        kelengkapan=step.kelengkapan,
        output=step.output,
        keterangan=step.keterangan,
        minutes=step.minutes,
        roles=tuple(role_ref(sop, k) for k in step.actor_keys),
        decision=decision,
        inferred=step.inferred,
    )


def is_decision_task(sop: SopDefinition, task: Task) -> bool:
    """The last actor of a decision step decides; earlier actors of its chain confirm."""
    step = sop.step_by_no[task.step_no]
    return step.decision is not None and task.chain_index == len(step.actors) - 1


def user_ref(user: User) -> UserRef:
    return UserRef(id=user.id, first_name=user.first_name, username=user.username)


class Renderer:
    """Views of one run, with its current holders and the names of everyone involved."""

    def __init__(
        self,
        s: ReadSession,
        run: Run,
        pinned: PinnedSop,
        holders: dict[str, int] | None = None,
        covers: Mapping[str, Cover] | None = None,
    ) -> None:
        self.s = s
        self.run = run
        self.pinned = pinned
        self.sop = pinned.definition
        #: Who acts for each role now (a substitute while a delegation is in force).
        self.holders = holders if holders is not None else store.holders(s, run.id)
        self.covers: Mapping[str, Cover] = covers or {}
        self._users: dict[int, User] = {}

    def know_users(self, users: Mapping[int, User]) -> None:
        """People already read by the caller (a batch read shares them across runs)."""
        self._users.update(users)

    def load_users(self, ids: Iterable[int | None]) -> None:
        missing = {i for i in ids if i is not None and i not in self._users}
        self._users.update(store.users_by_id(self.s, missing))

    def user(self, user_id: int | None) -> UserRef | None:
        if user_id is None:
            return None
        if user_id not in self._users:
            self.load_users([user_id])
        user = self._users.get(user_id)
        return user_ref(user) if user is not None else UserRef(id=user_id)

    def holder(self, role_key: str) -> UserRef | None:
        return self.user(self.holders.get(role_key))

    def run_view(self) -> RunView:
        run, pinned = self.run, self.pinned
        coordinator = self.user(run.coordinator_id)
        assert coordinator is not None and run.id is not None
        return RunView(
            id=run.id,
            chat_id=run.chat_id,
            number=run.number,
            title=run.title,
            sop_id=pinned.sop_id,
            sop_nama=pinned.nama,
            sop_version_id=pinned.version_id,
            content_hash=pinned.content_hash,
            status=str(run.status),
            coordinator=coordinator,
            current_step_no=run.current_step_no,
            pass_no=run.pass_no,
            started_at=run.started_at,
            finished_at=run.finished_at,
            cancelled_at=run.cancelled_at,
            cancelled_by=self.user(run.cancelled_by),
            cancel_reason=run.cancel_reason,
        )

    def task_view(self, task: Task) -> TaskView:
        self.load_users([task.completed_by, *self.holders.values()])
        step = self.sop.step_by_no[task.step_no]
        assert task.id is not None
        return TaskView(
            id=task.id,
            run_id=task.run_id,
            chat_id=self.run.chat_id,
            run_number=self.run.number,
            run_title=self.run.title,
            step_no=task.step_no,
            aktivitas=step.aktivitas,
            chain_index=task.chain_index,
            chain_length=len(step.actors),
            pass_no=task.pass_no,
            role=role_ref(self.sop, task.role_key),
            status=str(task.status),
            holder=self.holder(task.role_key),
            started_at=task.started_at,
            due_at=task.due_at,
            standard_minutes=task.standard_minutes,
            completed_at=task.completed_at,
            completed_by=self.user(task.completed_by),
            on_behalf=task.on_behalf,
            on_behalf_reason=task.on_behalf_reason,
            note=task.note,
            outcome_key=task.outcome_key,
            decision_reason=task.decision_reason,
            is_decision=is_decision_task(self.sop, task),
            acting_as=task.acting_as,
            **self._acting(task),
        )

    def _acting(self, task: Task) -> dict[str, object]:
        """A task still to do whose role a substitute covers now: as what, and for whom."""
        cover = self.covers.get(task.role_key)
        if cover is None or task.status not in ("active", "waiting"):
            return {}
        return {"acting": str(cover.kind), "acting_for": self.user(cover.holder_id)}

    def evidence_view(self, row: Evidence) -> EvidenceView:
        added_by = self.user(row.added_by)
        assert added_by is not None and row.id is not None
        return EvidenceView(
            id=row.id,
            task_id=row.task_id,
            run_id=row.run_id,
            kind=row.kind,
            file_id=row.file_id,
            chat_id=row.chat_id,
            message_id=row.message_id,
            filename=row.filename,
            caption=row.caption,
            added_by=added_by,
            added_at=row.added_at,
        )

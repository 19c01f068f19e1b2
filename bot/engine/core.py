"""The engine's plumbing shared by every operation: time, calendars, pinned SOPs,
units of work with idempotent replays, and telling the right people about a new task.

Idempotency: the first audit event an operation writes carries the caller's request id
(unique in the database). A request seen before is answered from what it did the first
time, without changing anything. A concurrent twin of the same request loses either on
the run lock (and then finds the twin's event) or on the unique request id; both end in
the same replay.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from bot.domain.nag_policy import NagPolicy
from bot.domain.delegation import Cover, effective_holders
from storage.repositories import run_store as store
from storage.repositories import delegation_rows as cover_store
from bot.domain.outbox_messages import (
    DelegationNote, GroupNotice, NoteKind, StartPrivatePrompt, TaskAssigned, TaskRef, TaskUnassigned,
)
from bot.engine.effects import Notice, Op
from bot.engine.errors import EngineError, RequestConflict, UnknownSop
from bot.engine.ports import CalendarFactory, SopCatalog, SopSource, WorkingCalendar
from bot.engine.view_builder import PinnedSop, Renderer
from bot.domain.sop import SopDefinition
from storage.db import Database
from storage.errors import ConstraintViolation
from storage.models import AuditEvent, Run, Task
from storage.unit_of_work import ReadSession as Session
from storage.types import utcnow

logger = logging.getLogger(__name__)
T = TypeVar("T")
Replay = Callable[[Session, AuditEvent], T]


def default_calendar_for(tz: str) -> WorkingCalendar:
    """Office hours and Indonesian holidays with the library defaults."""
    from bot.domain.working_calendar import calendar_for

    return calendar_for(tz)


class EngineCore:
    def __init__(
        self,
        db: Database,
        sops: SopSource,
        clock: Callable[[], datetime] = utcnow,
        calendar_for: CalendarFactory | None = None,
        undo_window: timedelta = timedelta(minutes=10),
        *,
        strict_role_claims: bool = False,
        default_timezone: str = "Asia/Jakarta",
        nag_policy: NagPolicy | None = None,
    ) -> None:
        self.db = db
        self.catalog = sops if isinstance(sops, SopCatalog) else SopCatalog(sops)
        self.clock = clock
        self.calendar_for = calendar_for or default_calendar_for
        self.undo_window = undo_window
        self.strict_role_claims = strict_role_claims
        self.default_timezone = default_timezone
        self.nag_policy = nag_policy or NagPolicy()
        self._schedule_listeners: list[Callable[[], None]] = []
        self._pinned: dict[int, PinnedSop] = {}
        self._calendars: dict[str, WorkingCalendar] = {}
        self._cache_lock = threading.Lock()

    # -- time and calendars ------------------------------------------------------------
    def now(self) -> datetime:
        moment = self.clock()
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"the engine clock must return aware datetimes, got {moment!r}")
        return moment.astimezone(UTC)

    def calendar(self, tz: str) -> WorkingCalendar:
        with self._cache_lock:
            found = self._calendars.get(tz)
        if found is None:
            found = self.calendar_for(tz)
            with self._cache_lock:
                self._calendars[tz] = found
        return found

    def chat_calendar(self, s: Session, chat_id: int) -> WorkingCalendar:
        return self.calendar(store.chat_timezone(s, chat_id) or self.default_timezone)

    # -- SOP definitions ---------------------------------------------------------------
    def definition(self, sop_id: str, chat_id: int | None = None) -> SopDefinition:
        """The SOP to start; with `chat_id`, only one that chat may use (whole-bot or its own)."""
        found = self.catalog.get(sop_id) if chat_id is None else self.catalog.get_for(sop_id, chat_id)
        if found is None:
            raise UnknownSop(sop_id=sop_id)
        return found

    def pinned(self, s: Session, version_id: int) -> PinnedSop:
        """The content a run started with; versions never change, so it is cached."""
        with self._cache_lock:
            found = self._pinned.get(version_id)
        if found is not None:
            return found
        version = store.sop_version(s, version_id)
        assert version.id is not None
        found = PinnedSop(
            version_id=version.id,
            sop_id=version.sop_id,
            nama=version.nama,
            content_hash=version.content_hash,
            definition=SopDefinition.model_validate(version.content),
        )
        with self._cache_lock:
            self._pinned[version_id] = found
        return found

    def renderer(self, s: Session, run: Run, op: Op | None = None) -> Renderer:
        """Views of `run`; inside an operation, with the holders and people it already read.

        Tasks show who acts for their role now: the substitute while a Plh./Plt. is in force.
        """
        holders = op.holders.get(run.id or 0) if op is not None else None
        covers = op.covers.get(run.id or 0) if op is not None else None
        if holders is None or covers is None:
            at = op.now if op is not None else self.now()
            covers = cover_store.run_covers(s, run, at)
            holders = effective_holders(store.holders(s, run.id or 0), covers.values(), at)
        view = Renderer(s, run, self.pinned(s, run.sop_version_id), holders, covers)
        if op is not None:
            view.know_users(op.people)
        return view

    def run_holders(self, op: Op, run: Run) -> dict[str, int]:
        """Role key → holder, read once per operation, with the holders' user rows.

        Only for operations that change no assignment (completing a task): the run is
        locked, so the holders cannot change under them, and the confirmation, the
        announcement of the next actor and the views returned all share one read.
        """
        assert run.id is not None
        found = op.holders.get(run.id)
        if found is None:
            assigned = op.assigned[run.id] = store.holders(op.session, run.id)
            covers = op.covers[run.id] = cover_store.run_covers(op.session, run, op.now)
            found = op.holders[run.id] = effective_holders(assigned, covers.values(), op.now)
            op.people.update(store.users_by_id(op.session, [*assigned.values(), *found.values()]))
        return found

    def run_cover(self, op: Op, run: Run, role_key: str) -> tuple[int | None, Cover | None]:
        """The role's assigned holder and the delegation in force for it now (if any)."""
        self.run_holders(op, run)
        return op.assigned[run.id or 0].get(role_key), op.covers[run.id or 0].get(role_key)

    # -- units of work -----------------------------------------------------------------
    def read(self, action: Callable[[Session], T]) -> T:
        with self.db.transaction(readonly=True) as s:
            return action(s)

    def command(
        self,
        request_id: str | None,
        action: Callable[[Op], T],
        replay: Replay[T] | None = None,
        kinds: tuple[str, ...] = (),
    ) -> T:
        """Run `action` in one transaction; with a request id seen before, replay instead."""

        def answer(s: Session, event: AuditEvent) -> T:
            if replay is None or (kinds and event.kind not in kinds):
                raise RequestConflict(request_id=event.request_id or "", used_for=event.kind)
            return replay(s, event)

        try:
            with self.db.transaction() as s:
                if request_id is not None and (event := store.find_event(s, request_id)) is not None:
                    return answer(s, event)
                op = Op(session=s, now=self.now(), request_id=request_id, nag_policy=self.nag_policy)
                result = action(op)
            if op.rearm:
                self.schedule_changed()
            return result
        except (EngineError, ConstraintViolation):
            if request_id is None:
                raise
            with self.db.transaction(readonly=True) as s:
                event = store.find_event(s, request_id)
                if event is None:
                    raise
                return answer(s, event)

    # -- the deadline scheduler's wake-up calls -----------------------------------------
    def on_schedule_change(self, listener: Callable[[], None]) -> None:
        """Call `listener` (from the committing thread) after a task is armed or disarmed."""
        self._schedule_listeners.append(listener)

    def schedule_changed(self) -> None:
        """Tell the listeners; a failing listener must not undo a committed change."""
        for listener in list(self._schedule_listeners):
            try:
                listener()
            except Exception:
                logger.exception("deadline schedule listener failed")

    def role_filled(self, op: Op, run: Run, role_key: str, holder_id: int) -> bool:
        """A vacant role got a holder; True if that ended a Plt. (see the delegations mixin)."""
        return False

    # -- who hears about a newly active task -------------------------------------------
    def tell_user(self, op: Op, run: Run, task: Task, user_id: int, event: AuditEvent, **extra: object) -> None:
        """A private message if the person can be reached; a prompt to press Start if not.

        A card to a substitute names the delegation, so the sender records the message and
        its buttons can be taken away when the period ends.
        """
        user = store.user(op.session, user_id)  # no SQL when run_holders already read them
        covers = op.covers.get(run.id or 0)
        if covers is None:  # not read by this operation yet (a Start pressed, a role claimed)
            covers = cover_store.run_covers(op.session, run, op.now)
        cover = covers.get(task.role_key)
        delegation_id = extra.get("delegation_id")
        if delegation_id is None and cover is not None and cover.substitute_id == user_id:
            delegation_id = cover.id
        on_behalf = bool(extra.get("on_behalf"))
        ref, delegation = task_ref(run, task), None if delegation_id is None else int(str(delegation_id))
        if user is not None and user.started_private and user.unreachable_since is None:
            op.notify(TaskAssigned(user_id, ref, on_behalf, delegation), event)
        else:
            op.notify(StartPrivatePrompt(user_id, ref, on_behalf, delegation), event)

    def announce(self, op: Op, run: Run, task: Task, event: AuditEvent) -> None:
        """Tell whoever must act on `task` (just activated) that it is their turn."""
        sop = self.pinned(op.session, run.sop_version_id).definition
        role = sop.role_by_key[task.role_key]
        if role.eksternal:
            self.tell_user(op, run, task, run.coordinator_id, event, on_behalf=True)
            return
        known = op.holders.get(run.id or 0)
        if known is not None:
            holder_id = known.get(task.role_key)
        else:
            holding = store.active_assignment(op.session, run.id or 0, task.role_key)
            holder_id = holding.user_id if holding is not None else None
            cover = cover_store.run_covers(op.session, run, op.now).get(task.role_key)
            if cover is not None:
                op.covers.setdefault(run.id or 0, {})[task.role_key] = cover
                holder_id = cover.substitute_id
        if holder_id is None:
            op.notify(TaskUnassigned(task_ref(run, task)), event)
        else:
            self.tell_user(op, run, task, holder_id, event)

    def note_substitute(self, op: Op, run: Run, cover: Cover, event: AuditEvent, what: str, **payload: object) -> None:
        """A private note about a delegation to its substitute (who must be reachable)."""
        task_id = payload.get("task_id")
        op.notify(DelegationNote(cover.substitute_id, NoteKind(what), run.id or 0, run.chat_id, cover.id,
                                 cover.role_key, None if task_id is None else int(str(task_id))), event)

    def group_notice(self, op: Op, run: Run, notice: Notice, event: AuditEvent, **payload: object) -> None:
        """A group notice; `payload` names the fields of :class:`GroupNotice` it sets."""
        if payload.get("next_task_ids") is not None:
            payload["next_task_ids"] = tuple(payload["next_task_ids"])  # type: ignore[arg-type]
        op.notify(GroupNotice(notice=notice, run_id=run.id or 0, chat_id=run.chat_id, **payload), event)  # type: ignore[arg-type]


def task_ref(run: Run, task: Task) -> TaskRef:
    """How every message names a task."""
    assert task.id is not None
    return TaskRef(run_id=run.id or 0, chat_id=run.chat_id, task_id=task.id, step_no=task.step_no,
                   pass_no=task.pass_no, role_key=task.role_key)

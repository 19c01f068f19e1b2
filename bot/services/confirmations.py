"""Completing tasks: confirm, decide, and confirm on someone's behalf — one press, one
write transaction.

Who may act is decided before anything changes: a button's press first checks where it
was pressed (`scope`: a task of another group, or in private of nobody's concern, is a
stale button; :func:`bot.domain.permissions.require_press_in`); then the holder of the
task's role (or their Plh./Plt.) confirms or decides; the coordinator confirms on behalf of external parties or
absent holders, always with a reason. A decision is never a plain confirmation, because
which way the run goes must be stated explicitly. The press reads the run (locked), the
task's pass and the people in two statements, lets :mod:`bot.domain.run_machine` decide,
writes its transition, events and outbox rows, commits once, and answers from what it
holds — nothing it wrote is read back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain import permissions, run_machine
from bot.domain.delegation import acting_as
from bot.domain.permissions import PressScope
from bot.domain.run_state import PressState, TaskState, Transition
from bot.domain.sop import Outcome, SopDefinition
from bot.domain.text_rules import is_blank, is_real_text
from storage.repositories import run_store as store
from bot.engine.effects import COMPLETIONS, EventKind, Notice, Op
from bot.engine.errors import (
    IsADecision,
    NotADecision,
    ReasonRequired,
    TextRequired,
    UnknownOutcome,
)
from bot.engine.view_builder import outcome_view
from bot.engine.views import ConfirmResult
from bot.services import press_common as pc
from storage.models import AuditEvent
from storage.repositories.presses import LostRace, People
from storage.repositories.rows import run_row, task_row
from storage.unit_of_work import ReadSession, UnitOfWork

if TYPE_CHECKING:
    from bot.engine.evidence import EvidenceArg
    from bot.engine.tasks import TasksMixin


def confirm(uow: UnitOfWork, engine: TasksMixin, task_id: int, user_id: int, note: str | None = None,
            evidence: EvidenceArg = None, request_id: str | None = None,
            scope: PressScope | None = None) -> ConfirmResult:
    """The holder says their part of the step is done; the run moves on."""

    def action(uow: UnitOfWork, op: Op) -> ConfirmResult:
        state, timezone, sop, people = _current(uow, engine, op, task_id, user_id, scope)
        _require_kind(sop, state.task, decision=False)
        _check_may_complete(sop, state, people, user_id)
        return _complete(uow, engine, op, state, sop, people, timezone, by=user_id, note=note, evidence=evidence)

    return pc.run_press(engine, uow, request_id, action, _replayer(engine), (EventKind.TASK_CONFIRMED.value,))


def decide(uow: UnitOfWork, engine: TasksMixin, task_id: int, user_id: int, outcome_key: str,
           reason: str | None = None, note: str | None = None, evidence: EvidenceArg = None,
           request_id: str | None = None, scope: PressScope | None = None) -> ConfirmResult:
    """Take a decision step's outcome: go on, or go back to an earlier step (a new pass)."""

    def action(uow: UnitOfWork, op: Op) -> ConfirmResult:
        state, timezone, sop, people = _current(uow, engine, op, task_id, user_id, scope)
        _require_kind(sop, state.task, decision=True)
        _check_may_complete(sop, state, people, user_id)
        outcome = _outcome(sop, state.task, outcome_key)
        if (outcome.alasan_wajib or not is_blank(reason)) and not is_real_text(reason):
            raise ReasonRequired(action="decision", outcome_key=outcome.key)
        return _complete(uow, engine, op, state, sop, people, timezone, by=user_id, note=note, evidence=evidence,
                         outcome=outcome, reason=reason)

    return pc.run_press(engine, uow, request_id, action, _replayer(engine), (EventKind.DECISION_MADE.value,))


def confirm_on_behalf(uow: UnitOfWork, engine: TasksMixin, task_id: int, coordinator_id: int, reason: str,
                      outcome_key: str | None = None, note: str | None = None, evidence: EvidenceArg = None,
                      request_id: str | None = None, scope: PressScope | None = None) -> ConfirmResult:
    """The coordinator records an external party's (or an absent holder's) part."""

    def action(uow: UnitOfWork, op: Op) -> ConfirmResult:
        state, timezone, sop, people = _current(uow, engine, op, task_id, coordinator_id, scope)
        _check_may_complete_on_behalf(state, coordinator_id, reason, outcome_key)
        outcome = None
        if run_machine.is_decision(sop, state.task.step_no, state.task.chain_index):
            outcome = _outcome(sop, state.task, outcome_key)
        elif outcome_key is not None:
            raise NotADecision(task_id=task_id)
        return _complete(uow, engine, op, state, sop, people, timezone, by=coordinator_id, note=note,
                         evidence=evidence, outcome=outcome, reason=reason, on_behalf=True)

    return pc.run_press(engine, uow, request_id, action, _replayer(engine), COMPLETIONS)


# -- checks ----------------------------------------------------------------------------
def _current(
    uow: UnitOfWork, engine: TasksMixin, op: Op, task_id: int, user_id: int, scope: PressScope | None
) -> tuple[PressState, str | None, SopDefinition, People]:
    """Lock the task's run, check the press's scope (a button's), insist the task is the one
    the run waits for, and read the run's people (once: the scope check may have)."""
    loaded, _ = pc.lock(uow, task_id)
    people = pc.require_scope(uow, op, loaded.state, user_id, scope)
    pc.require_current(loaded.state)
    if people is None:
        people = uow.presses.people(loaded.state.run, op.now)
    sop = engine.pinned(uow.session, loaded.state.run.sop_version_id).definition
    return loaded.state, loaded.timezone, sop, people


def _require_kind(sop: SopDefinition, task: TaskState, *, decision: bool) -> None:
    if run_machine.is_decision(sop, task.step_no, task.chain_index) != decision:
        if decision:
            raise NotADecision(task_id=task.id)
        raise IsADecision(task_id=task.id, outcomes=_outcome_keys(sop, task))


def _check_may_complete(sop: SopDefinition, state: PressState, people: People, user_id: int) -> None:
    """The acting person (a substitute while a Plh./Plt. is in force), or the holder on leave."""
    task, run = state.task, state.run
    external = sop.role_by_key[task.role_key].eksternal
    cover = None if external else people.covers.get(task.role_key)
    holder_id = None if external else people.assigned.get(task.role_key)
    seat = permissions.Seat(task.role_key, external, holder_id, cover.substitute_id if cover else None)
    permissions.require_actor(user_id, seat, task_id=task.id, run_id=run.id)


def _check_may_complete_on_behalf(state: PressState, coordinator_id: int, reason: str, outcome_key: str | None) -> None:
    run = permissions.RunFacts(run_id=state.run.id, coordinator_id=state.run.coordinator_id)
    permissions.require_on_behalf(coordinator_id, run, reason, outcome_key)


# -- the completion --------------------------------------------------------------------
def _complete(
    uow: UnitOfWork, engine: TasksMixin, op: Op, state: PressState, sop: SopDefinition, people: People,
    timezone: str | None, *, by: int, note: str | None, evidence: EvidenceArg, outcome: Outcome | None = None,
    reason: str | None = None, on_behalf: bool = False,
) -> ConfirmResult:
    """Complete the task, move the run on, and record and announce both in one go."""
    if is_blank(note):
        note = None
    elif not is_real_text(note):
        raise TextRequired(field="note")
    task = state.task
    cover = people.covers.get(task.role_key)
    completion = run_machine.Completion(
        by=by, note=note, outcome=outcome, reason=reason, on_behalf=on_behalf,
        acting_as=None if on_behalf else acting_as(by, people.assigned.get(task.role_key), cover),
    )
    transition = run_machine.complete(state, sop, completion, pc.clock(engine, op, timezone))
    try:
        inserted = uow.presses.apply(transition)
    except LostRace as lost:
        raise pc.not_current(lost.task) from None
    op.rearm = op.rearm or transition.rearm
    done = transition.task
    assert done is not None
    run = run_row(transition.run)
    rows = engine._store_evidence(op, run, task_row(done), by, evidence)
    next_tasks = [transition.activated] if transition.activated is not None else inserted[:1]
    event, *_ = pc.record(op, _events(transition, inserted, next_tasks, by, note, reason, on_behalf,
                                      [r.id for r in rows], cover.id if cover else None))
    _notify(engine, op, run, transition, next_tasks, people, event, by, on_behalf)
    pc.flush_outbox(op)
    view = pc.renderer(engine, uow, transition.run, people)
    return ConfirmResult(
        task=view.task_view(task_row(done)),
        next_tasks=tuple(view.task_view(task_row(t)) for t in next_tasks),
        step_done=transition.step_done,
        run_finished=transition.run_finished,
        run=view.run_view(),
        outcome=outcome_view(outcome) if outcome else None,
        new_pass=transition.new_pass,
    )


def _events(
    transition: Transition, inserted: list[TaskState], next_tasks: list[TaskState], by: int, note: str | None,
    reason: str | None, on_behalf: bool, evidence_ids: list[int | None], delegation_id: int | None,
) -> list[tuple[EventKind, dict[str, object]]]:
    """The completion's event (written once the run has moved, so it says where it went),
    then what the completion set in motion."""
    done, run, outcome = transition.task, transition.run, transition.outcome
    assert done is not None
    where = {"run_id": run.id, "chat_id": run.chat_id}
    completed = {
        **where, "task_id": done.id, "actor_id": by, "note": note,
        "step_no": done.step_no, "chain_index": done.chain_index, "pass_no": done.pass_no, "role_key": done.role_key,
        "on_behalf": on_behalf, "reason": reason, "outcome_key": outcome.key if outcome else None,
        "goto": outcome.goto if outcome else None, "evidence_ids": evidence_ids,
        "next_task_ids": [t.id for t in next_tasks], "step_done": transition.step_done,
        "run_finished": transition.run_finished, "new_pass": transition.new_pass,
        "next_step_no": transition.target_step_no, "acting_as": done.acting_as, "delegation_id": delegation_id,
    }
    entries: list[tuple[EventKind, dict[str, object]]] = [
        (EventKind.DECISION_MADE if outcome else EventKind.TASK_CONFIRMED, completed)
    ]
    if transition.run_finished:
        entries.append((EventKind.RUN_FINISHED, {**where, "task_id": done.id, "actor_id": by}))
    elif transition.step_done:
        first = inserted[0]
        entries.append((EventKind.STEP_STARTED, {
            **where, "task_id": first.id, "actor_id": by, "step_no": first.step_no, "pass_no": first.pass_no,
            "task_ids": [t.id for t in inserted], "roles": [t.role_key for t in inserted], "due_at": first.due_at,
        }))
    else:
        nxt = next_tasks[0]
        entries.append((EventKind.TASK_ACTIVATED, {
            **where, "task_id": nxt.id, "actor_id": by, "step_no": nxt.step_no, "chain_index": nxt.chain_index,
            "pass_no": nxt.pass_no, "role_key": nxt.role_key,
        }))
    return entries


def _notify(
    engine: TasksMixin, op: Op, run: object, transition: Transition, next_tasks: list[TaskState], people: People,
    event: AuditEvent, by: int, on_behalf: bool,
) -> None:
    """The group notice, the substitute's note, and the next actor's call to act."""
    done, outcome = transition.task, transition.outcome
    assert done is not None
    pc.know_people(op, transition.run.id, people)
    notice = (
        Notice.RUN_FINISHED if transition.run_finished
        else Notice.DECISION if outcome
        else Notice.STEP_DONE if transition.step_done
        else Notice.TASK_DONE
    )
    engine.group_notice(
        op, run, notice, event, task_id=done.id, step_no=done.step_no, user_id=by,  # type: ignore[arg-type]
        on_behalf=on_behalf, outcome_key=outcome.key if outcome else None,
        next_task_ids=[t.id for t in next_tasks], next_step_no=transition.target_step_no,
    )
    cover = people.covers.get(done.role_key)
    if cover is not None and by != cover.substitute_id:  # the holder (or coordinator) did it
        engine.note_substitute(op, run, cover, event, "holder_acted", task_id=done.id)  # type: ignore[arg-type]
    for nxt in next_tasks:
        engine.announce(op, run, task_row(nxt), event)  # type: ignore[arg-type]


# -- replays and outcomes ----------------------------------------------------------------
def _replayer(engine: TasksMixin) -> pc.Replay[ConfirmResult]:
    def replay(s: ReadSession, event: AuditEvent) -> ConfirmResult:
        """The answer of the first attempt, rebuilt from its event and the rows it names."""
        assert event.task_id is not None and event.run_id is not None
        view = engine.renderer(s, store.get_run(s, event.run_id))
        task = store.get_task(s, event.task_id)
        data = event.data
        outcome = None
        if data.get("outcome_key"):
            decision = view.sop.step_by_no[task.step_no].decision
            assert decision is not None
            outcome = outcome_view(next(o for o in decision.outcomes if o.key == data["outcome_key"]))
        return ConfirmResult(
            task=view.task_view(task),
            next_tasks=tuple(view.task_view(store.get_task(s, i)) for i in data.get("next_task_ids", [])),
            step_done=bool(data.get("step_done")),
            run_finished=bool(data.get("run_finished")),
            run=view.run_view(),
            outcome=outcome,
            new_pass=bool(data.get("new_pass")),
            replayed=True,
        )

    return replay


def _outcome_keys(sop: SopDefinition, task: TaskState) -> tuple[str, ...]:
    decision = sop.step_by_no[task.step_no].decision
    return tuple(o.key for o in decision.outcomes) if decision else ()


def _outcome(sop: SopDefinition, task: TaskState, key: str | None) -> Outcome:
    decision = sop.step_by_no[task.step_no].decision
    assert decision is not None
    for outcome in decision.outcomes:
        if outcome.key == key:
            return outcome
    raise UnknownOutcome(outcome_key=key, valid=_outcome_keys(sop, task))

"""Completing tasks: confirm, decide, and confirm on someone's behalf.

Who may act is checked here, before anything changes, by the rules of
:mod:`bot.domain.permissions`: the holder of the task's role (or their Plh./Plt.) confirms
or decides; the coordinator confirms on behalf of external parties or absent holders,
always with a reason. A decision is never a plain confirmation, because which
way the run goes must be stated explicitly.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.domain import permissions
from bot.domain.delegation import acting_as
from bot.engine import flow, store
from bot.engine.effects import COMPLETIONS, EventKind, Notice, Op
from bot.engine.errors import (
    IsADecision,
    NotADecision,
    ReasonRequired,
    RunNotActive,
    TextRequired,
    UnknownOutcome,
)
from bot.engine.evidence import EvidenceArg, EvidenceMixin
from bot.engine.facts import run_facts
from bot.engine.render import is_decision_task, outcome_view
from bot.engine.runs import RunsMixin
from bot.engine.views import ConfirmResult
from bot.domain.sop import Outcome, SopDefinition
from bot.domain.text_rules import is_blank, is_real_text
from storage.models import AuditEvent, Run, RunStatus, Task, TaskStatus


class TasksMixin(RunsMixin, EvidenceMixin):
    def confirm(
        self,
        task_id: int,
        user_id: int,
        note: str | None = None,
        evidence: EvidenceArg = None,
        request_id: str | None = None,
    ) -> ConfirmResult:
        """The holder says their part of the step is done; the run moves on."""

        def action(op: Op) -> ConfirmResult:
            task, run, sop = self._holders_task(op, task_id, user_id, decision=False)
            return self._complete(op, run, sop, task, by=user_id, note=note, evidence=evidence)

        return self.command(request_id, action, self._replay_completion, (EventKind.TASK_CONFIRMED.value,))

    def decide(
        self,
        task_id: int,
        user_id: int,
        outcome_key: str,
        reason: str | None = None,
        note: str | None = None,
        evidence: EvidenceArg = None,
        request_id: str | None = None,
    ) -> ConfirmResult:
        """Take a decision step's outcome: go on, or go back to an earlier step (a new pass)."""

        def action(op: Op) -> ConfirmResult:
            task, run, sop = self._holders_task(op, task_id, user_id, decision=True)
            outcome = _outcome(sop, task, outcome_key)
            if (outcome.alasan_wajib or not is_blank(reason)) and not is_real_text(reason):
                raise ReasonRequired(action="decision", outcome_key=outcome.key)
            return self._complete(
                op, run, sop, task, by=user_id, note=note, evidence=evidence, outcome=outcome, reason=reason
            )

        return self.command(request_id, action, self._replay_completion, (EventKind.DECISION_MADE.value,))

    def confirm_on_behalf(
        self,
        task_id: int,
        coordinator_id: int,
        reason: str,
        outcome_key: str | None = None,
        note: str | None = None,
        evidence: EvidenceArg = None,
        request_id: str | None = None,
    ) -> ConfirmResult:
        """The coordinator records an external party's (or an absent holder's) part."""

        def action(op: Op) -> ConfirmResult:
            task, run, sop = self._current(op, task_id)
            permissions.require_on_behalf(coordinator_id, run_facts(run), reason, outcome_key)
            outcome = None
            if is_decision_task(sop, task):
                outcome = _outcome(sop, task, outcome_key)
            elif outcome_key is not None:
                raise NotADecision(task_id=task_id)
            return self._complete(
                op, run, sop, task, by=coordinator_id, note=note, evidence=evidence,
                outcome=outcome, reason=reason, on_behalf=True,
            )

        return self.command(request_id, action, self._replay_completion, COMPLETIONS)

    # -- shared steps --------------------------------------------------------------------
    def _current(self, op: Op, task_id: int) -> tuple[Task, Run, SopDefinition]:
        """Lock the task's run and insist the task is the one the run waits for."""
        task, run = store.lock_task(op.session, task_id)
        if task.status != TaskStatus.ACTIVE:
            raise flow.not_current(task)
        if run.status != RunStatus.ACTIVE:
            raise RunNotActive(run_id=run.id or 0, status=run.status)
        return task, run, self.pinned(op.session, run.sop_version_id).definition

    def _holders_task(
        self, op: Op, task_id: int, user_id: int, *, decision: bool
    ) -> tuple[Task, Run, SopDefinition]:
        """The current task, of the kind the command is for, acted on by the role's holder."""
        task, run, sop = self._current(op, task_id)
        if is_decision_task(sop, task) != decision:
            if decision:
                raise NotADecision(task_id=task_id)
            raise IsADecision(task_id=task_id, outcomes=_outcome_keys(sop, task))
        self._require_holder(op, run, sop, task, user_id)
        return task, run, sop

    def _require_holder(self, op: Op, run: Run, sop: SopDefinition, task: Task, user_id: int) -> None:
        """The acting person (a substitute while a Plh./Plt. is in force), or the holder on leave."""
        external = sop.role_by_key[task.role_key].eksternal
        holder_id, cover = (None, None) if external else self.run_cover(op, run, task.role_key)
        seat = permissions.Seat(task.role_key, external, holder_id, cover.substitute_id if cover else None)
        permissions.require_actor(user_id, seat, task_id=task.id or 0, run_id=run.id)

    def _complete(
        self,
        op: Op,
        run: Run,
        sop: SopDefinition,
        task: Task,
        *,
        by: int,
        note: str | None,
        evidence: EvidenceArg,
        outcome: Outcome | None = None,
        reason: str | None = None,
        on_behalf: bool = False,
    ) -> ConfirmResult:
        """Complete `task`, move the run on, and record and announce both in one go.

        `by` is the role's holder or the run's coordinator, so their user row exists (the
        assignment's and the run's foreign keys). The completion's event is written once
        the run has moved, so it carries where the run went without a second write.
        """
        s = op.session
        if is_blank(note):
            note = None
        elif not is_real_text(note):
            raise TextRequired(field="note")
        holder_id, cover = self.run_cover(op, run, task.role_key)
        acting = None if on_behalf else acting_as(by, holder_id, cover)
        flow.complete(
            op, task, by=by, note=note,
            on_behalf_reason=reason if on_behalf else None,
            outcome_key=outcome.key if outcome else None,
            decision_reason=reason if outcome else None,
            acting_as=acting,
        )
        rows = self._store_evidence(op, run, task, by, evidence)
        adv = flow.advance(op, run, sop, task, self.chat_calendar(s, run.chat_id), outcome)
        next_ids = [t.id for t in adv.next_tasks]
        event = op.record(
            EventKind.DECISION_MADE if outcome else EventKind.TASK_CONFIRMED,
            run_id=run.id, chat_id=run.chat_id, task_id=task.id, actor_id=by, note=note,
            step_no=task.step_no, chain_index=task.chain_index, pass_no=task.pass_no, role_key=task.role_key,
            on_behalf=on_behalf, reason=reason, outcome_key=outcome.key if outcome else None,
            goto=outcome.goto if outcome else None, evidence_ids=[r.id for r in rows],
            next_task_ids=next_ids, step_done=adv.step_done, run_finished=adv.run_finished,
            new_pass=adv.new_pass, next_step_no=adv.target_step_no,
            acting_as=acting, delegation_id=cover.id if cover else None,
        )
        if adv.run_finished:
            op.record(EventKind.RUN_FINISHED, run_id=run.id, chat_id=run.chat_id, task_id=task.id, actor_id=by)
        elif adv.step_done:
            self.record_step_started(op, run, adv.created, by)
        else:
            nxt = adv.next_tasks[0]
            op.record(
                EventKind.TASK_ACTIVATED, run_id=run.id, chat_id=run.chat_id, task_id=nxt.id, actor_id=by,
                step_no=nxt.step_no, chain_index=nxt.chain_index, pass_no=nxt.pass_no, role_key=nxt.role_key,
            )
        notice = (
            Notice.RUN_FINISHED if adv.run_finished
            else Notice.DECISION if outcome
            else Notice.STEP_DONE if adv.step_done
            else Notice.TASK_DONE
        )
        self.group_notice(
            op, run, notice, event, task_id=task.id, step_no=task.step_no, user_id=by, on_behalf=on_behalf,
            outcome_key=outcome.key if outcome else None, next_task_ids=next_ids, next_step_no=adv.target_step_no,
        )
        if cover is not None and by != cover.substitute_id:  # the holder (or coordinator) did it
            self.note_substitute(op, run, cover, event, "holder_acted", task_id=task.id)
        for nxt in adv.next_tasks:
            self.announce(op, run, nxt, event)
        view = self.renderer(s, run, op)
        return ConfirmResult(
            task=view.task_view(task),
            next_tasks=tuple(view.task_view(t) for t in adv.next_tasks),
            step_done=adv.step_done,
            run_finished=adv.run_finished,
            run=view.run_view(),
            outcome=outcome_view(outcome) if outcome else None,
            new_pass=adv.new_pass,
        )

    def _replay_completion(self, s: Session, event: AuditEvent) -> ConfirmResult:
        """The answer of the first attempt, rebuilt from its event and the rows it names."""
        assert event.task_id is not None and event.run_id is not None
        view = self.renderer(s, store.get_run(s, event.run_id))
        task = store.get_task(s, event.task_id)
        data = event.data
        outcome = None
        if data.get("outcome_key"):
            outcome = outcome_view(_outcome(view.sop, task, data["outcome_key"]))
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


def _outcome_keys(sop: SopDefinition, task: Task) -> tuple[str, ...]:
    decision = sop.step_by_no[task.step_no].decision
    return tuple(o.key for o in decision.outcomes) if decision else ()


def _outcome(sop: SopDefinition, task: Task, key: str | None) -> Outcome:
    decision = sop.step_by_no[task.step_no].decision
    assert decision is not None
    for outcome in decision.outcomes:
        if outcome.key == key:
            return outcome
    raise UnknownOutcome(outcome_key=key, valid=_outcome_keys(sop, task))

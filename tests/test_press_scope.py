"""A task's button is checked where it was pressed, inside the press's one transaction.

A payload copied into another group, or pressed in the private chat of somebody the task
does not concern, is refused exactly like a stale button (revealing nothing, not even that
the task exists or is done) and changes nothing. Commands pass no scope and keep their
own refusals.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.domain.permissions import PressScope
from bot.domain.refusal import Refusal
from bot.engine import SopEngine
from bot.engine.errors import NotRoleHolder, UndoNotAllowed
from db_fixtures import Org

KALBAR = "renja-bappeda-kalbar"
OTHER_GROUP, STRANGER = -100888, 2999


def counts(engine: SopEngine) -> dict[str, int]:
    """What any press would move: proof a refused one changed nothing."""
    queries = {"events": "SELECT count(*) FROM audit_events", "outbox": "SELECT count(*) FROM outbox",
               "done": "SELECT count(*) FROM tasks WHERE status = 'done'",
               "open": "SELECT count(*) FROM tasks WHERE status IN ('active', 'waiting')"}
    with engine.db.transaction(readonly=True) as session:
        return {name: int(session.execute(text(sql)).scalar_one()) for name, sql in queries.items()}


def stale(call: object, *args: object, **kwargs: object) -> None:
    """`call` is refused as a stale button."""
    with pytest.raises(Refusal) as refused:
        call(*args, **kwargs)  # type: ignore[operator]
    assert refused.value.wording() == ("stale_button", {}), refused.value


@pytest.fixture
def run_id(org: Org) -> int:
    org.person(STRANGER, "Orang Lain")
    return org.start(KALBAR).id


def test_a_button_of_one_group_pressed_in_another_is_stale_and_changes_nothing(
    org: Org, engine: SopEngine, run_id: int
) -> None:
    task, elsewhere = org.active(run_id), PressScope(OTHER_GROUP, in_group=True)
    before = counts(engine)
    stale(engine.confirm, task.id, org.holder(task), request_id="cq:1", scope=elsewhere)
    stale(engine.confirm_on_behalf, task.id, org.coordinator, "lewat telepon", scope=elsewhere)
    assert counts(engine) == before and org.active(run_id).id == task.id
    done = engine.confirm(task.id, org.holder(task), scope=PressScope(org.chat_id, in_group=True))
    assert done.task.status == "done"
    after = counts(engine)
    stale(engine.undo, task.id, org.holder(task), scope=elsewhere)  # its own author, from the wrong group
    stale(engine.confirm, task.id, org.holder(task), scope=elsewhere)  # done: still nothing revealed
    assert counts(engine) == after


def test_a_decision_pressed_in_another_group_is_stale(org: Org, engine: SopEngine, run_id: int) -> None:
    while not org.active(run_id).is_decision:
        org.act(run_id)
    task = org.active(run_id)
    outcome = org.decision_outcomes(task)[0].key
    before = counts(engine)
    stale(engine.decide, task.id, org.holder(task), outcome, scope=PressScope(OTHER_GROUP, in_group=True))
    assert counts(engine) == before
    engine.decide(task.id, org.holder(task), outcome, scope=PressScope(org.holder(task), in_group=False))
    assert counts(engine) != before


def test_a_private_press_by_a_stranger_is_stale_where_a_command_is_refused_by_its_rule(
    org: Org, engine: SopEngine, run_id: int
) -> None:
    task, private = org.active(run_id), PressScope(STRANGER, in_group=False)
    before = counts(engine)
    stale(engine.confirm, task.id, STRANGER, scope=private)
    stale(engine.confirm_on_behalf, task.id, STRANGER, "lewat telepon", scope=private)
    with pytest.raises(NotRoleHolder):  # no scope (a command): the rule's own refusal, as before
        engine.confirm(task.id, STRANGER)
    engine.confirm(task.id, org.holder(task), scope=PressScope(org.holder(task), in_group=False))
    after = counts(engine)
    stale(engine.undo, task.id, STRANGER, scope=private)
    with pytest.raises(UndoNotAllowed):
        engine.undo(task.id, STRANGER)
    assert counts(engine) == after
    engine.undo(task.id, org.holder(task), scope=PressScope(org.holder(task), in_group=False))  # its author may
    assert counts(engine)["done"] == before["done"]


def test_the_coordinator_presses_on_behalf_in_private(org: Org, engine: SopEngine, run_id: int) -> None:
    task = org.active(run_id)
    result = engine.confirm_on_behalf(task.id, org.coordinator, "lewat telepon",
                                      scope=PressScope(org.coordinator, in_group=False))
    assert result.task.on_behalf and result.task.status == "done"


def test_a_task_that_does_not_exist_is_stale(org: Org, engine: SopEngine, run_id: int) -> None:
    for scope in (PressScope(org.chat_id, in_group=True), PressScope(STRANGER, in_group=False)):
        stale(engine.confirm, 987654, STRANGER, request_id="cq:9", scope=scope)
        stale(engine.undo, 987654, STRANGER, scope=scope)

"""Where a task's button may be pressed, asked of bot.domain.permissions alone: no database,
no Telegram (the press checks it inside its own transaction)."""

from __future__ import annotations

import pytest

from bot.domain import permissions as p
from bot.domain.permissions import Actor, PressScope, RunFacts
from bot.domain.refusal import Refusal

COORD, HOLDER, PLH, AUTHOR, STRANGER = 1, 2, 3, 4, 5
GROUP, OTHER_GROUP = -100777, -100888
RUN = RunFacts(run_id=10, coordinator_id=COORD)
CONCERNED = {HOLDER, PLH, AUTHOR}


@pytest.mark.parametrize(
    ("scope", "who", "allowed"),
    [
        (PressScope(GROUP, in_group=True), STRANGER, True),  # in its group anyone may press; the press's rules decide
        (PressScope(OTHER_GROUP, in_group=True), HOLDER, False),  # a payload copied into another group
        (PressScope(OTHER_GROUP, in_group=True), COORD, False),
        (PressScope(HOLDER, in_group=False), HOLDER, True),
        (PressScope(PLH, in_group=False), PLH, True),  # the Plh./Plt. (or the holder they cover)
        (PressScope(AUTHOR, in_group=False), AUTHOR, True),  # who completed it (↩️)
        (PressScope(COORD, in_group=False), COORD, True),  # the run's coordinator (🤝)
        (PressScope(STRANGER, in_group=False), STRANGER, False),
        (PressScope(STRANGER, in_group=False), Actor(STRANGER, chat_admin=True, bot_admin=True), False),
    ],
)
def test_where_a_task_button_may_be_pressed(scope: PressScope, who: Actor | int, allowed: bool) -> None:
    assert p.may_press_in(scope, who, RUN, run_chat_id=GROUP, concerned=CONCERNED) is allowed
    if allowed:
        p.require_press_in(scope, who, RUN, run_chat_id=GROUP, concerned=CONCERNED)
    else:
        with pytest.raises(Refusal) as refused:
            p.require_press_in(scope, who, RUN, run_chat_id=GROUP, concerned=CONCERNED)
        assert refused.value.wording() == ("stale_button", {})  # answered like any stale button: nothing revealed


def test_in_a_group_the_people_do_not_matter_and_in_private_the_chat_does_not() -> None:
    nobody: set[int] = set()
    assert p.may_press_in(PressScope(GROUP, True), STRANGER, RUN, run_chat_id=GROUP, concerned=nobody)
    assert not p.may_press_in(PressScope(GROUP, True), STRANGER, RUN, run_chat_id=OTHER_GROUP, concerned=CONCERNED)
    # a private chat's id is its person's: the rule asks who pressed, not which chat it names
    assert p.may_press_in(PressScope(OTHER_GROUP, False), HOLDER, RUN, run_chat_id=GROUP, concerned=CONCERNED)
    assert not p.may_press_in(PressScope(GROUP, False), STRANGER, RUN, run_chat_id=GROUP, concerned=CONCERNED)


def test_the_scope_is_a_small_frozen_value() -> None:
    scope = PressScope(GROUP, in_group=True)
    with pytest.raises(AttributeError):
        scope.chat_id = OTHER_GROUP  # type: ignore[misc]
    assert scope == PressScope(chat_id=GROUP, in_group=True)

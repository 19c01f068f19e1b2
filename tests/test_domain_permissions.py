"""Who may do what, asked of bot.domain.permissions alone: no database, no Telegram."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import permissions as p
from bot.domain.permissions import Actor, Completion, RunFacts, Seat
from bot.domain.run_refusals import NotAdmin, NotCoordinator, NotRoleHolder, ReasonRequired, RoleIsExternal, RoleNotHeld

COORD, HOLDER, PLH, ADMIN, STRANGER = 1, 2, 3, 4, 5
RUN = RunFacts(run_id=10, coordinator_id=COORD)
HELD = Seat("sekretaris", holder_id=HOLDER)
COVERED = Seat("sekretaris", holder_id=HOLDER, substitute_id=PLH)
VACANT_PLT = Seat("sekretaris", holder_id=None, substitute_id=PLH)
EXTERNAL = Seat("bappeda", external=True)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WINDOW_START = NOW - timedelta(minutes=5)


@pytest.mark.parametrize(
    ("who", "seat", "allowed"),
    [
        (HOLDER, HELD, True),
        (COORD, HELD, False),  # the coordinator acts only on behalf, with a reason
        (STRANGER, HELD, False),
        (PLH, COVERED, True),
        (HOLDER, COVERED, True),  # the holder on leave may still act
        (STRANGER, COVERED, False),
        (PLH, VACANT_PLT, True),
        (PLH, HELD, False),  # no delegation in force: the substitute is nobody
        (Actor(STRANGER, chat_admin=True, bot_admin=True), HELD, False),  # admins do not confirm for others
    ],
)
def test_who_confirms_or_decides(who: Actor | int, seat: Seat, allowed: bool) -> None:
    if allowed:
        p.require_actor(who, seat, task_id=7, run_id=RUN.run_id)
        return
    with pytest.raises(NotRoleHolder) as refused:
        p.require_actor(who, seat, task_id=7, run_id=RUN.run_id)
    assert refused.value.holder_id == seat.acting_id and refused.value.run_id == RUN.run_id
    assert refused.value.wording()[0] == "not_holder"


def test_an_external_role_is_never_confirmed_as_holder() -> None:
    with pytest.raises(RoleIsExternal):
        p.require_actor(COORD, EXTERNAL, task_id=7, run_id=RUN.run_id)


@pytest.mark.parametrize(
    ("who", "reason", "refusal"),
    [
        (COORD, "Bappeda mengirim surat", None),
        (COORD, "   ", ReasonRequired),
        (COORD, "\u200b\u2060", ReasonRequired),  # invisible characters are no reason
        (COORD, None, ReasonRequired),
        (HOLDER, "alasan", NotCoordinator),
        (Actor(ADMIN, chat_admin=True), "alasan", NotCoordinator),
    ],
)
def test_on_behalf_is_the_coordinators_with_a_reason(who: Actor | int, reason: str | None, refusal: type | None) -> None:
    if refusal is None:
        p.require_on_behalf(who, RUN, reason)
    else:
        with pytest.raises(refusal):
            p.require_on_behalf(who, RUN, reason)


@pytest.mark.parametrize(
    ("who", "strict", "waits"),
    [(STRANGER, False, False), (STRANGER, True, True), (COORD, True, False), (Actor(ADMIN, chat_admin=True), True, True)],
)
def test_strict_claims_wait_for_the_coordinator(who: Actor | int, strict: bool, waits: bool) -> None:
    assert p.claim_needs_approval(who, RUN, strict=strict) is waits


@pytest.mark.parametrize("who", [HOLDER, COORD, STRANGER])
def test_only_the_coordinator_assigns_revokes_approves_and_rejects(who: int) -> None:
    if who == COORD:
        p.require_coordinator(who, RUN)
    else:
        with pytest.raises(NotCoordinator) as refused:
            p.require_coordinator(who, RUN)
        assert refused.value.coordinator_id == COORD


@pytest.mark.parametrize(("who", "seat"), [(STRANGER, HELD), (COORD, HELD), (PLH, COVERED), (HOLDER, Seat("x"))])
def test_only_the_holder_releases(who: int, seat: Seat) -> None:
    with pytest.raises(RoleNotHeld):
        p.require_release(who, RUN, seat)
    p.require_release(HOLDER, RUN, HELD)


@pytest.mark.parametrize(
    ("completion", "who", "reason"),
    [
        (Completion(False, True, HOLDER, NOW, False), HOLDER, None),
        (Completion(True, True, HOLDER, NOW, False), HOLDER, "run_cancelled"),
        (Completion(False, False, None, None, False), HOLDER, "not_done"),
        (Completion(False, True, HOLDER, NOW, False), COORD, "not_author"),
        (Completion(False, True, HOLDER, WINDOW_START - timedelta(seconds=1), False), HOLDER, "window_passed"),
        (Completion(False, True, HOLDER, WINDOW_START, False), HOLDER, None),  # the window's first instant counts
        (Completion(False, True, HOLDER, NOW, True), HOLDER, "next_acted"),
    ],
)
def test_undo(completion: Completion, who: int, reason: str | None) -> None:
    assert p.undo_refusal(who, completion, WINDOW_START) == reason


@pytest.mark.parametrize(
    ("who", "may"),
    [(COORD, True), (Actor(ADMIN, chat_admin=True), True), (Actor(ADMIN, bot_admin=True), False), (STRANGER, False)],
)
def test_cancel_is_for_the_coordinator_or_a_group_admin(who: Actor | int, may: bool) -> None:
    assert p.may_cancel(who, RUN) is may
    if may:
        p.require_cancel(who, RUN)
        p.require_cancel_question(who, RUN)
    else:
        with pytest.raises(NotCoordinator):
            p.require_cancel(who, RUN)
        with pytest.raises(NotAdmin):
            p.require_cancel_question(who, RUN)


@pytest.mark.parametrize(
    ("who", "starters", "may"),
    [(Actor(ADMIN, chat_admin=True), "admins", True), (STRANGER, "admins", False), (STRANGER, "anyone", True)],
)
def test_who_starts_a_run(who: Actor | int, starters: str, may: bool) -> None:
    assert p.may_start_run(who, starters) is may


@pytest.mark.parametrize(
    ("who", "seat", "current", "author", "may"),
    [
        (COORD, HELD, False, False, True),
        (HOLDER, HELD, True, False, True),
        (PLH, COVERED, True, False, True),
        (HOLDER, HELD, False, False, False),  # the task moved on and someone else completed it
        (HOLDER, HELD, False, True, True),  # the photo after the tap on "done"
        (STRANGER, HELD, True, False, False),
    ],
)
def test_evidence(who: int, seat: Seat, current: bool, author: bool, may: bool) -> None:
    assert p.may_add_evidence(who, RUN, seat, current=current, author_of_last_completion=author) is may


@pytest.mark.parametrize(
    ("plt", "who", "holder", "reason", "code"),
    [
        (False, HOLDER, HOLDER, False, None),
        (False, COORD, HOLDER, True, None),
        (False, COORD, HOLDER, False, "reason_required"),
        (False, STRANGER, HOLDER, True, "not_holder"),
        (True, COORD, None, False, None),
        (True, STRANGER, None, True, "not_coordinator"),
    ],
)
def test_who_asks_for_a_substitute(plt: bool, who: int, holder: int | None, reason: bool, code: str | None) -> None:
    found = p.substitute_request_refusal(plt, who, holder, COORD, reason)
    assert (found[0] if found else None) == code


@pytest.mark.parametrize(("who", "may"), [(HOLDER, True), (PLH, True), (COORD, True), (STRANGER, False)])
def test_who_ends_a_substitute(who: int, may: bool) -> None:
    assert p.may_end_delegation(who, HOLDER, PLH, COORD) is may


@pytest.mark.parametrize(
    ("sop_admin", "admin_of", "scope", "may"),
    [(True, None, None, True), (True, None, -100, True), (False, -100, -100, True), (False, -100, None, False),
     (False, -100, -200, False), (False, None, None, False)],
)
def test_who_manages_an_sop(sop_admin: bool, admin_of: int | None, scope: int | None, may: bool) -> None:
    assert p.may_manage_sop(sop_admin, admin_of, scope) is may


@pytest.mark.parametrize(("sop_admin", "admin_of", "may"), [(True, None, True), (False, -100, True), (False, None, False)])
def test_who_uploads_an_sop_draft(sop_admin: bool, admin_of: int | None, may: bool) -> None:
    assert p.may_upload_sop(sop_admin, admin_of) is may


IDS = st.integers(min_value=1, max_value=6)


@given(user=IDS, holder=st.none() | IDS, substitute=st.none() | IDS, coordinator=IDS)
def test_nobody_but_the_holder_or_substitute_ever_acts(
    user: int, holder: int | None, substitute: int | None, coordinator: int
) -> None:
    run, seat = RunFacts(1, coordinator), Seat("r", holder_id=holder, substitute_id=substitute)
    admin = Actor(user, chat_admin=True, bot_admin=True)
    allowed = p.may_act(user, holder, substitute)
    assert allowed == (user in {holder, substitute})
    try:
        p.require_actor(admin, seat, task_id=1, run_id=run.run_id)
        acted = True
    except NotRoleHolder:
        acted = False
    assert acted == allowed  # being an admin changes nothing
    assert p.may_cancel(Actor(user), run) == (user == coordinator)

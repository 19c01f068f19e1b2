"""Who may do what: every permission rule of the bot, in one file, free of any framework.

The engine, the catalogue and the handlers hand in facts and ask here; none of them
decides on its own. The facts are small and frozen: the :class:`Actor` (who pressed or
typed, and whether Telegram says they are an admin of the chat, or SOP_ADMIN_IDS names
them), the run's :class:`RunFacts` and a role's :class:`Seat` (holder, and the Plh./Plt.
in force, if any). A rule either answers yes/no or raises the :class:`~bot.domain.refusal.Refusal`
that explains it.

========================  ===================================================================
action                    who may
========================  ===================================================================
confirm / decide          the role's holder, or the Plh./Plt. in force (the holder on leave
                          too); never for an external party's role
on behalf                 the run's coordinator, always with a reason
claim a role              anyone; with STRICT_ROLE_CLAIMS the claim waits for the coordinator
                          (the coordinator's own claim does not)
release a role            its holder
assign / revoke           the run's coordinator
approve / reject a claim  the run's coordinator
undo                      the confirmation's author, inside the window, while nobody acted after
cancel a run              the run's coordinator or an admin of its group
start a run               a group admin (RUN_STARTERS=admins) or anyone (RUN_STARTERS=anyone)
group settings (/zona)    a coordinator of one of the group's runs, or a group admin
see a group's monev       its supervisor, a coordinator of its runs, or a group admin
add evidence              the coordinator, the holder or Plh./Plt. of the current task, or the
                          author of the run's last completion
see a task (private)      its holder, acting Plh./Plt., author, or the run's coordinator
press a task's button     in a group, a task of that group's runs; in private, as "see a task"
ask for a Plh.            the holder; the coordinator for an absent holder (with a reason)
ask for a Plt.            the coordinator (a vacant role only)
end a Plh./Plt.           the holder, the substitute or the coordinator
manage an SOP             SOP admins everywhere; a group's admins for that group's SOPs
upload an SOP draft       SOP admins; a group's admins, in that group
========================  ===================================================================
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from bot.domain.refusal import Refusal
from bot.domain.run_refusals import NotAdmin, NotCoordinator, NotRoleHolder, ReasonRequired, RoleIsExternal, RoleNotHeld
from bot.domain.text_rules import is_real_text


@dataclass(frozen=True)
class Actor:
    """The person asking, with the facts about them that only the outside knows."""

    user_id: int
    #: Telegram says they are an administrator (or the owner) of the chat concerned.
    chat_admin: bool = False
    #: Named in SOP_ADMIN_IDS: manages the whole bot's SOP catalogue.
    bot_admin: bool = False


def as_actor(who: Actor | int) -> Actor:
    """A bare user id is an actor with no admin rights."""
    return who if isinstance(who, Actor) else Actor(who)


@dataclass(frozen=True)
class RunFacts:
    run_id: int
    coordinator_id: int


@dataclass(frozen=True)
class Seat:
    """A role of a run as the rules see it: its holder and the substitute in force."""

    role_key: str
    external: bool = False
    holder_id: int | None = None
    #: The Plh./Plt. in force for the role now, if any.
    substitute_id: int | None = None

    @property
    def acting_id(self) -> int | None:
        """Who acts for the role now: the substitute in force, else the holder."""
        return self.substitute_id if self.substitute_id is not None else self.holder_id


# -- the coordinator ----------------------------------------------------------------------
def is_coordinator(actor: Actor | int, run: RunFacts) -> bool:
    return as_actor(actor).user_id == run.coordinator_id


def require_coordinator(actor: Actor | int, run: RunFacts) -> None:
    """Assign, revoke, approve or reject a claim: the coordinator only."""
    if not is_coordinator(actor, run):
        raise NotCoordinator(run_id=run.run_id, coordinator_id=run.coordinator_id)


# -- acting on a task ---------------------------------------------------------------------
def may_act(user_id: int, holder_id: int | None, substitute_id: int | None) -> bool:
    """The substitute in force acts; the holder on leave may still act."""
    return user_id == holder_id or (substitute_id is not None and user_id == substitute_id)


def require_actor(actor: Actor | int, seat: Seat, *, task_id: int, run_id: int | None) -> None:
    """Confirm or decide: the role's holder or its Plh./Plt.; an external role never."""
    if seat.external:
        raise RoleIsExternal(role_key=seat.role_key, run_id=run_id)
    if not may_act(as_actor(actor).user_id, seat.holder_id, seat.substitute_id):
        raise NotRoleHolder(task_id=task_id, role_key=seat.role_key, holder_id=seat.acting_id, run_id=run_id)


def require_on_behalf(actor: Actor | int, run: RunFacts, reason: str | None, outcome_key: str | None = None) -> None:
    """The coordinator records an external party's (or an absent holder's) part, with a reason."""
    require_coordinator(actor, run)
    if not is_real_text(reason):
        raise ReasonRequired(action="on_behalf", outcome_key=outcome_key)


def may_add_evidence(
    actor: Actor | int, run: RunFacts, seat: Seat, *, current: bool, author_of_last_completion: bool
) -> bool:
    """The coordinator; on the current task its actor; else who just completed it (the photo
    often arrives a minute after the tap on "done")."""
    user_id = as_actor(actor).user_id
    if user_id == run.coordinator_id or author_of_last_completion:
        return True
    return current and may_act(user_id, seat.holder_id, seat.substitute_id)


def may_see_task(actor: Actor | int, run: RunFacts, concerned: set[int]) -> bool:
    """A task named in a private chat: the people it concerns, or the run's coordinator."""
    user_id = as_actor(actor).user_id
    return user_id in concerned or user_id == run.coordinator_id


@dataclass(frozen=True)
class PressScope:
    """Where a task's button was pressed: the chat, and whether it is a group."""

    chat_id: int
    in_group: bool


def may_press_in(scope: PressScope, actor: Actor | int, run: RunFacts, *, run_chat_id: int,
                 concerned: Collection[int]) -> bool:
    """A button names a task: in a group, a task of that group's runs; in a private chat, a
    task the presser may see (:func:`may_see_task`; `concerned` are the holder, the Plh./Plt.
    and the holder they cover, and the author)."""
    if scope.in_group:
        return run_chat_id == scope.chat_id
    return may_see_task(actor, run, set(concerned))


def require_press_in(scope: PressScope, actor: Actor | int, run: RunFacts, *, run_chat_id: int,
                     concerned: Collection[int]) -> None:
    """Refused exactly like a stale button: a payload copied from elsewhere reveals nothing."""
    if not may_press_in(scope, actor, run, run_chat_id=run_chat_id, concerned=concerned):
        raise Refusal("stale_button")


# -- roles --------------------------------------------------------------------------------
def claim_needs_approval(actor: Actor | int, run: RunFacts, *, strict: bool) -> bool:
    """STRICT_ROLE_CLAIMS: a claim waits for the coordinator, unless it is theirs."""
    return strict and not is_coordinator(actor, run)


def require_release(actor: Actor | int, run: RunFacts, seat: Seat) -> None:
    """Only the holder gives a role back."""
    user_id = as_actor(actor).user_id
    if seat.holder_id is None or seat.holder_id != user_id:
        raise RoleNotHeld(role_key=seat.role_key, user_id=user_id, holder_id=seat.holder_id, run_id=run.run_id)


# -- undo ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Completion:
    """A task's completion as undo sees it."""

    run_cancelled: bool
    done: bool
    completed_by: int | None
    completed_at: datetime | None
    #: Somebody acted on a task that followed it (or it was cancelled).
    followers_acted: bool


def undo_refusal(actor: Actor | int, completion: Completion, window_start: datetime) -> str | None:
    """Why `actor` may not take the confirmation back (an UndoNotAllowed reason), or None."""
    c = completion
    if c.run_cancelled:
        return "run_cancelled"
    if not c.done:
        return "not_done"
    if c.completed_by != as_actor(actor).user_id:
        return "not_author"
    if c.completed_at is None or c.completed_at < window_start:
        return "window_passed"
    if c.followers_acted:
        return "next_acted"
    return None


# -- runs and groups ----------------------------------------------------------------------
def may_cancel(actor: Actor | int, run: RunFacts) -> bool:
    """The coordinator, or an admin of the run's group."""
    who = as_actor(actor)
    return who.user_id == run.coordinator_id or who.chat_admin


def require_cancel(actor: Actor | int, run: RunFacts) -> None:
    if not may_cancel(actor, run):
        raise NotCoordinator(run_id=run.run_id, coordinator_id=run.coordinator_id)


def require_cancel_question(actor: Actor | int, run: RunFacts) -> None:
    """Asking (or dismissing) the 🛑 question: whoever may cancel; others hear "admins only"."""
    if not may_cancel(actor, run):
        raise NotAdmin(run_id=run.run_id)


def may_start_run(actor: Actor | int, run_starters: str) -> bool:
    """RUN_STARTERS: ``anyone`` in the group, or (the default) its admins only."""
    return run_starters == "anyone" or as_actor(actor).chat_admin


def require_start_run(actor: Actor | int, run_starters: str) -> None:
    if not may_start_run(actor, run_starters):
        raise NotAdmin()


def require_group_settings(actor: Actor | int, coordinates_a_run: bool) -> None:
    """/zona: a coordinator of one of the group's active runs, or a group admin."""
    if not (coordinates_a_run or as_actor(actor).chat_admin):
        raise NotAdmin()


def may_view_monev(actor: Actor | int, standing: set[str]) -> bool:
    """A group's monev: its supervisor or a run's coordinator (`standing` not empty), or a group admin."""
    return bool(standing) or as_actor(actor).chat_admin


# -- Plh. / Plt. --------------------------------------------------------------------------
def substitute_request_refusal(
    plt: bool, requester_id: int, holder_id: int | None, coordinator_id: int, reason_given: bool
) -> tuple[str, dict[str, int]] | None:
    """Who may ask for a substitute (the rule's code and facts if not; None if they may).

    A Plh.: the holder; the coordinator for an absent holder, with a reason. A Plt. (a
    vacant role): the coordinator.
    """
    if plt:
        return None if requester_id == coordinator_id else ("not_coordinator", {"coordinator_id": coordinator_id})
    if requester_id == holder_id:
        return None
    if requester_id != coordinator_id:
        return "not_holder", {"holder_id": holder_id} if holder_id is not None else {}
    return None if reason_given else ("reason_required", {})


def may_end_delegation(actor: Actor | int, holder_id: int | None, substitute_id: int, coordinator_id: int) -> bool:
    """The holder, the substitute or the coordinator may end (or withdraw) a delegation."""
    return as_actor(actor).user_id in (holder_id, substitute_id, coordinator_id)


# -- the SOP catalogue --------------------------------------------------------------------
def may_manage_sop(sop_admin: bool, admin_of: int | None, scope_chat_id: int | None) -> bool:
    """SOP admins manage (publish, withdraw) every entry; a group's admins that group's own."""
    return sop_admin or (scope_chat_id is not None and scope_chat_id == admin_of)


def may_upload_sop(sop_admin: bool, admin_of: int | None) -> bool:
    """Sending a draft to review: an SOP admin, or an admin of the group it is sent in."""
    return sop_admin or admin_of is not None

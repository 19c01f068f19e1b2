"""Who hears about a nag, and how one tick's nags become one digest per recipient.

Pure: it takes what the service read from the database and returns message plans, so the
rules can be read (and tested) in one place:

* the *actor* — the role's holder, or the coordinator for an external role (they confirm
  on its behalf) — gets the reminder, with the buttons to act;
* from the due time on, the SOP's *supervisor* (the holder of its supervisor role, the
  Kasubag; the coordinator when nobody holds it) gets an overdue alert, unless they are
  the actor themselves;
* a task nobody holds is announced in the group with a claim button and, once overdue,
  alerts both the coordinator and the supervisor;
* a person the bot cannot write to privately is mentioned in the group instead.

Each person appears once per task (actor before supervisor before coordinator), and each
recipient gets one message per tick listing all their items, not one per task.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

#: Why a person hears about a task, strongest first.
ACTOR, SUPERVISOR, COORDINATOR = "actor", "supervisor", "coordinator"
_STRENGTH = {ACTOR: 0, SUPERVISOR: 1, COORDINATOR: 2}


@dataclass(frozen=True)
class Claimed:
    """One nag round won by this tick, with the people around its task."""

    task_id: int
    run_id: int
    chat_id: int
    round: int
    late_minutes: int
    coordinator_id: int
    #: The holder of the task's role (None: unassigned), or None for an external role.
    holder_id: int | None
    external: bool
    #: The holder of the SOP's supervisor role, if anyone holds it.
    supervisor_id: int | None

    @property
    def overdue(self) -> bool:
        return self.round >= 1

    def item(self, **extra: Any) -> dict[str, Any]:
        """The payload entry the sender renders (ids and numbers only)."""
        return {
            "task_id": self.task_id,
            "run_id": self.run_id,
            "chat_id": self.chat_id,
            "round": self.round,
            "late_minutes": self.late_minutes,
            "holder_id": self.holder_id,
            **extra,
        }


@dataclass
class Plan:
    """The digests of one tick: private ones by user id, group ones by chat id."""

    private: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    group: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))


def audience(claim: Claimed) -> dict[int, str]:
    """Each person to tell about `claim`, with their strongest reason."""
    found: dict[int, str] = {}

    def add(user_id: int | None, reason: str) -> None:
        if user_id is not None and _STRENGTH[reason] < _STRENGTH.get(found.get(user_id, ""), 99):
            found[user_id] = reason

    add(claim.coordinator_id if claim.external else claim.holder_id, ACTOR)
    if claim.overdue:
        add(claim.supervisor_id if claim.supervisor_id is not None else claim.coordinator_id, SUPERVISOR)
        if claim.holder_id is None and not claim.external:
            add(claim.coordinator_id, COORDINATOR)
    return found


def plan(claims: Iterable[Claimed], reachable: Callable[[int], bool]) -> Plan:
    """Group the claims of one tick into one digest per recipient."""
    result = Plan()
    for claim in claims:
        unreachable: list[int] = []
        for user_id, reason in audience(claim).items():
            if reachable(user_id):
                result.private[user_id].append(claim.item(reason=reason))
            else:
                unreachable.append(user_id)
        unassigned = claim.holder_id is None and not claim.external
        if unassigned or unreachable:
            result.group[claim.chat_id].append(claim.item(unassigned=unassigned, mention=sorted(unreachable)))
    return result

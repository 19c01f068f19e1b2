"""Deadlines: reminders before and after a task's due time, and alerts to its supervisor.

The pieces, from pure to wired:

* :mod:`bot.domain.nag_policy` — when the nags of a task fall (working-time arithmetic only;
  the engine uses it to arm a task the moment it becomes active);
* :mod:`bot.deadlines.service` — :class:`NagService`, one tick: claim the nags that are due
  in the database and queue them in the outbox, in one transaction;
* :mod:`bot.deadlines.scheduler` — :class:`NagScheduler`, the single APScheduler job armed
  at the earliest pending nag;
* :mod:`handlers.ui.digests` — the digest messages the outbox sender delivers.

Only the policy is imported here: the engine imports it, and the service imports the
engine, so importing more at package level would make a cycle.
"""

from bot.domain.nag_policy import NagPolicy, NagRound

__all__ = ["NagPolicy", "NagRound"]

"""The facts :mod:`bot.domain.permissions` decides on, read from the engine's rows."""

from __future__ import annotations

from bot.domain.permissions import RunFacts
from storage.models import Run


def run_facts(run: Run) -> RunFacts:
    """Who coordinates the (locked) run."""
    return RunFacts(run_id=run.id or 0, coordinator_id=run.coordinator_id)

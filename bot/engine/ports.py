"""What the engine needs from the outside world, as small protocols.

The working-time calendar and the SOP catalogue are injected rather than imported so the
engine can be tested with a 24/7 calendar and a dict of definitions, and so the bot can
reload SOP files without rebuilding the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from bot.domain.calendar_port import ContinuousCalendar, WorkingCalendar
from bot.domain.sop import SopDefinition

__all__ = ["CalendarFactory", "ContinuousCalendar", "SopCatalog", "SopSource", "WorkingCalendar", "continuous_calendar"]


CalendarFactory = Callable[[str], WorkingCalendar]


def continuous_calendar(_tz: str) -> WorkingCalendar:
    return ContinuousCalendar()


class SopLookup(Protocol):
    def get(self, sop_id: str) -> Any: ...


SopSource = Mapping[str, Any] | SopLookup | Callable[[], Mapping[str, Any]]


def _definition(entry: Any) -> SopDefinition | None:
    """Accept a SopDefinition or anything carrying one (the loader's LoadedSop)."""
    if entry is None or isinstance(entry, SopDefinition):
        return entry
    definition = getattr(entry, "definition", None)
    return definition if isinstance(definition, SopDefinition) else None


class SopCatalog:
    """Adapts a mapping, a loader result, a getter object or a zero-argument callable.

    A callable (or an object whose contents change) is consulted on every call, so a
    reload of the SOP folder is seen by the next ``start_run`` without a restart.
    """

    def __init__(self, source: SopSource) -> None:
        self._source = source

    def _current(self) -> Any:
        source = self._source
        if callable(source) and not hasattr(source, "get"):
            source = source()
        if not hasattr(source, "get") and hasattr(source, "sops"):
            source = source.sops  # a LoadResult
        return source

    def get(self, sop_id: str) -> SopDefinition | None:
        return _definition(self._current().get(sop_id))

    def get_for(self, sop_id: str, chat_id: int | None) -> SopDefinition | None:
        """An SOP that may be started in `chat_id`: a scoped source (the database catalogue)
        knows which group an SOP belongs to; any other source has only whole-bot SOPs."""
        current = self._current()
        if hasattr(current, "get_for"):
            return _definition(current.get_for(sop_id, chat_id))
        return _definition(current.get(sop_id))

    def list(self) -> list[SopDefinition]:
        current = self._current()
        entries: Iterable[Any]
        if isinstance(current, Mapping):
            entries = current.values()
        elif hasattr(current, "list"):
            entries = current.list()
        else:
            entries = ()
        found = [d for d in (_definition(e) for e in entries) if d is not None]
        return sorted(found, key=lambda d: d.id)

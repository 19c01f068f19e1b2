"""Why a request was refused: one exception type carrying its message key and its facts.

Every refusal, from a domain rule, the engine or a handler, is a :class:`Refusal`. It
says *which* message explains it (``key``, a message id of ``handlers/ui/texts``) and
with which words (:meth:`Refusal.wording`). No prose lives here: the Telegram layer words
any refusal in the chat's language, resolving the references below (a person's mention,
a role's name in the SOP version the run is pinned to, a time in the chat's zone), so it
needs no table of codes. The refusals of runs, roles and tasks are its subclasses, in
:mod:`bot.domain.run_refusals`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


# -- references the Telegram layer resolves when it words a refusal -----------------------
@dataclass(frozen=True)
class Person:
    """A person, shown as a mention ("?" when unknown)."""

    user_id: int | None


@dataclass(frozen=True)
class RoleName:
    """A role, shown by its name in the run's pinned SOP version (the key if none)."""

    key: str
    run_id: int | None = None


@dataclass(frozen=True)
class Moment:
    """An instant, shown in the chat's time zone."""

    at: datetime | None


@dataclass(frozen=True)
class Text:
    """Words somebody typed: escaped and shortened to `limit` characters."""

    value: str
    limit: int = 80


@dataclass(frozen=True)
class Phrase:
    """A sentence of its own inside the message (its key and words)."""

    key: str
    words: Mapping[str, Any] = field(default_factory=dict)


class Refusal(Exception):
    """A request understood but not carried out; ``key`` is its message id.

    ``Refusal("stale_button")`` or ``Refusal("role_taken", role=..., holder=...)`` as is:
    plain ``str`` words are taken as ready HTML, the references above are resolved.
    """

    key: str = "error"

    def __init__(self, key: str, **words: Any) -> None:
        super().__init__(key)
        self.key, self._words = key, words

    @property
    def params(self) -> dict[str, Any]:
        return dict(self._words)

    def wording(self) -> tuple[str, dict[str, Any]]:
        """The message id and the words that fill it."""
        return self.key, self.params

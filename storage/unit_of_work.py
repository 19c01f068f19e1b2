"""One unit of work: a write transaction and the repositories over its session.

A use case opens it with ``with uow:``, loads and writes through the repositories, and
the block's end commits once (any exception rolls everything back). A replay after a
refusal reads in a separate read-only transaction (:meth:`UnitOfWork.reading`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType
from typing import Self

from sqlmodel import Session

from storage.db import Database
from storage.repositories.presses import PressRepository

#: The session a replay reads from, under storage's name (use cases import no SQLModel).
ReadSession = Session


class UnitOfWork:
    """Reusable: each ``with`` opens a fresh transaction (a retry or a replay needs one)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._tx: AbstractContextManager[Session] | None = None
        self._session: Session | None = None
        self._presses: PressRepository | None = None

    def __enter__(self) -> Self:
        assert self._tx is None, "a unit of work is not re-entrant"
        self._tx = self.db.transaction()
        self._session = self._tx.__enter__()
        self._presses = None
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        tx, self._tx, self._session, self._presses = self._tx, None, None, None
        assert tx is not None
        tx.__exit__(kind, exc, tb)  # commits (the one commit) or rolls back

    @property
    def session(self) -> Session:
        assert self._session is not None, "use the unit of work inside `with`"
        return self._session

    @property
    def presses(self) -> PressRepository:
        if self._presses is None:
            self._presses = PressRepository(self.session)
        return self._presses

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction of its own (replaying a request seen before)."""
        with self.db.transaction(readonly=True) as s:
            yield s

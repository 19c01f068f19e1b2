"""The database's errors under storage's names.

Code above storage (the CLI's commands, the catalogue's publishing) reacts to an
unreadable database or to a constraint that decided a race; catching these keeps it free
of SQLAlchemy imports.
"""

from sqlalchemy.exc import IntegrityError as ConstraintViolation
from sqlalchemy.exc import SQLAlchemyError as StorageError

__all__ = ["ConstraintViolation", "StorageError"]

"""The database's errors under a storage name.

Commands above storage (the CLI's ``report``, ``monev``) turn an unreadable database into
a plain message; catching this keeps them free of SQLAlchemy imports.
"""

from sqlalchemy.exc import SQLAlchemyError as StorageError

__all__ = ["StorageError"]

"""`sop import`: read SOP AP documents (Word, Excel, text tables) into draft definitions.

The draft is a definition in the format of :mod:`bot.domain.sop` with a "??" mark wherever
the document did not say enough, listed with line numbers at the top of the file.
"""

from bot.sop_import.cli import import_command
from bot.sop_import.common import (
    MARK,
    DraftExistsError,
    EmptyDocumentError,
    ImportError_,
    ImportResult,
    MissingColumnError,
    NoProcedureTableError,
    UnreadableDocumentError,
    Unresolved,
    UnsupportedFormatError,
)
from bot.sop_import.importer import import_document
from bot.sop_import.draft_yaml import render_draft, write_draft

__all__ = [
    "MARK",
    "DraftExistsError",
    "EmptyDocumentError",
    "ImportError_",
    "ImportResult",
    "MissingColumnError",
    "NoProcedureTableError",
    "UnreadableDocumentError",
    "Unresolved",
    "UnsupportedFormatError",
    "import_command",
    "import_document",
    "render_draft",
    "write_draft",
]

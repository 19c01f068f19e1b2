"""A message as evidence of a task: a document, a photo or its text (only Telegram's file id is kept)."""

from __future__ import annotations

from telegram import Message

from bot.engine.views import EvidenceInput
from handlers.common import Refusal


def evidence_of(message: Message, max_mb: float | None = None) -> EvidenceInput | None:
    """A document, photo (largest size) or text of a message, as evidence.

    Only the file_id is kept, never the file; a file larger than `max_mb` is refused by
    the size Telegram reports, without downloading anything.
    """
    where = {"chat_id": message.chat_id, "message_id": message.message_id}
    size = message.document.file_size if message.document else message.photo[-1].file_size if message.photo else None
    if max_mb is not None and size is not None and size > max_mb * 1024 * 1024:
        raise Refusal("evidence_too_big", size=f"{size / 1024 / 1024:.1f}", limit=f"{max_mb:g}")
    if message.document is not None:
        doc = message.document
        return EvidenceInput("document", doc.file_id, doc.file_name, message.caption, **where)
    if message.photo:
        return EvidenceInput("photo", message.photo[-1].file_id, None, message.caption, **where)
    if message.text:
        return EvidenceInput("text", None, None, message.text, **where)
    return None

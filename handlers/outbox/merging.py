"""Several group notices waiting for one group's slot go out as one message.

A group may receive 20 messages a minute; a busy run produces more notices than that
(each confirmation tells the group who finished and who is next). Whatever waited in the
queue for the same group while its slot was taken is therefore joined, in order, into as
few messages as fit Telegram's limits: text below 4096 characters (counted as Telegram
counts, in UTF-16 units; :data:`LIMIT` keeps headroom for the HTML tags) and at most
:data:`MAX_BUTTON_ROWS` rows of buttons, each part's buttons kept under the merged text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

#: Characters (UTF-16 units) of one merged message; Telegram's limit is 4096.
LIMIT = 4000
#: Button rows of one merged message (Telegram accepts 100 buttons in all).
MAX_BUTTON_ROWS = 20
#: Between two notices in one message.
SEPARATOR = "\n\n"

#: (owner, chat id, HTML text, buttons): one message some outbox row would have sent.
Part = tuple[int, int, str, InlineKeyboardMarkup | None]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Merged:
    """One message to send, and the owners (outbox rows) whose parts it carries."""

    chat_id: int
    text: str
    buttons: list[list[InlineKeyboardButton]] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)

    @property
    def markup(self) -> InlineKeyboardMarkup | None:
        return InlineKeyboardMarkup(self.buttons) if self.buttons else None


def merge_parts(parts: Sequence[Part], limit: int = LIMIT, max_rows: int = MAX_BUTTON_ROWS) -> list[Merged]:
    """Join consecutive parts for the same chat while the result fits; order is kept.

    A part too long on its own stays alone (the sender splits it as before); a button
    that an earlier part of the same message already carries is not repeated.
    """
    merged: list[Merged] = []
    for owner, chat_id, text, markup in parts:
        rows = [list(row) for row in markup.inline_keyboard] if markup is not None else []
        last = merged[-1] if merged else None
        fits = (
            last is not None
            and last.chat_id == chat_id
            and utf16_len(last.text) + utf16_len(SEPARATOR) + utf16_len(text) <= limit
            and len(last.buttons) + len(rows) <= max_rows
        )
        if last is None or not fits:
            merged.append(Merged(chat_id, text, rows, [owner]))
            continue
        last.text += SEPARATOR + text
        seen = {b.callback_data or b.url for row in last.buttons for b in row}
        last.buttons += [row for row in rows if not all((b.callback_data or b.url) in seen for b in row)]
        if owner not in last.owners:
            last.owners.append(owner)
    return merged

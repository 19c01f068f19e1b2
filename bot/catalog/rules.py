"""Who may manage which catalogue entry, and what publishing a draft makes.

Pure decisions, shared by the service (which enforces them inside its transaction) and
the handlers (which word the refusals).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import permissions


@dataclass(frozen=True)
class Manager:
    """Someone acting on the catalogue: are they an SOP admin, and which group are they admin of here."""

    user_id: int
    sop_admin: bool
    #: The group the request comes from when the person is one of its admins.
    admin_of: int | None = None

    def may_manage(self, scope_chat_id: int | None) -> bool:
        """SOP admins manage every entry; a group's admins manage that group's entries."""
        return permissions.may_manage_sop(self.sop_admin, self.admin_of, scope_chat_id)

    @property
    def may_upload(self) -> bool:
        return permissions.may_upload_sop(self.sop_admin, self.admin_of)


def visible_in(scope_chat_id: int | None, chat_id: int | None) -> bool:
    """A whole-bot SOP is seen everywhere; a group's SOP only in that group."""
    return scope_chat_id is None or scope_chat_id == chat_id


def next_version(base_version: int) -> int:
    """A publication is always a new version: the one after what the draft was based on."""
    return base_version + 1


def scope_conflict(entry_scope: int | None, draft_scope: int | None) -> bool:
    """An id owned by another scope cannot be published over (a group cannot replace a bot-wide SOP)."""
    return entry_scope != draft_scope

"""The privacy-mode notice: the @BotFather steps, naming the group's admins."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.views import UserRef
from handlers.ui.formatting import mention
from handlers.ui.texts import t


def privacy_notice(admins: Sequence[UserRef], bot_username: str, lang: str) -> str:
    """The privacy-mode steps, naming the group's (human) admins ("the admins" if none)."""
    people = ", ".join(mention(a) for a in admins) or t(lang, "privacy_admins")
    return t(lang, "privacy_notice", admins=people, bot=bot_username)

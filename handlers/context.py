"""Typed PTB context: what every callback can reach through ``context.bot_data``.

PTB builds ``bot_data`` with no arguments, so the fields are filled in by
:func:`handlers.application.build_application` right after the Application exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.deadlines.scheduler import NagScheduler
    from bot.engine import SopEngine
    from bot.engine.ports import SopCatalog
    from handlers.outbox.sender import Notifier


@dataclass(frozen=True)
class Prompt:
    """A ForceReply question waiting for its answer: whose reply counts, and what it is for."""

    kind: str  # "return" (decision reason), "on_behalf" (confirmation reason), "plh" (who substitutes), "monev_note"
    #: The task asked about (for "monev_note": the questionnaire's id).
    task_id: int
    user_id: int
    #: The decision outcome: the one being returned with, or one chosen on the actor's behalf.
    outcome: str | None = None
    #: (chat id, message id) of the card whose button asked; its buttons go once answered.
    card: tuple[int, int] | None = None
    #: For a "plh" prompt (🧳 under /peran; `task_id` is 0): the run and role to delegate.
    run_id: int | None = None
    role_key: str | None = None


@dataclass
class BotData:
    """Shared services of one running bot."""

    engine: SopEngine = field(init=False)
    sops: SopCatalog = field(init=False)
    settings: Settings = field(init=False)
    notifier: Notifier = field(init=False)
    #: The deadline scheduler (reminders and overdue alerts), started in post_init.
    nags: NagScheduler = field(init=False)
    bot_username: str = ""
    #: Run the migrations in post_init (off when a test hands in a ready engine).
    upgrade_schema: bool = False
    #: (chat id, prompt message id) -> the question asked there; answers are replies to it.
    prompts: dict[tuple[int, int], Prompt] = field(default_factory=dict)
    #: The SOP catalogue's drafts and publications (:mod:`handlers.catalog_services`), built on first use.
    catalog: Any = None
    #: Exceptions the error handler did not expect (bugs), by type name; tests assert none.
    unexpected_errors: list[str] = field(default_factory=list)


class Context(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context type of every Pandu callback."""


CONTEXT_TYPES = ContextTypes(context=Context, bot_data=BotData)


#: Questions awaiting a reply that are remembered (the oldest unanswered are forgotten).
MAX_OPEN_PROMPTS = 1000


def remember(context: Context, where: tuple[int, int], prompt: Prompt) -> None:
    """Keep a ForceReply question so its reply is understood (in memory: a restart forgets it)."""
    prompts = context.bot_data.prompts
    prompts[where] = prompt
    while len(prompts) > MAX_OPEN_PROMPTS:
        del prompts[next(iter(prompts))]

"""Every sentence Pandu says, in Bahasa Indonesia (default) and English, keyed by message id.

Handlers and renderers never hold user-facing text; they call :func:`t` with a chat's
language. Values are ``str.format`` templates in Telegram HTML: parameters that come from
people (names, titles, reasons) are escaped by the caller before formatting. A test checks
that both languages have the same keys and the same placeholders.

The catalog is written in parts, one module per feature area, each holding both languages
side by side (``"id": ("Indonesian", "English")``); this package assembles them into
:data:`ID`, :data:`EN` and :data:`CATALOG`. Importing fails if two parts define the same
message id, so a new part can never silently override another's sentence.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from handlers.ui.texts import catalog, core, deadlines, delegations, history, menu, monev, notices, questions, reports, roles, runs, sops, tasks

logger = logging.getLogger(__name__)

LANGUAGES = ("id", "en")  # the order of each part's pairs
DEFAULT_LANGUAGE = "id"

#: The parts, in the order a reader meets them.
PARTS: tuple[ModuleType, ...] = (core, sops, catalog, runs, roles, delegations, tasks, notices, deadlines, history, questions, reports, monev, menu)


class DuplicateMessageId(RuntimeError):
    """Two catalog parts define the same message id."""


def assemble(parts: Iterable[ModuleType]) -> dict[str, dict[str, str]]:
    """One dict per language from the parts' ``MESSAGES``; raises on a message id defined twice."""
    catalog: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    owner: dict[str, str] = {}
    for part in parts:
        for key, texts in part.MESSAGES.items():
            if key in owner:
                raise DuplicateMessageId(f"message id {key!r} is defined in {owner[key]} and in {part.__name__}")
            if len(texts) != len(LANGUAGES):
                raise ValueError(f"message id {key!r} in {part.__name__} needs one text per language {LANGUAGES}")
            owner[key] = part.__name__
            for lang, text in zip(LANGUAGES, texts):
                catalog[lang][key] = text
    return catalog


CATALOG: dict[str, dict[str, str]] = assemble(PARTS)
ID: dict[str, str] = CATALOG["id"]
EN: dict[str, str] = CATALOG["en"]


def language(code: str | None) -> str:
    """A catalog language for any code (Telegram's "en-GB", a stored "id", None)."""
    base = (code or "").split("-")[0].lower()
    return base if base in CATALOG else DEFAULT_LANGUAGE


def t(lang: str | None, message_id: str, /, **params: Any) -> str:
    """The message `message_id` in `lang`, formatted; Indonesian when a language lacks it."""
    template = CATALOG[language(lang)].get(message_id) or ID[message_id]
    return template.format(**params) if params else template


def placeholders(template: str) -> set[str]:
    """Names a template expects; the catalog test compares them across languages."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}

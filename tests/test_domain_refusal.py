"""Every refusal names a message that exists, in both languages, with exactly the words it fills."""

from __future__ import annotations

import typing
from dataclasses import fields
from datetime import UTC, datetime

import pytest

from bot.domain import run_refusals as refusal
from bot.domain.refusal import Phrase, Refusal
from bot.domain.run_refusals import EngineError
from handlers.ui.texts import CATALOG, ID, placeholders

SAMPLES: dict[object, object] = {int: 1, str: "kepala_badan", bool: False, float: 1.0, datetime: datetime(2026, 1, 5, tzinfo=UTC)}


def _sample(cls: type[EngineError]) -> EngineError:
    hints = typing.get_type_hints(cls)
    args = {}
    for f in fields(cls):
        kind = hints[f.name]
        base = next((t for t in typing.get_args(kind) if t is not type(None)), kind)
        args[f.name] = SAMPLES.get(typing.get_origin(base) or base, ())
    if cls is refusal.TextRequired:
        args["field"] = "note"
    if cls is refusal.DelegationRefused:
        args.update(rule="too_long", details={"days": 40, "max_days": 30})
    return cls(**args)


ENGINE_REFUSALS = sorted(
    (c for c in vars(refusal).values() if isinstance(c, type) and issubclass(c, EngineError) and hasattr(c, "__dataclass_fields__")
     and c not in (EngineError, refusal.Stale)),
    key=lambda c: c.__name__,
)


def _check(key: str, words: dict[str, object]) -> None:
    assert key in ID
    for lang in CATALOG:
        template = CATALOG[lang].get(key) or ID[key]
        assert placeholders(template) <= set(words), (lang, key)
    for value in words.values():
        if isinstance(value, Phrase):
            _check(value.key, dict(value.words))


@pytest.mark.parametrize("cls", ENGINE_REFUSALS, ids=lambda c: c.__name__)
def test_every_engine_refusal_is_worded(cls: type[EngineError]) -> None:
    found = _sample(cls)
    assert isinstance(found, Refusal) and found.code != "engine_error"
    key, words = found.wording()
    if cls is refusal.RequestConflict:  # a programming error: worded as one
        assert key == "error"
        return
    _check(key, words)


def test_a_handlers_refusal_carries_its_key_and_words() -> None:
    found = Refusal("role_already_yours", role="<b>Sekretaris</b>")
    assert found.wording() == ("role_already_yours", {"role": "<b>Sekretaris</b>"})
    assert found.params == {"role": "<b>Sekretaris</b>"}


def _raised(pattern: str) -> set[str]:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "bot" / "catalog"
    return {m for path in root.rglob("*.py") for m in re.findall(pattern, path.read_text(encoding="utf-8"))}


def test_every_catalogue_refusal_is_worded() -> None:
    from bot.catalog.fixes import FixError
    from bot.catalog.views import CatalogError

    catalog, fixes = _raised(r'CatalogError\("([a-z_]+)"[,)]'), _raised(r'FixError\("([a-z_]+)"[,)]')
    assert "not_allowed" in catalog and fixes  # the scan finds what the catalogue raises
    for cls, codes in ((CatalogError, catalog), (FixError, fixes)):
        for code in codes:
            key, _ = cls(code).wording()
            assert key in ID, key
    key, words = CatalogError("version_taken", sop_id="renja", version=3, by=7, scope=None).wording()
    assert key == "catalog_version_taken" and words["next"] == 4 and words["user"].user_id == 7
    assert words["where"] == Phrase("catalog_scope_bot") and words["sop_id"].value == "renja"

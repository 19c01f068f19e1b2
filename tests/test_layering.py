"""The layers hold: import-linter checks the contracts in pyproject.toml, and no module grows
past the size a reader takes in at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "storage", "devtools")
MAX_LINES = 300


def test_the_layering_contracts_in_pyproject_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


@pytest.mark.parametrize(("imported", "exit_code"), [("sqlalchemy", 1), ("json", 0)])
def test_the_linter_sees_a_forbidden_import(
    imported: str, exit_code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same kind of contract fails on a package that breaks it, and only then (the check is live)."""
    package = tmp_path / "layered"
    (package / "domain").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "domain" / "__init__.py").write_text("")
    (package / "domain" / "rules.py").write_text(f"import {imported}\n")
    config = tmp_path / "contracts.toml"
    config.write_text(textwrap.dedent("""
        [tool.importlinter]
        root_packages = ["layered"]
        include_external_packages = true

        [[tool.importlinter.contracts]]
        name = "domain is pure"
        type = "forbidden"
        source_modules = ["layered.domain"]
        forbidden_modules = ["sqlalchemy"]
    """))
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert lint_imports(config_filename=str(config), no_cache=True, no_logo=True) == exit_code


def test_no_module_is_longer_than_300_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}

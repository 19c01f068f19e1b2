"""The layers hold: import-linter checks the contracts in pyproject.toml, and no module grows
past the size a reader takes in at once."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "storage", "devtools")
MAX_LINES = 300


def lint_imports(config_filename: str, cwd: Path) -> int:
    """import-linter's exit code, run in a process of its own: in this one, its logging
    set-up would silence loggers that later tests read (the token-redaction test)."""
    code = f"import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(config_filename={config_filename!r}, no_cache=True, no_logo=True))"
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, timeout=300).returncode


def test_the_layering_contracts_in_pyproject_are_kept() -> None:
    assert lint_imports(str(ROOT / "pyproject.toml"), ROOT) == 0


@pytest.mark.parametrize(("imported", "exit_code"), [("sqlalchemy", 1), ("json", 0)])
def test_the_linter_sees_a_forbidden_import(imported: str, exit_code: int, tmp_path: Path) -> None:
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
    assert lint_imports(str(config), tmp_path) == exit_code


def test_no_module_is_longer_than_300_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}

"""The engine is Telegram-free: the bot layer depends on it, never the other way round."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("telegram", "handlers")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_engine_and_storage_source_import_neither_telegram_nor_handlers() -> None:
    for package in ("bot/engine", "storage"):
        for path in sorted((ROOT / package).rglob("*.py")):
            bad = {n for n in _imports(path) if n.split(".")[0] in FORBIDDEN}
            assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_importing_the_engine_loads_no_telegram_module() -> None:
    probe = (
        "import sys, bot.engine, storage.migrate; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('telegram', 'handlers')); "
        "print(','.join(bad))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_engine_modules_stay_small() -> None:
    for path in sorted((ROOT / "bot/engine").glob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines < 350, f"{path.name} has {lines} lines"

"""The benchmarks keep working: each script's main() at its tiny --quick size, on SQLite.

Nothing here is timed or compared with a target (the scripts print PASS/MISS lines for
that, and exit non-zero only when they crash); this only proves every script still runs
end to end against the current bot, emulator and schema.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:  # benchmarks/ is a folder of the repository, not an installed package
    sys.path.insert(0, ROOT)

SCRIPTS = ["confirm_throughput", "startup_scale", "sql_per_confirm", "nag_burst", "nag_punctuality", "catalog_freshness"]


@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_runs_at_tiny_size(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    module = importlib.import_module(f"benchmarks.{name}")
    assert module.main(["--quick", "--db", "sqlite"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# "), out[:200]
    assert any(line.startswith(("PASS ", "MISS ", "SKIP ")) for line in out.splitlines()), out[-2000:]

"""Read and update a ``.env`` file without losing what else it holds; written mode 0600.

The file holds the bot token, so it is created readable by its owner only (and tightened
if it already existed), replaced atomically so a crash never leaves half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def read_env(path: Path) -> dict[str, str]:
    """KEY=value pairs of `path` (comments, blanks and malformed lines skipped)."""
    if not path.exists():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() and not key.lstrip().startswith("#"):
            values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def update_env(path: Path, values: Mapping[str, str]) -> None:
    """Set `values` in `path`: existing keys keep their place, new ones are appended."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    pending = dict(values)
    out: list[str] = []
    for line in lines:
        key = line.partition("=")[0].strip()
        if "=" in line and not key.startswith("#") and key in pending:
            out.append(f"{key}={pending.pop(key)}")
        else:
            out.append(line)
    if pending and out and out[-1].strip():
        out.append("")
    out.extend(f"{key}={value}" for key, value in pending.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".env.", dir=path.parent)  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(out) + "\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

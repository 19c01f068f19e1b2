"""Render a draft as YAML with a comment block on top listing what is left to fix, by line.

The YAML itself stays comment-free apart from that block, so `sop check` and a person
see the same thing: every "??" value is both listed at the top (with its line) and fails
validation at that line until it is replaced.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.sop_import.common import MARK, DraftExistsError, ImportResult, Unresolved, YamlPath


class _DraftDumper(yaml.SafeDumper):
    """Block style, indented lists, YAML 1.2 booleans (so `no:` stays a plain key)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_DraftDumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
_DraftDumper.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if value.startswith(MARK) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


_DraftDumper.add_representer(str, _represent_str)
_DraftDumper.add_multi_representer(str, _represent_str)


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_DraftDumper, sort_keys=False, allow_unicode=True, width=100)


def _line_of(root: yaml.Node | None, path: YamlPath | None) -> int | None:
    """1-based line of the deepest existing node along `path`."""
    if root is None or path is None:
        return None
    node, line = root, root.start_mark.line + 1
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _header(result: ImportResult, items: list[Unresolved]) -> list[str]:
    blocking = [u for u in items if u.blocking]
    notes = [u for u in items if not u.blocking]
    lines = [
        f"# DRAF SOP dari {result.source.name}, dibuat oleh `sop import`.",
        "# Periksa setiap isian terhadap dokumen asli sebelum dipakai.",
    ]
    if blocking:
        lines.append(f'# BELUM SELESAI ({len(blocking)}): ganti setiap nilai "{MARK} ..." lalu jalankan `sop check`:')
        lines.extend(f"#   - {u}" for u in blocking)
    else:
        lines.append("# Tidak ada isian yang tertinggal; jalankan `sop check`.")
    if notes:
        lines.append(f"# CATATAN ({len(notes)}), tidak menghalangi `sop check`:")
        lines.extend(f"#   - {u}" for u in notes)
    lines.append("# Hapus blok komentar ini setelah semuanya selesai.")
    return lines


def render_draft(result: ImportResult) -> tuple[str, list[Unresolved]]:
    """The file text and the unresolved items with their line numbers in that text."""
    body = dump_yaml(result.draft)
    root = yaml.compose(body, Loader=yaml.SafeLoader)
    offset = len(_header(result, result.unresolved)) + 1  # the header and one blank line
    items = []
    for item in result.unresolved:
        line = _line_of(root, item.path)
        items.append(Unresolved(item.message, item.path, item.step, item.blocking,
                                None if line is None else line + offset))
    items.sort(key=lambda u: (u.line is None, u.line or 0))
    header = _header(result, items)
    assert len(header) + 1 == offset
    return "\n".join(header) + "\n\n" + body, items


def draft_path(result: ImportResult, out: Path) -> Path:
    """Where the draft goes: `out`, or `out/<id>.yaml` when `out` is an existing folder."""
    return out / f"{result.sop_id}.yaml" if out.is_dir() else out


def write_draft(result: ImportResult, out: Path, force: bool) -> None:
    """Write the draft to `out` (a folder gets `<id>.yaml`); an existing file is replaced only with `force`."""
    out = draft_path(result, out)
    if out.exists() and not force:
        raise DraftExistsError(out, "berkas sudah ada; gunakan --force untuk menimpanya")
    text, _items = render_draft(result)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)

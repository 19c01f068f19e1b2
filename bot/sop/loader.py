"""Load SOP definitions from YAML, reporting every problem with file, line, step and field.

A bad file never takes the bot down: `load_directory` skips it with a loud error and keeps
the others available. Line numbers come from the YAML node tree, so even rules checked
after parsing (an unknown role, a dangling jump) point at the line to fix.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.domain.durations import DurationError, format_minutes
from bot.sop.messages import field_words, pydantic_message, sop_text
from bot.domain.sop import SopDefinition
from bot.sop.validate import check_definition

logger = logging.getLogger(__name__)

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class SopError:
    """One problem in one file; `str()` is the line shown to a person.

    `field` is the YAML path inside the step (``actors[0].role``), `words` the same in the
    message's language ("pelaksana ke-1 › peran"); both are shown, the words first.
    """

    file: Path
    message: str
    line: int | None = None
    step: int | None = None
    field: str | None = None
    words: str | None = None
    lang: str = "id"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        parts = [where]
        if self.step is not None:
            parts.append(sop_text(self.lang, "step_no", no=self.step))
        if self.field:
            parts.append(f"{self.words} ({self.field})" if self.words and self.words != self.field else self.field)
        return f"{': '.join(parts)}: {self.message}"


class SopFileError(Exception):
    """A file that cannot be used; carries every problem found in it."""

    def __init__(self, errors: list[SopError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class LoadedSop:
    definition: SopDefinition
    path: Path
    warnings: tuple[str, ...] = ()


@dataclass
class LoadResult:
    sops: dict[str, LoadedSop] = field(default_factory=dict)
    errors: list[SopError] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [f"{s.path}: {w}" for s in self.sops.values() for w in s.warnings]


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"kunci ganda {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# YAML 1.2 booleans: only true/false. YAML 1.1 would read the step key `no:` as False.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_UniqueKeyLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _line_of(root: yaml.Node | None, path: Path_) -> int | None:
    """1-based line of the deepest node along `path` that exists in the YAML tree."""
    node = root
    line = None if node is None else node.start_mark.line + 1
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def _field_name(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _inside_step(data: Any, path: Path_) -> tuple[int | None, Path_]:
    """The step number a path points into (if it has one) and the path inside that step."""
    if len(path) >= 2 and path[0] == "steps" and isinstance(path[1], int):
        steps = data.get("steps") if isinstance(data, dict) else None
        if isinstance(steps, list) and path[1] < len(steps) and isinstance(steps[path[1]], dict):
            no = steps[path[1]].get("no")
            if isinstance(no, int):
                return no, path[2:]
    return None, path


def _locate(file: Path, data: Any, root: yaml.Node | None, path: Path_, message: str, lang: str = "id") -> SopError:
    step, field_path = _inside_step(data, path)
    words = field_words(field_path, lang) or None
    return SopError(file, message, _line_of(root, path), step, _field_name(field_path) or None, words, lang)


def _clean_loc(loc: tuple[Any, ...]) -> Path_:
    """Drop pydantic's union-branch tags ('str', 'list[str]') that are not YAML keys."""
    return tuple(p for p in loc if isinstance(p, int) or ("[" not in str(p) and p not in {"str", "int"}))


def parse_text(text: str, file: Path, lang: str = "id") -> SopDefinition:
    """Parse and validate one definition; raises SopFileError listing every problem (in `lang`)."""
    try:
        root = yaml.compose(text, Loader=_UniqueKeyLoader)
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise SopFileError([SopError(file, f"YAML rusak: {exc.problem or exc}", line)]) from exc
    except yaml.YAMLError as exc:
        raise SopFileError([SopError(file, f"YAML rusak: {exc}")]) from exc
    if not isinstance(data, dict):
        raise SopFileError([SopError(file, "isi berkas harus berupa mapping (kunci: nilai)", 1)])
    sop, problems = validate_data(data, lang)
    if sop is None:
        raise SopFileError([_locate(file, data, root, path, message, lang) for path, message in problems])
    return sop


def validate_data(data: dict[str, Any], lang: str = "id") -> tuple[SopDefinition | None, list[tuple[Path_, str]]]:
    """The rules of `sop check` on parsed data: the definition, or every problem with its path (in `lang`).

    Also what a draft under review in chat is checked with, so both see the same rules.
    """
    try:
        sop = SopDefinition.model_validate(data)
    except ValidationError as exc:
        problems: list[tuple[Path_, str]] = []
        seen: set[Path_] = set()
        for err in exc.errors():
            loc = _clean_loc(err["loc"])
            if loc in seen:  # a union (waktu: text, list or number) fails once per branch
                continue
            seen.add(loc)
            problems.append((loc, pydantic_message(err, _inside_step(data, loc)[1], lang)))
        return None, problems
    checked = check_definition(sop)
    if checked:
        return None, [(p.path, p.text(lang)) for p in checked]
    return sop, []


def definition_warnings(sop: SopDefinition) -> list[str]:
    """Things worth a look that do not stop the SOP from running."""
    warnings = []
    try:
        stated = sop.stated_total_minutes
    except DurationError as exc:
        return [f"jumlah_waktu tidak dapat dibaca: {exc}"]
    if stated is not None and stated != sop.total_minutes:
        warnings.append(
            f"jumlah waktu dokumen ({format_minutes(stated)} = {stated} menit) berbeda dari "
            f"jumlah langkah ({format_minutes(sop.total_minutes)} = {sop.total_minutes} menit)"
        )
    return warnings


def load_file(path: Path, lang: str = "id") -> LoadedSop:
    """Load one YAML file; raises SopFileError (its messages in `lang`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SopFileError([SopError(path, f"berkas tidak dapat dibaca: {exc}")]) from exc
    sop = parse_text(text, path, lang)
    return LoadedSop(sop, path, tuple(definition_warnings(sop)))


def sop_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def load_directory(directory: Path, lang: str = "id") -> LoadResult:
    """Load every definition under `directory`; bad files are reported (in `lang`) and skipped."""
    result = LoadResult()
    if not directory.is_dir():
        result.errors.append(SopError(directory, "folder SOP tidak ditemukan"))
        return result
    for path in sop_files(directory):
        try:
            loaded = load_file(path, lang)
        except SopFileError as exc:
            result.errors.extend(exc.errors)
            for error in exc.errors:
                logger.error("SOP dilewati: %s", error)
            continue
        sop_id = loaded.definition.id
        if sop_id in result.sops:
            error = SopError(path, f"id {sop_id!r} sudah dipakai oleh {result.sops[sop_id].path}", _line_of(yaml.compose(path.read_text(encoding='utf-8')), ("id",)), field="id")
            result.errors.append(error)
            logger.error("SOP dilewati: %s", error)
            continue
        for warning in loaded.warnings:
            logger.warning("%s: %s", path, warning)
        result.sops[sop_id] = loaded
    return result

"""Property-based tests for the three parsers that read text nobody vetted.

A definition file edited by hand, a Waktu cell typed by an office clerk and a button's
callback data forged with a modified client must each end in a value or in that
parser's own error, never in some other exception that would take the bot down.
"""

from __future__ import annotations

import copy
import math
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.domain.durations import DurationError, parse_duration
from bot.sop.loader import SopFileError, load_file
from handlers.ui import callback_data as cb
SEED = Path(__file__).resolve().parent.parent / "sop_data" / "renja-bappeda-kalbar.yaml"
VALID: dict[str, Any] = yaml.safe_load(SEED.read_text(encoding="utf-8"))

# -- SOP loader: random mutations of a valid definition -------------------------------------
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(min_size=5000, max_size=6000, alphabet="x<>&\"'"),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.sampled_from(["2 hari", "0 menit", "-3 menit", "10", "??", "no", "yes", "true", "1e999"]),
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into a YAML tree (mapping keys and list indexes)."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(paths(value, (*prefix, index)))
    return found


ALL_PATHS = paths(VALID)


def apply(tree: dict[str, Any], path: tuple[Any, ...], op: str, value: Any) -> None:
    """Mutate `tree` at `path`: replace, delete, duplicate a list item, or add a stray key."""
    parent: Any = tree
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if op == "replace":
        parent[last] = value
    elif op == "delete":
        del parent[last]
    elif op == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif op == "stray" and isinstance(parent, dict):
        parent[f"stray_{len(parent)}"] = value


MUTATION = st.tuples(st.sampled_from(ALL_PATHS), st.sampled_from(["replace", "delete", "duplicate", "stray"]), JUNK)


def check_loads_or_names_the_file(path: Path) -> None:
    try:
        loaded = load_file(path)
    except SopFileError as exc:
        assert exc.errors, "a SopFileError must carry its errors"
        assert all(error.file == path for error in exc.errors)
        assert all(str(path) in str(error) for error in exc.errors)
        return
    assert loaded.definition.steps  # whatever loads is a usable definition


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_definitions_load_or_raise_sop_file_error(tmp_path: Path, mutations: list[Any]) -> None:
    tree = copy.deepcopy(VALID)
    for path, op, value in mutations:
        try:
            apply(tree, path, op, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the place this one aimed at
    target = tmp_path / "mutated.yaml"
    try:
        target.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")
    except (ValueError, OverflowError):
        assume(False)
    check_loads_or_names_the_file(target)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_damaged_yaml_text_loads_or_raises_sop_file_error(tmp_path: Path, data: st.DataObject) -> None:
    text = SEED.read_text(encoding="utf-8")
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 200)))
    insert = data.draw(st.text(alphabet=":-[]{}&*!|>'\"#%@`\t\n ?,x0\u0000\ufeff", max_size=20))
    target = tmp_path / "damaged.yaml"
    target.write_bytes((text[:start] + insert + text[end:]).encode("utf-8", "surrogatepass"))
    check_loads_or_names_the_file(target)


def test_a_file_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "latin1.yaml"
    target.write_bytes("nama: Penyusunan Renja \xe9\xff".encode("latin-1"))
    check_loads_or_names_the_file(target)


# -- durations -------------------------------------------------------------------------------
CELLS = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\s*[0-9]{1,12}([.,][0-9]{1,6})?\s*(hari|hr|jam|menit|mnt|Menit|day|x)?\s*", fullmatch=True),
    st.lists(st.text(max_size=10), max_size=4),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.booleans(),
)


@settings(max_examples=500)
@given(CELLS)
def test_any_cell_is_minutes_or_a_duration_error(value: Any) -> None:
    try:
        minutes = parse_duration(value)
    except DurationError:
        return
    assert isinstance(minutes, int) and not isinstance(minutes, bool) and minutes > 0


@pytest.mark.parametrize("value", [math.nan, math.inf, -0.0, 1.5, None, object(), b"10 menit", [["10"], ["menit"]]])
def test_values_of_the_wrong_type_are_duration_errors(value: Any) -> None:
    with pytest.raises(DurationError):
        parse_duration(value)


@pytest.mark.parametrize("text", ["99999999999999999999 hari", "0,0000001 hari", "1 hari 0,5 menit", "١٠ menit", "²0 menit"])
def test_extreme_or_foreign_numbers_are_refused_or_exact(text: str) -> None:
    try:
        minutes = parse_duration(text)
    except DurationError:
        return
    assert isinstance(minutes, int) and minutes > 0


# -- callback data ---------------------------------------------------------------------------
BIG = st.integers(min_value=0, max_value=cb.MAX_ID - 1)
LONGEST_KEY = "k" + "_" * 31


@given(st.sampled_from(sorted(cb.KINDS.values(), key=lambda c: c.kind)), st.data())
def test_every_payload_kind_fits_in_64_bytes_at_its_largest(kind: type[cb.Callback], data: st.DataObject) -> None:
    values: list[object] = []
    for spec in fields(kind):
        if spec.type in (int, "int"):
            values.append(data.draw(st.sampled_from([cb.MAX_ID - 1, 0]) | BIG))
        elif spec.type == "Small":
            values.append(data.draw(st.sampled_from([9_999, 0])))
        elif spec.type == "Action":
            values.append(data.draw(st.sampled_from(sorted(cb._ACTIONS))))
        elif spec.type == "PeriodKey":  # the longest: a date range
            values.append(data.draw(st.sampled_from(["9999-12-31_9999-12-31", "2026-2"])))
        elif spec.type == "SopAction":
            values.append(data.draw(st.sampled_from(sorted(cb.SOP_ACTIONS))))
        elif spec.type == "SopId":
            values.append(data.draw(st.sampled_from(["a" + "-" * 47, "ab"])))
        else:
            values.append(data.draw(st.sampled_from([LONGEST_KEY, "a"])))
    payload = kind(*values)
    encoded = payload.encode()
    assert len(encoded.encode()) <= cb.MAX_BYTES
    assert cb.decode(encoded) == payload


@settings(max_examples=500)
@given(st.one_of(st.text(), st.binary().map(lambda b: b.decode("utf-8", "surrogateescape")), st.none(), st.integers()))
def test_garbage_callback_data_raises_only_callback_error(data: Any) -> None:
    try:
        decoded = cb.decode(data)
    except cb.CallbackError:
        return
    assert decoded.encode() == data

"""The Waktu cells of the seed documents, read as working minutes (1 hari = 8 jam)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.durations import DurationError, format_minutes, parse_duration


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2 hari", 960),
        ("0,5 hari", 240),
        ("10 Menit", 10),
        ("120 menit", 120),
        ("7 hr 5 Menit", 3365),
        (["10", "Menit"], 10),
        (["7 hr", "5 Menit"], 3365),
        ("10 | Menit", 10),
        ("1 jam 30 menit", 90),
        ("  300   menit ", 300),
        (45, 45),
    ],
)
def test_seed_forms_are_read_as_working_minutes(text: object, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "hari", "dua hari", "10", "10 windu", "0 menit", "0,3 menit", "5 menit lagi", True, -3])
def test_unreadable_times_are_refused_with_the_text_quoted(text: object) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)  # type: ignore[arg-type]


def test_seed_001_stated_total_equals_sum_of_its_steps() -> None:
    days = 2 + 3 + 1
    minutes = 10 + 15 + 10 + 15 + 10 + 10 + 120 + 60 + 15 + 30 + 10 + 30 + 120 + 30
    assert parse_duration(["7 hr", "5 Menit"]) == days * 480 + minutes == 3365


@given(st.integers(min_value=1, max_value=10_000_000))
def test_formatted_minutes_parse_back_to_the_same_value(minutes: int) -> None:
    assert parse_duration(format_minutes(minutes)) == minutes


@given(st.text(max_size=40))
def test_arbitrary_text_either_parses_to_a_positive_int_or_raises_duration_error(text: str) -> None:
    try:
        value = parse_duration(text)
    except DurationError:
        return
    assert isinstance(value, int) and value > 0

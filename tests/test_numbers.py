import math

import pytest

from iku_engine.numbers import NotANumber, parse_number, round_half_up


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, 12.0),
        (82.5, 82.5),
        ("82,5", 82.5),
        (" 82,5 ", 82.5),
        ("1.234", 1234.0),
        ("1.234,5", 1234.5),
        ("12.345.678", 12345678.0),
        ("1,234.5", 1234.5),
        ("82.5", 82.5),
        ("25%", 25.0),
        ("25 %", 25.0),
        ("1\u00a0234", 1234.0),
        ("-2,5", -2.5),
        ("", None),
        ("   ", None),
        (None, None),
        (math.nan, None),
    ],
)
def test_parse_number_reads_indonesian_writing(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["dua", "12a", "1,2,3", True, math.inf, "=A1"])
def test_parse_number_rejects_text_that_is_not_a_number(raw):
    with pytest.raises(NotANumber):
        parse_number(raw)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(76.605, 2, 76.61), (76.6049, 2, 76.6), (80.475, 2, 80.48), (2.5, 0, 3.0), (-1.005, 2, -1.01)],
)
def test_round_half_up(value, decimals, expected):
    assert round_half_up(value, decimals) == expected

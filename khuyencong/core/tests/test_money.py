"""Money is integer đồng; formatting and parsing the Vietnamese way."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.core.money import format_vnd, format_vnd_short, parse_vnd


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (1234567, "1.234.567 ₫"),
        (0, "0 ₫"),
        (999, "999 ₫"),
        (1000, "1.000 ₫"),
        (-5000, "-5.000 ₫"),
        (-1234567, "-1.234.567 ₫"),
        (12_500_000_000, "12.500.000.000 ₫"),
        (None, "—"),
    ],
)
def test_format_vnd(amount, expected):
    assert format_vnd(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (12_500_000_000, "12,5 tỷ"),
        (1_000_000_000, "1 tỷ"),
        (1_230_000, "1,23 triệu"),
        (1_000_000, "1 triệu"),
        (1_235_000, "1,24 triệu"),  # half up, as accountants round
        (250_000_000, "250 triệu"),
        (1_500_000_000_000, "1.500 tỷ"),
        (999_999, "999.999 ₫"),
        (500, "500 ₫"),
        (0, "0 ₫"),
        (-12_500_000_000, "-12,5 tỷ"),
        (-1_230_000, "-1,23 triệu"),
        (None, "—"),
    ],
)
def test_format_vnd_short(amount, expected):
    assert format_vnd_short(amount) == expected


def test_format_vnd_short_rounding_up_to_a_billion_says_ty():
    # 999.999.999 đồng is 1.000,00 triệu after rounding: reports write "1 tỷ", not "1.000 triệu".
    assert format_vnd_short(999_999_999) == "1 tỷ"
    assert format_vnd_short(-999_999_999) == "-1 tỷ"
    assert format_vnd_short(999_990_000) == "999,99 triệu"


def test_format_vnd_short_places():
    assert format_vnd_short(1_234_567, places=0) == "1 triệu"
    assert format_vnd_short(1_234_567, places=3) == "1,235 triệu"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234.567", 1234567),
        ("1 234 567 ₫", 1234567),
        ("1,234,567 đ", 1234567),
        ("1.234.567 VNĐ", 1234567),
        ("1.234.567 vnd", 1234567),
        ("5.000 đồng", 5000),
        ("1\u00a0234\u00a0567", 1234567),
        ("  42 ", 42),
        ("1234567", 1234567),
        ("1.000", 1000),
        ("-5.000", -5000),
        ("-5.000 ₫", -5000),
        ("0", 0),
        (1234567, 1234567),
        (-5, -5),
        (0, 0),
    ],
)
def test_parse_vnd(text, expected):
    assert parse_vnd(text) == expected


@pytest.mark.parametrize("text", ["abc", "", "   ", "₫", "-", None, "12a", "1.2.3", "--5"])
def test_parse_vnd_refuses_non_amounts(text):
    with pytest.raises(ValueError):
        parse_vnd(text)


@pytest.mark.parametrize(
    "text",
    [
        "1234567.00",  # a spreadsheet's decimal export: reading it as 123.456.700 would be 100 times too much
        "1,234,567.50",
        "1.234.567,50",
        "12,5",  # "12,5 triệu" typed without the unit
        "1.5",
        "1.234,567",  # mixed separators
    ],
)
def test_parse_vnd_refuses_ambiguous_separators(text):
    with pytest.raises(ValueError):
        parse_vnd(text)


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(st.integers())
def test_parse_reads_what_format_writes(amount):
    assert parse_vnd(format_vnd(amount)) == amount


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(st.integers(min_value=0, max_value=10**15))
def test_parse_reads_plain_and_english_groupings(amount):
    assert parse_vnd(str(amount)) == amount
    assert parse_vnd(f"{amount:,} đ") == amount
    assert parse_vnd(f"{amount:,}".replace(",", " ")) == amount


@settings(deadline=None)  # the machine is shared: timing is not the property
@given(st.integers(min_value=-(10**16), max_value=10**16))
def test_format_vnd_short_keeps_the_sign_and_unit(amount):
    text = format_vnd_short(amount)
    assert text.startswith("-") == (amount < 0)
    if abs(amount) >= 999_995_000:
        assert text.endswith(" tỷ")
    elif abs(amount) >= 1_000_000:
        assert text.endswith(" triệu")
    else:
        assert text == format_vnd(amount)

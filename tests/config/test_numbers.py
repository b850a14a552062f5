"""The one parser and formatter of typed and shown numbers (config/numbers.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from config.numbers import (
    LocalizedDecimalField,
    LocalizedIntegerField,
    format_number,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,5", "1.5"),
        ("1.234,5", "1234.5"),
        ("1.234.567,25", "1234567.25"),
        ("1.000", "1000"),
        ("1234,5", "1234.5"),
        ("0,25", "0.25"),
        (",5", "0.5"),
        ("-5", "-5"),
        ("−2,5", "-2.5"),  # the typographic minus of some keyboards
        ("+3", "3"),
        ("  42\u00a0", "42"),
        ("-0", "0"),
    ],
)
def test_vietnamese_reads_a_comma_as_the_decimal_and_a_dot_between_thousands(text, expected):
    assert parse_number(text, language="vi") == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.5", "1.5"), ("1,234.5", "1234.5"), ("1,234,567", "1234567"), ("-0.75", "-0.75")],
)
def test_english_reads_a_dot_as_the_decimal_and_a_comma_between_thousands(text, expected):
    assert parse_number(text, language="en") == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "1_000",  # Decimal("1_000") is 1000: the bug this parser exists for
        "1e3",
        "1E-2",
        "NaN",
        "nan",
        "Infinity",
        "inf",
        "-inf",
        "abc",
        "1,5,5",
        "1.5",  # a dot between digits is not a Vietnamese decimal: refused, not read as 15
        "12.34",
        "1.23.456",
        "1,234.5",  # English writing in a Vietnamese page
        "1 000",
        "--5",
        "-",
        ",",
        "١٢",  # Arabic-Indic digits, which Decimal() would read
        "0x10",
        "5%",
    ],
)
def test_vietnamese_refuses_anything_else_with_an_example(text):
    with pytest.raises(ValidationError) as refused:
        parse_number(text, language="vi")
    with translation.override("vi"):
        assert refused.value.messages == ["Nhập một số, viết như 1,5 hoặc 1.234,5."]


@pytest.mark.parametrize("text", ["1,5", "1.234,5", "1_000", "1e3", "NaN", "1,23"])
def test_english_refuses_vietnamese_writing_and_python_literals(text):
    with pytest.raises(ValidationError) as refused:
        parse_number(text, language="en")
    with translation.override("en"):
        assert "1.5 or 1,234.5" in refused.value.messages[0]


def test_blank_is_none_and_the_active_language_is_the_default():
    assert parse_number("  ") is None and parse_number(None) is None
    with translation.override("vi"):
        assert parse_number("2,5") == Decimal("2.5")
    with translation.override("en"):
        assert parse_number("2.5") == Decimal("2.5")


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (Decimal("1234.5"), "1.234,5", "1,234.5"),
        (Decimal("15.00"), "15", "15"),
        (Decimal("3.00"), "3", "3"),
        (Decimal("1.50"), "1,5", "1.5"),
        (Decimal("-1234567.25"), "-1.234.567,25", "-1,234,567.25"),
        (Decimal("0.005"), "0,01", "0.01"),
        (7, "7", "7"),
        (2.5, "2,5", "2.5"),
        (Decimal("1E+3"), "1.000", "1,000"),
    ],
)
def test_numbers_are_shown_in_the_language_without_useless_zeros(value, vi, en):
    assert format_number(value, language="vi") == vi
    assert format_number(value, language="en") == en


def test_inputs_are_written_without_grouping_and_read_back_to_the_same_value():
    for value in [Decimal("1234.5"), Decimal("0.25"), Decimal("-7"), Decimal("1000000")]:
        for language in ("vi", "en"):
            text = format_number(value, language=language, grouping=False)
            assert parse_number(text, language=language) == value
    assert format_number(Decimal("1234.5"), language="vi", grouping=False) == "1234,5"
    assert format_number(None) == "" and format_number(Decimal("NaN")) == ""


def test_the_decimal_field_reads_the_language_keeps_its_limits_and_renders_a_text_box():
    field = LocalizedDecimalField(max_digits=6, decimal_places=2, required=False)
    with translation.override("vi"):
        assert field.clean("1.234,5") == Decimal("1234.5")
        assert field.clean("") is None
        for bad in ("1_000", "1.5", "1,234"):
            with pytest.raises(ValidationError):
                field.clean(bad)
        with pytest.raises(ValidationError):
            field.clean("12.345,5")  # more than six digits
        html = field.widget.render("v", Decimal("1.50"))
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'value="1,5"' in html
    assert "min=" not in html and "max=" not in html and "step=" not in html


def test_the_integer_field_refuses_fractions_and_out_of_range_with_a_message():
    field = LocalizedIntegerField(min_value=0, max_value=100, required=False)
    with translation.override("vi"):
        assert field.clean("100") == 100 and field.clean("0") == 0
        with pytest.raises(ValidationError) as fraction:
            field.clean("2,5")
        assert fraction.value.messages == ["Nhập một số nguyên."]
        for bad in ("150", "-5", "1_0"):
            with pytest.raises(ValidationError):
                field.clean(bad)
        html = field.widget.render("p", 40)
    assert 'inputmode="numeric"' in html and "max=" not in html

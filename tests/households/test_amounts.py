"""Amounts in yuan: a clear error naming the field for anything the income columns cannot hold."""

from decimal import Decimal

import pytest
from django.utils import translation

from households.validation import parse_decimal


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "Enter an amount in yuan"),
        ("NaN", "Enter an amount in yuan"),
        ("Infinity", "Enter an amount in yuan"),
        ("-1", "non-negative"),
        ("1.234", "at most two decimals"),
        ("10000000000", "below 10,000,000,000"),
        ("1e12", "below 10,000,000,000"),
    ],
)
def test_refused_amounts_name_the_field_and_the_rule(text, message):
    errors: dict = {}
    with translation.override("en"):
        assert parse_decimal(text, "wage_income", errors) is None
    assert list(errors) == ["wage_income"]
    assert message in str(errors["wage_income"][0])


@pytest.mark.parametrize(
    ("text", "value"), [("3,520.50", "3520.50"), ("0", "0"), ("9999999999.99", "9999999999.99")]
)
def test_accepted_amounts(text, value):
    errors: dict = {}
    assert parse_decimal(text, "wage_income", errors) == Decimal(value)
    assert errors == {}

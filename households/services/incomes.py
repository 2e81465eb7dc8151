"""Yearly incomes: what the exit check compares with the poverty line."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import full_clean
from core.scoping import ensure_can_write

from ..models import (
    Household,
    Income,
)
from ..validation import Errors, parse_decimal
from .common import _raise


@transaction.atomic
def income_record(*, household: Household, actor, year: int, data: dict) -> Income:
    """Record (or correct) a year's income; per-capita net income is what the exit check uses."""
    ensure_can_write(actor, household.village_id)
    errors: Errors = {}
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2013 <= year <= timezone.localdate().year:
        errors["year"] = [_("The year lies between 2013 and this year.")]
    values = {}
    for field in (
        "per_capita_net_income",
        "wage_income",
        "production_income",
        "transfer_income",
        "property_income",
    ):
        if data.get(field) in (None, ""):
            if field == "per_capita_net_income":
                errors.setdefault(field, []).append(_("This field is required."))
            continue
        amount = parse_decimal(data[field], field, errors)
        if amount is not None:
            values[field] = amount
    _raise(errors)
    with actor_context(actor):
        income, _created = Income.objects.select_for_update().get_or_create(
            household=household, year=year, defaults={"per_capita_net_income": Decimal(0)}
        )
        for field, value in values.items():
            setattr(income, field, value)
        full_clean(income)
        income.save()
    return income
